import { isDomainError } from "~/lib/errors";

interface Photo {
  bytes: BodyInit & { length: number };
  type: string;
}

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });

/** A photo of the public media routes: its name carries a content hash, so every cache may keep it a year. */
export function publicPhotoResponse(photo: Photo | null) {
  if (!photo) return notFound();
  return new Response(photo.bytes, {
    headers: {
      "Content-Type": photo.type,
      "Content-Length": String(photo.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}

/** A photo only some people may see: no cache keeps it, and a refusal is a 404 like a missing photo. */
export async function privatePhotoResponse(read: () => Promise<Photo>) {
  try {
    const photo = await read();
    return new Response(photo.bytes, { headers: { "Content-Type": photo.type, "Cache-Control": "private, no-store" } });
  } catch (error) {
    if (isDomainError(error)) return notFound();
    throw error;
  }
}

/** The 404 of a photo route whose address holds no valid id. */
export { notFound as photoNotFound };
