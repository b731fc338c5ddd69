import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { photoWidths } from "../lib/photo-sources";
import { DomainError } from "./errors";

/** The largest photo anyone may upload (shop, product, review and dispute photos). */
export const maxPhotoBytes = 2 * 1024 * 1024;

/**
 * The most pixels a photo may have (40 megapixels: any phone's camera fits, a decompression bomb
 * such as a 20000×20000 PNG of a few hundred KB does not).
 */
export const maxPhotoPixels = 40_000_000;

export { photoWidths };

export type ImageType = "image/jpeg" | "image/png" | "image/webp";

/** Image types by their first bytes, not by the name or the browser's claim. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b))
    return "image/png";
  if (
    bytes.length >= 12 &&
    String.fromCharCode(...bytes.slice(0, 4)) === "RIFF" &&
    String.fromCharCode(...bytes.slice(8, 12)) === "WEBP"
  ) {
    return "image/webp";
  }
  return null;
}

export const imageExtensions = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const;

/**
 * Checks an upload (not empty, not too large, a JPEG, PNG or WebP by its bytes) and names it by
 * its content. Refusals name the form `field`.
 */
export function checkPhoto(bytes: Uint8Array, field = "photo"): { type: ImageType; hash: string; extension: string } {
  if (bytes.length === 0) throw new DomainError("directory.errors.photoEmpty", 400, field);
  if (bytes.length > maxPhotoBytes) throw new DomainError("directory.errors.photoTooLarge", 400, field);
  const type = sniffImageType(bytes);
  if (!type) throw new DomainError("directory.errors.photoType", 400, field);
  return {
    type,
    hash: createHash("sha256").update(bytes).digest("hex").slice(0, 16),
    extension: imageExtensions[type],
  };
}

/** A photo decoded and re-encoded: one WebP per width of `photoWidths`, without any metadata. */
export interface ProcessedPhoto {
  hash: string;
  variants: { width: (typeof photoWidths)[number]; bytes: Buffer }[];
}

/**
 * Decodes an upload and encodes it again (docs/decisions/021-reviews-that-cannot-be-bought.md):
 * turned upright by its EXIF orientation, then written without EXIF, GPS, XMP or ICC blocks
 * (sharp keeps none unless asked), at each width of `photoWidths`. Refuses, naming `field`, what
 * `checkPhoto` refuses, a picture over `maxPhotoPixels`, and bytes that do not decode.
 */
export async function processPhoto(bytes: Uint8Array, field = "photo"): Promise<ProcessedPhoto> {
  const { hash } = checkPhoto(bytes, field);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Loaded on the first upload: the image library is not kept by a server that never gets one.
  const { default: sharp } = await import("sharp");
  const open = () => sharp(input, { limitInputPixels: maxPhotoPixels, failOn: "error", pages: 1 });
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await open().metadata());
  } catch (error) {
    throw refusal(error, field);
  }
  if (!width || !height) throw new DomainError("directory.errors.photoType", 400, field);
  if (width * height > maxPhotoPixels) throw new DomainError("directory.errors.photoTooManyPixels", 400, field);
  try {
    const variants = await Promise.all(
      photoWidths.map(async (w) => ({
        width: w,
        bytes: await open()
          .autoOrient()
          .resize({ width: w, height: w * 4, fit: "inside", withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer(),
      })),
    );
    return { hash, variants };
  } catch (error) {
    throw refusal(error, field);
  }
}

/** What a failed decode tells the user: too many pixels (sharp's own limit), or not a readable picture. */
const refusal = (error: unknown, field: string) =>
  error instanceof Error && /pixel limit/i.test(error.message)
    ? new DomainError("directory.errors.photoTooManyPixels", 400, field)
    : new DomainError("directory.errors.photoType", 400, field);

/** The stored name of one width of a photo: `<prefix><hash>-<width>.webp`. */
export const photoFileName = (prefix: string, hash: string, width: number) => `${prefix}${hash}-${width}.webp`;

/**
 * Writes every width of a processed photo into `folder`; returns the name pages link to (the
 * 640-wide one), from which `photoSources` (app/lib/photo-sources.ts) derives the others.
 */
export async function storePhoto(folder: string, prefix: string, photo: ProcessedPhoto): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  for (const v of photo.variants)
    await fs.writeFile(path.join(folder, photoFileName(prefix, photo.hash, v.width)), v.bytes);
  return photoFileName(prefix, photo.hash, 640);
}

/** Every file a stored photo name stands for (its widths; an older upload is one file). */
export function storedPhotoFiles(name: string): string[] {
  const m = /^(.*)-(320|640|1280)\.webp$/.exec(path.basename(name));
  return m ? photoWidths.map((w) => `${m[1]}-${w}.webp`) : [path.basename(name)];
}

/** Removes a stored photo with all its widths. */
export async function removePhoto(folder: string, name: string) {
  for (const file of storedPhotoFiles(name)) await fs.rm(path.join(folder, file), { force: true });
}

/** A media name is one of ours: `<digits>-<hash>` with an old extension, or a width in WebP. */
export const storedPhotoName = /^(\d+-)?[0-9a-f]{16}(\.(jpg|png|webp)|-(320|640|1280)\.webp)$/;

/** A stored photo's bytes and the type they show, or null. The name is checked, never trusted. */
export async function readStoredPhoto(folder: string, name: string) {
  if (!storedPhotoName.test(name)) return null;
  try {
    const bytes = await fs.readFile(path.join(folder, name));
    const type = sniffImageType(bytes);
    return type ? { bytes, type } : null;
  } catch {
    return null;
  }
}

/** For the public media routes: a stored photo whose name carries its owner's id or a width, or null. */
export const readMediaPhoto = (folder: string, name: string) =>
  name.includes("-") ? readStoredPhoto(folder, name) : Promise.resolve(null);
