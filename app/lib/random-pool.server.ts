import { randomFillSync } from "node:crypto";

/**
 * Random bytes for every request's id and script nonce, taken from a pool that the operating
 * system's generator fills 4 KB at a time: `randomBytes(n)` is a call into the generator for each
 * of them, thousands a second under load (HLS: about 1.7 % of the server's CPU; docs/decisions/041).
 * The bytes are the same generator's; each is handed out once.
 */
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

function take(bytes: number): Buffer {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const slice = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return slice;
}

/** `bytes` random bytes as lower-case hex. */
export const randomHex = (bytes: number): string => take(bytes).toString("hex");

/** `bytes` random bytes as base64 (a CSP nonce). */
export const randomBase64 = (bytes: number): string => take(bytes).toString("base64");
