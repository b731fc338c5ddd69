/**
 * What every plaque carries: its issuer and the form of its code. Shared by the badges domain
 * (app/domain/badges) and the demo seed, which prints the same plaques.
 */

/** The issuing body printed on every plaque and shown on its verify page. */
export const PLAQUE_ISSUER = "中共禹州市商贸社区支部委员会";

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
