import { createHash } from "node:crypto";
import { DomainError } from "./errors";

/** The largest photo anyone may upload (shop photos, dispute photos). */
export const maxPhotoBytes = 2 * 1024 * 1024;

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
