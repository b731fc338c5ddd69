/**
 * The sealed ballot box (docs/decisions/014-ballots-sealed-until-the-count.md). While an election's
 * voting is open each ballot is stored sealed: AES-256-GCM under a key derived per election from a
 * master key that never enters the database, padded to one length so not even the size of a ballot
 * tells how many candidates it names. The count opens the box and writes the ballots out in random
 * order in one transaction.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface BallotContent {
  receiptHash: string;
  president: number | null;
  vicePresidents: number[];
}

const PADDED = 256;
let master: Buffer | null = null;

/**
 * XQ_BALLOT_KEY (any secret string, 32+ characters) where set; else a random key kept in the data
 * folder (`ballot.key`), made on first use. Whoever holds it and the database can open ballots
 * still in the box, so it lives with the server's files, never in the database.
 */
function masterKey(): Buffer {
  if (master) return master;
  const configured = process.env.XQ_BALLOT_KEY;
  if (configured) {
    if (configured.length < 32) throw new Error("XQ_BALLOT_KEY must be at least 32 characters");
    master = Buffer.from(configured, "utf8");
    return master;
  }
  const dir = path.resolve(process.cwd(), process.env.XQ_DATA_DIR ?? ".data");
  const file = path.join(dir, "ballot.key");
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  master = Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
  return master;
}

function electionKey(electionId: number): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey(), Buffer.alloc(0), `xinquan ballot box ${electionId}`, 32));
}

/** Seals one ballot: base64 of iv (12) | tag (16) | ciphertext (256), the same length for every ballot. */
export function sealBallot(electionId: number, content: BallotContent): string {
  const json = JSON.stringify({ r: content.receiptHash, p: content.president, v: content.vicePresidents });
  if (Buffer.byteLength(json) > PADDED) throw new Error("ballot too long to seal");
  const plain = Buffer.alloc(PADDED, 0x20);
  plain.write(json, "utf8");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", electionKey(electionId), iv);
  // The election id is bound in, so a sealed ballot cannot be moved to another election's box.
  cipher.setAAD(Buffer.from(String(electionId)));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function openBallot(electionId: number, sealed: string): BallotContent {
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", electionKey(electionId), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(String(electionId)));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  const parsed = JSON.parse(plain.trimEnd()) as { r: string; p: number | null; v: number[] };
  return { receiptHash: parsed.r, president: parsed.p, vicePresidents: parsed.v };
}

/** A uniformly random order (Fisher–Yates with crypto randomness). */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
