/**
 * How the district's secrets are stored: passwords with argon2id, random codes (claim codes,
 * stream keys) with SHA-256. Shared by the domain (app/domain/accounts, app/domain/studio) and
 * the demo seed, which stores the same forms.
 */
import { createHash } from "node:crypto";
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

/** Stream keys are random too: stored as SHA-256, compared in constant time by the studio. */
export function hashStreamKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
