import { randomBytes } from "node:crypto";

// Crockford's base32 without I, L, O, U: safe to read aloud and to type from a printed plaque.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/** 130 bits as 26 base32 characters. */
export function encodePlaqueCode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** A new plaque code: 16 random bytes (128 bits), unguessable. */
export function newPlaqueCode(): string {
  return encodePlaqueCode(randomBytes(16));
}

export function isPlaqueCodeShaped(code: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(code);
}
