import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { smsCodes, users, type SmsPurpose } from "../../../db/schema";
import { SmsSendError, type SmsSender } from "../../lib/sms.server";
import { DomainError } from "../errors";

/** The rules of SMS codes (docs/decisions/017-sms-codes.md). */
export const smsRules = {
  digits: 6,
  lifetimeMs: 5 * 60_000,
  maxTries: 5,
  resendIntervalMs: 60_000,
  dayMs: 24 * 60 * 60_000,
} as const;

export interface SmsLimits {
  perPhonePerDay: number;
  perIpPerDay: number;
}

export interface SmsDeps {
  sender: SmsSender;
  limits: SmsLimits;
}

function hashCode(salt: string, code: string): string {
  return createHash("sha256").update(`${salt}:${code}`).digest("hex");
}

function newCode(): string {
  return String(randomInt(0, 10 ** smsRules.digits)).padStart(smsRules.digits, "0");
}

/** Serialises work on one key (a phone, an address) across processes, until the transaction ends. */
async function lock(tx: Db, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`xinquan.sms:${key}`}))`);
}

/** The codes sent to a phone for a purpose that are neither used nor replaced by a newer one. */
const unspentCodes = (input: { phone: string; purpose: SmsPurpose }) =>
  and(
    eq(smsCodes.phone, input.phone),
    eq(smsCodes.purpose, input.purpose),
    isNull(smsCodes.usedAt),
    isNull(smsCodes.supersededAt),
  );

/**
 * Sends a fresh code for `purpose` to `phone`, if the limits allow: one send per phone per
 * minute, and a cap per phone and per client address in any 24 hours. A refusal writes nothing. A
 * new code replaces the phone's earlier codes for the same purpose. When the provider refuses,
 * the row stays (it counts towards the limits) and the user is told to try later.
 */
async function sendCode(
  db: Db,
  deps: SmsDeps,
  input: { phone: string; purpose: SmsPurpose; ip: string; userId?: string },
  now: Date,
): Promise<{ expiresAt: Date; resendAt: Date }> {
  const code = newCode();
  const salt = randomBytes(16).toString("hex");
  const dayAgo = new Date(now.getTime() - smsRules.dayMs);
  const id = await db.transaction(async (tx) => {
    // Always the phone before the address, so two sends never wait on each other in a circle.
    await lock(tx, `phone:${input.phone}`);
    await lock(tx, `ip:${input.ip}`);
    const [last] = await tx
      .select({ createdAt: smsCodes.createdAt })
      .from(smsCodes)
      .where(and(eq(smsCodes.phone, input.phone), isNull(smsCodes.failedAt)))
      .orderBy(desc(smsCodes.createdAt))
      .limit(1);
    if (last && now.getTime() - last.createdAt.getTime() < smsRules.resendIntervalMs) {
      throw new DomainError("security.errors.smsTooSoon", 429, "phone");
    }
    /** Codes sent in the last day where `column` is `value`. */
    const sentToday = async (column: typeof smsCodes.phone | typeof smsCodes.ip, value: string) => {
      const [row] = await tx
        .select({ n: count() })
        .from(smsCodes)
        .where(and(eq(column, value), gt(smsCodes.createdAt, dayAgo)));
      return row?.n ?? 0;
    };
    if ((await sentToday(smsCodes.phone, input.phone)) >= deps.limits.perPhonePerDay) {
      throw new DomainError("security.errors.smsDailyPhoneLimit", 429, "phone");
    }
    if ((await sentToday(smsCodes.ip, input.ip)) >= deps.limits.perIpPerDay) {
      throw new DomainError("security.errors.smsDailyIpLimit", 429, "phone");
    }
    await tx.update(smsCodes).set({ supersededAt: now }).where(unspentCodes(input));
    const [row] = await tx
      .insert(smsCodes)
      .values({
        phone: input.phone,
        purpose: input.purpose,
        codeHash: hashCode(salt, code),
        salt,
        ip: input.ip,
        userId: input.userId ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + smsRules.lifetimeMs),
      })
      .returning({ id: smsCodes.id });
    return row.id;
  });
  try {
    const { ref } = await deps.sender.send({ phone: input.phone, code, purpose: input.purpose });
    if (ref) await db.update(smsCodes).set({ providerRef: ref }).where(eq(smsCodes.id, id));
  } catch (error) {
    if (!(error instanceof SmsSendError)) throw error;
    await db.update(smsCodes).set({ failedAt: now, providerRef: error.providerCode }).where(eq(smsCodes.id, id));
    throw new DomainError("security.errors.smsSendFailed", 400, "phone");
  }
  return {
    expiresAt: new Date(now.getTime() + smsRules.lifetimeMs),
    resendAt: new Date(now.getTime() + smsRules.resendIntervalMs),
  };
}

/**
 * Runs `work` once `code` is proven to be the newest live code sent to `phone` for `purpose`, in
 * one transaction with marking the code used: if `work` refuses, the code stays usable. A wrong
 * code counts a try (that write is kept); after `smsRules.maxTries` the code is dead.
 */
export async function withSmsCode<T>(
  db: Db,
  input: { phone: string; purpose: SmsPurpose; code: string; userId?: string },
  now: Date,
  work: (tx: Db) => Promise<T>,
): Promise<T> {
  type Outcome = { refusal: string } | { value: T };
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    await lock(tx, `phone:${input.phone}`);
    const [row] = await tx
      .select()
      .from(smsCodes)
      .where(and(unspentCodes(input), isNull(smsCodes.failedAt)))
      .orderBy(desc(smsCodes.createdAt))
      .limit(1);
    if (!row || (input.userId !== undefined && row.userId !== input.userId)) {
      return { refusal: "security.errors.smsCodeMissing" } as const;
    }
    if (now.getTime() >= row.expiresAt.getTime()) return { refusal: "security.errors.smsCodeExpired" } as const;
    if (row.attempts >= smsRules.maxTries) return { refusal: "security.errors.smsTooManyTries" } as const;
    const given = Buffer.from(hashCode(row.salt, input.code.trim()), "hex");
    if (!timingSafeEqual(given, Buffer.from(row.codeHash, "hex"))) {
      await tx
        .update(smsCodes)
        .set({ attempts: sql`${smsCodes.attempts} + 1` })
        .where(eq(smsCodes.id, row.id));
      return {
        refusal:
          row.attempts + 1 >= smsRules.maxTries ? "security.errors.smsTooManyTries" : "security.errors.smsCodeWrong",
      } as const;
    }
    await tx.update(smsCodes).set({ usedAt: now }).where(eq(smsCodes.id, row.id));
    return { value: await work(tx) };
  });
  if ("refusal" in outcome) throw new DomainError(outcome.refusal, 400, "code");
  // (A refusal's try was counted and committed above; nothing else was written.)
  return outcome.value;
}

async function phoneOwner(db: Db, phone: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.phone, phone));
  return row?.id ?? null;
}

/** A code to register `phone`: refused when the number already has an account. */
export async function sendRegistrationCode(db: Db, deps: SmsDeps, phone: string, ip: string, now: Date) {
  if (await phoneOwner(db, phone)) throw new DomainError("errors.phoneTaken", 400, "phone");
  return sendCode(db, deps, { phone, purpose: "register", ip }, now);
}

/** A code to reset the password of the account with `phone`. */
export async function sendResetCode(db: Db, deps: SmsDeps, phone: string, ip: string, now: Date) {
  if (!(await phoneOwner(db, phone))) throw new DomainError("security.errors.phoneUnknown", 400, "phone");
  return sendCode(db, deps, { phone, purpose: "reset", ip }, now);
}

/** A code to the new number a signed-in user wants: refused when another account has it. */
export async function sendPhoneChangeCode(
  db: Db,
  deps: SmsDeps,
  actor: { userId: string; phone: string } | null,
  phone: string,
  ip: string,
  now: Date,
) {
  if (!actor) throw new DomainError("auth.required", 403);
  if (phone === actor.phone) throw new DomainError("security.errors.samePhone", 400, "phone");
  if (await phoneOwner(db, phone)) throw new DomainError("errors.phoneTaken", 400, "phone");
  return sendCode(db, deps, { phone, purpose: "change_phone", ip, userId: actor.userId }, now);
}
