import { randomBytes } from "node:crypto";
import { encodePlaqueCode } from "../../../shared/plaques";

export { encodePlaqueCode };

/** A new plaque code: 16 random bytes (128 bits), unguessable. */
export function newPlaqueCode(): string {
  return encodePlaqueCode(randomBytes(16));
}

export function isPlaqueCodeShaped(code: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(code);
}
