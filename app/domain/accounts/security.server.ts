/**
 * Proving the phone, recovering the account, and the sessions an account has open
 * (docs/decisions/017-sms-codes.md).
 */
import { createHash } from "node:crypto";
import { and, desc, eq, ne } from "drizzle-orm";
import { generateIdFromEntropySize } from "lucia";
import type { Db } from "../../../db/client";
import { sessions, users, type Locale } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { DomainError } from "../errors";
import { notify } from "../notifications/notifications.server";
import type { Actor } from "./actor";
import { registerUser } from "./accounts.server";
import type { RegisterInput } from "./schemas";
import { hashPassword, verifyPassword } from "./secrets.server";
import { withSmsCode } from "./sms-codes.server";

const day = 24 * 60 * 60_000;

export const sessionRules = {
  /** A session nobody used for this long ends. */
  idleMs: 30 * day,
  /** A session ends this long after sign-in, however much it is used. */
  absoluteMs: 90 * day,
  /** "Last seen" moves forward at most this often (one write per session per 5 minutes). */
  touchEveryMs: 5 * 60_000,
} as const;

// Sessions ---------------------------------------------------------------------------------

/** Starts a session for a user who just proved who they are; returns its id (the cookie's value). */
export async function startSession(
  db: Db,
  userId: string,
  userAgent: string | null | undefined,
  now: Date,
): Promise<string> {
  const id = generateIdFromEntropySize(25);
  await db.insert(sessions).values({
    id,
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + sessionRules.idleMs),
    userAgent: userAgent ? userAgent.slice(0, 300) : null,
  });
  return id;
}

/**
 * The session behind a cookie, or null when there is none or it ended: 30 days after it was last
 * seen, or 90 days after sign-in, whichever comes first. An ended session is deleted. Seeing a
 * session moves its idle end forward (never past the absolute end); `touched` says the cookie
 * should be sent again.
 */
export async function validateSession(
  db: Db,
  sessionId: string,
  now: Date,
): Promise<{ sessionId: string; userId: string; touched: boolean } | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
  return row ? keepSession(db, sessionId, row, now) : null;
}

/**
 * The lifetime rules on a session row already read (`validateSession`, or the one query of
 * `actorFromCookie`): past its idle or absolute end it is deleted (null); otherwise it is renewed
 * at most every `touchEveryMs` (touched).
 */
export async function keepSession(
  db: Db,
  sessionId: string,
  row: { userId: string; expiresAt: Date; createdAt: Date; lastSeenAt: Date },
  now: Date,
): Promise<{ sessionId: string; userId: string; touched: boolean } | null> {
  const absoluteEnd = row.createdAt.getTime() + sessionRules.absoluteMs;
  if (now.getTime() >= row.expiresAt.getTime() || now.getTime() >= absoluteEnd) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  let touched = false;
  if (now.getTime() - row.lastSeenAt.getTime() >= sessionRules.touchEveryMs) {
    const expiresAt = new Date(Math.min(now.getTime() + sessionRules.idleMs, absoluteEnd));
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, sessionId));
    touched = true;
  }
  return { sessionId, userId: row.userId, touched };
}

/** A session's name on pages and in forms: never the id itself, which is the cookie's secret. */
export function sessionHandle(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex").slice(0, 20);
}

export interface SessionView {
  handle: string;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

/** The signed-in user's open sessions, this one first, then the most recently seen. */
export async function listMySessions(
  db: Db,
  actor: Actor,
  currentSessionId: string | null,
  now: Date,
): Promise<SessionView[]> {
  if (!actor) throw new DomainError("auth.required", 403);
  const rows = await db
    .select()
    .from(sessions)
    .where(eq(sessions.userId, actor.userId))
    .orderBy(desc(sessions.lastSeenAt));
  return rows
    .filter(
      (r) => r.expiresAt.getTime() > now.getTime() && r.createdAt.getTime() + sessionRules.absoluteMs > now.getTime(),
    )
    .map((r) => ({
      handle: sessionHandle(r.id),
      userAgent: r.userAgent,
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      current: r.id === currentSessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** "Sign out everywhere else": ends every session of the user but this one. */
export async function endOtherSessions(db: Db, actor: Actor, currentSessionId: string | null): Promise<number> {
  if (!actor || !currentSessionId) throw new DomainError("auth.required", 403);
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, actor.userId), ne(sessions.id, currentSessionId)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** Ends one of the user's own sessions, named by its handle; another user's is "not found". */
export async function endSession(db: Db, actor: Actor, handle: string): Promise<void> {
  if (!actor) throw new DomainError("auth.required", 403);
  const mine = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, actor.userId));
  const target = mine.find((s) => sessionHandle(s.id) === handle);
  if (!target) throw new DomainError("security.errors.sessionUnknown", 404);
  await db.delete(sessions).where(eq(sessions.id, target.id));
}

// Registration, recovery, password and number --------------------------------------------------

/** Registers `input.phone` once the SMS code sent to it is given; the number counts as proven. */
export async function registerWithCode(
  db: Db,
  input: RegisterInput & { code: string },
  locale: Locale,
  now: Date,
): Promise<{ userId: string }> {
  return withSmsCode(db, { phone: input.phone, purpose: "register", code: input.code }, now, (tx) =>
    registerUser(tx, input, locale, now),
  );
}

/**
 * Sets a new password for the account with `phone` once the reset code is given, and ends every
 * session it had: whoever knew the old password is signed out. Returns the user to sign in.
 */
export async function resetPasswordWithCode(
  db: Db,
  input: { phone: string; code: string; password: string },
  now: Date,
): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  return withSmsCode(db, { phone: input.phone, purpose: "reset", code: input.code }, now, async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, phoneVerifiedAt: now })
      .where(eq(users.phone, input.phone))
      .returning({ id: users.id });
    if (!user) throw new DomainError("security.errors.phoneUnknown", 400, "phone");
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await recordAudit(tx, user.id, "account.password_reset", user.id);
    await notify(tx, user.id, { kind: "security.passwordReset" });
    return { userId: user.id };
  });
}

/** Changes the password of the signed-in user, who must give the current one; ends their other sessions. */
export async function changePassword(
  db: Db,
  actor: Actor,
  currentSessionId: string | null,
  input: { currentPassword: string; password: string },
): Promise<void> {
  if (!actor || !currentSessionId) throw new DomainError("auth.required", 403);
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError("security.errors.wrongPassword", 400, "currentPassword");
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.userId));
    await tx.delete(sessions).where(and(eq(sessions.userId, actor.userId), ne(sessions.id, currentSessionId)));
    await recordAudit(tx, actor, "account.password_changed", actor.userId);
    await notify(tx, actor.userId, { kind: "security.passwordChanged" });
  });
}

/** Moves the signed-in user to a new number, proven by the code sent to it and their password. */
export async function changePhoneWithCode(
  db: Db,
  actor: Actor,
  input: { phone: string; code: string; password: string },
  now: Date,
): Promise<void> {
  if (!actor) throw new DomainError("auth.required", 403);
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
    throw new DomainError("security.errors.wrongPassword", 400, "password");
  }
  await withSmsCode(
    db,
    { phone: input.phone, purpose: "change_phone", code: input.code, userId: actor.userId },
    now,
    async (tx) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.phone, input.phone));
      if (taken) throw new DomainError("errors.phoneTaken", 400, "phone");
      await tx.update(users).set({ phone: input.phone, phoneVerifiedAt: now }).where(eq(users.id, actor.userId));
      await recordAudit(tx, actor, "account.phone_changed", actor.userId, {
        before: { phone: actor.phone },
        after: { phone: input.phone },
      });
      await notify(tx, actor.userId, { kind: "security.phoneChanged", params: { phone: input.phone } });
    },
  );
}
