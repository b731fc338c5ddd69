import { createHash, randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** argon2id with the OWASP minimum (19 MiB, 2 passes): about 16 ms here. */
const argon2Options = {
  algorithm: 2 /* Argon2id; the enum is a const enum */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Claim codes are stored as SHA-256: they are random, so a slow hash buys nothing. */
export function hashClaimCode(code: string): string {
  return createHash("sha256").update(normalizeClaimCode(code)).digest("hex");
}

/** People type codes from paper: ignore case, spaces and dashes. */
export function normalizeClaimCode(code: string): string {
  return code.toUpperCase().replace(/[\s\-－—]/g, "");
}

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
