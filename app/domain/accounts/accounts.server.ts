import { randomUUID } from "node:crypto";
import { and, count, desc, eq, gt } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businessMembers, loginAttempts, userRoles, users, type Locale } from "../../../db/schema";
import { DomainError } from "../errors";
import { notify } from "../notifications/notifications.server";
import type { User } from "./actor";
import type { LoginInput, RegisterInput } from "./schemas";
import { hashPassword, verifyPassword } from "./secrets.server";
import { columnsOf } from "../../../db/select";

/** Wrong passwords for one phone from one network before that pair waits out the window. */
export const maxFailedLogins = 5;
/** Wrong passwords from one network across all phones (password spraying) before it waits. */
export const maxFailedLoginsPerIp = 30;
export const lockoutWindowMs = 15 * 60 * 1000;

/**
 * Creates an account. The registration page goes through `registerWithCode` (security.server.ts),
 * which proves the number first and passes when it was proven as `phoneVerifiedAt`.
 */
export async function registerUser(
  db: Db,
  input: RegisterInput,
  locale: Locale,
  phoneVerifiedAt: Date | null = null,
): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  const userId = randomUUID();
  const inserted = await db
    .insert(users)
    .values({ id: userId, phone: input.phone, displayName: input.displayName, passwordHash, locale, phoneVerifiedAt })
    .onConflictDoNothing({ target: users.phone })
    .returning({ id: users.id });
  if (inserted.length === 0) throw new DomainError("errors.phoneTaken", 400, "phone");
  await notify(db, userId, { kind: "welcome", params: { name: input.displayName } });
  return { userId };
}

/**
 * Checks a phone and password. Unknown phone and wrong password get the same answer.
 *
 * The throttle (docs/decisions/016-request-limits-and-login-throttle.md): every attempt is written
 * first, as a failure, and then counted, all before the slow hash; so of any number of parallel
 * tries at most `maxFailedLogins` reach the hash (each one's count includes every attempt committed
 * before it). Refused attempts are deleted again and do not extend the wait. Failures count per
 * phone *and* network: a stranger's wrong passwords lock that phone only from the stranger's
 * network, never the owner's. Across phones, one network gets `maxFailedLoginsPerIp` failures.
 */
export async function signIn(db: Db, input: LoginInput, now = new Date(), ip = ""): Promise<{ userId: string }> {
  const since = new Date(now.getTime() - lockoutWindowMs);
  /** This phone's attempts from this address that `succeeded` (or failed) after `after`. */
  const attemptsOfPair = (succeeded: boolean, after: Date) =>
    and(
      eq(loginAttempts.phone, input.phone),
      eq(loginAttempts.ip, ip),
      eq(loginAttempts.succeeded, succeeded),
      gt(loginAttempts.at, after),
    );
  const [attempt] = await db
    .insert(loginAttempts)
    .values({ phone: input.phone, ip, succeeded: false, at: now })
    .returning({ id: loginAttempts.id });
  const [lastSuccess] = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(attemptsOfPair(true, since))
    .orderBy(desc(loginAttempts.at))
    .limit(1);
  const [[pair], [network]] = await Promise.all([
    db
      .select({ n: count() })
      .from(loginAttempts)
      .where(attemptsOfPair(false, lastSuccess?.at ?? since)),
    db
      .select({ n: count() })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since))),
  ]);
  const refusal =
    (pair?.n ?? 0) > maxFailedLogins
      ? new DomainError("errors.tooManyAttempts", 429, "phone")
      : ip && (network?.n ?? 0) > maxFailedLoginsPerIp
        ? new DomainError("security.tooManyFromHere", 429, "phone")
        : null;
  if (refusal) {
    await db.delete(loginAttempts).where(eq(loginAttempts.id, attempt.id));
    throw refusal;
  }

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.phone, input.phone));
  // Hash even for an unknown phone, so the answer takes as long either way.
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyHash(), input.password), false);
  if (!ok || !user) throw new DomainError("errors.badCredentials", 400);
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attempt.id));
  return { userId: user.id };
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword("no account has this password"));

/** Everything the permission check needs about a signed-in user, in two queries. */
export async function loadUser(db: Db, userId: string): Promise<User | null> {
  const [user] = await db
    .select(columnsOf(users, "id", "displayName", "phone", "locale"))
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const [roles, memberships] = await Promise.all([
    db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)),
    db
      .select({ businessId: businessMembers.businessId, role: businessMembers.role })
      .from(businessMembers)
      .where(eq(businessMembers.userId, userId)),
  ]);
  return {
    userId: user.id,
    displayName: user.displayName,
    phone: user.phone,
    locale: user.locale,
    roles: roles.map((r) => r.role),
    memberships,
  };
}

export async function saveLocale(db: Db, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

/** Whether the user has proven their number with an SMS code (or is a demo account). */
export async function isPhoneVerified(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ at: users.phoneVerifiedAt }).from(users).where(eq(users.id, userId));
  return Boolean(row?.at);
}
