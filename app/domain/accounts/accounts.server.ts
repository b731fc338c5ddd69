import { randomUUID } from "node:crypto";
import { and, count, desc, eq, gt } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businessMembers, loginAttempts, userRoles, users, type Locale } from "../../../db/schema";
import { DomainError } from "../errors";
import { notify } from "../notifications/notifications.server";
import type { User } from "./actor";
import type { LoginInput, RegisterInput } from "./schemas";
import { hashPassword, verifyPassword } from "./secrets.server";

export const maxFailedLogins = 5;
export const lockoutWindowMs = 15 * 60 * 1000;

export async function registerUser(db: Db, input: RegisterInput, locale: Locale): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  const userId = randomUUID();
  const inserted = await db
    .insert(users)
    .values({ id: userId, phone: input.phone, displayName: input.displayName, passwordHash, locale })
    .onConflictDoNothing({ target: users.phone })
    .returning({ id: users.id });
  if (inserted.length === 0) throw new DomainError("errors.phoneTaken", 400, "phone");
  await notify(db, userId, { kind: "welcome", params: { name: input.displayName } });
  return { userId };
}

/**
 * Checks a phone and password. Unknown phone and wrong password get the same answer; after
 * `maxFailedLogins` failures for one phone within 15 minutes, that phone is refused until they age out.
 */
export async function signIn(db: Db, input: LoginInput, now = new Date()): Promise<{ userId: string }> {
  const since = new Date(now.getTime() - lockoutWindowMs);
  const [lastSuccess] = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.phone, input.phone), eq(loginAttempts.succeeded, true), gt(loginAttempts.at, since)))
    .orderBy(desc(loginAttempts.at))
    .limit(1);
  const [failures] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.phone, input.phone),
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.at, lastSuccess?.at ?? since),
      ),
    );
  if ((failures?.n ?? 0) >= maxFailedLogins) throw new DomainError("errors.tooManyAttempts", 429, "phone");

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.phone, input.phone));
  // Hash even for an unknown phone, so the answer takes as long either way.
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyHash(), input.password), false);
  await db.insert(loginAttempts).values({ phone: input.phone, succeeded: ok, at: now });
  if (!ok || !user) throw new DomainError("errors.badCredentials", 400);
  return { userId: user.id };
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword("no account has this password"));

/** Everything the permission check needs about a signed-in user, in two queries. */
export async function loadUser(db: Db, userId: string): Promise<User | null> {
  const [user] = await db
    .select({ id: users.id, displayName: users.displayName, phone: users.phone, locale: users.locale })
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
