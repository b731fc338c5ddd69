import { randomInt } from "node:crypto";

/** How passwords and claim codes are stored (shared/secrets.server.ts, which the demo seed uses too). */
export { hashClaimCode, hashPassword, normalizeClaimCode, verifyPassword } from "../../../shared/secrets.server";

// No 0/O/1/I/L: codes are read aloud and typed from paper.
const claimAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** A new claim code, like `K7QM-9XZ2-PT4H` (60 bits). */
export function newClaimCode(): string {
  let code = "";
  for (let i = 0; i < 12; i++) {
    code += claimAlphabet[randomInt(claimAlphabet.length)];
    if (i === 3 || i === 7) code += "-";
  }
  return code;
}
