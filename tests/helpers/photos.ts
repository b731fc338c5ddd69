/** Test pictures made on the spot: a phone-like JPEG with a GPS block, a decompression-bomb PNG. */
import zlib from "node:zlib";
import sharp from "sharp";

/**
 * A JPEG as a phone writes it: `width`×`height` pixels stored sideways with EXIF orientation 6
 * (shown rotated 90°), a camera model in IFD0 and the GPS position of the place it was taken.
 */
export async function phoneJpeg(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } } })
    .jpeg({ quality: 85 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: "TestPhone", Model: "XQ-1" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "34/1 9/1 1234/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "113/1 28/1 5678/100",
      },
    })
    .toBuffer();
}

/** A small genuine PNG (what a test uploads when it only needs "a photo"). */
export function smallPng(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

const chunk = (type: string, body: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed) >>> 0);
  return Buffer.concat([head, typed, crc]);
};

/**
 * A valid `size`×`size` black-and-white PNG (1 bit a pixel, all zero): 400 megapixels at the
 * default size in a file of about 50 KB, the kind of upload that exhausts a server's memory.
 */
export function hugePng(size = 20_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(size * (1 + Math.ceil(size / 8))); // each row: filter byte 0, then the bits
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
