/**
 * The integration tests' kit: one seeded database per test file, the demo accounts as actors,
 * new shoppers and merchants, a fixed clock, a stream booking, and the "refused and wrote
 * nothing" check. Every helper takes the file's database from `useTestDatabase()`:
 *
 *     const kit = useTestDatabase();
 *     const { db, demo, businessId } = kit;
 *     it("…", async () => { const owner = await demo("shopOwner"); … });
 */
import { count, eq, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { Database, Db } from "../../db/client";
import { bookings, businesses, businessMembers, studios, users } from "../../db/schema";
import { DEMO_USERS, type DemoUserKey } from "../../db/seed/demo";
import { loadUser, registerUser } from "~/domain/accounts/accounts.server";
import type { User } from "~/domain/accounts/actor";
import { claimBusiness, issueClaimCode } from "~/domain/accounts/claims.server";
import { registerSchema } from "~/domain/accounts/schemas";
import { hashStreamKey } from "~/domain/studio/bookings.server";
import { openTestDatabase } from "./db";

export { openTestDatabase } from "./db";
export { DEMO_USERS, type DemoUserKey } from "../../db/seed/demo";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A fixed "now" the domain functions are handed, and the instants around it. */
export function testClock(start: Date | string) {
  const T0 = new Date(start);
  const plus = (ms: number) => new Date(T0.getTime() + ms);
  return {
    T0,
    plusMinutes: (n: number) => plus(n * MINUTE),
    plusHours: (n: number) => plus(n * HOUR),
    plusDays: (n: number) => plus(n * DAY),
  };
}

/** `at` moved by `seconds`. */
export const secondsAfter = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

/** Route module arguments for a loader or an action called straight from a test. */
export function routeArgs(
  db: Db,
  url: string,
  actor: unknown,
  params: Record<string, string> = {},
  init?: RequestInit,
  locale = "en",
) {
  return {
    request: new Request(new URL(url, "http://localhost"), init),
    params,
    context: { db, actor, locale },
  } as never;
}

export type TestKit = ReturnType<typeof useTestDatabase>;

/**
 * Opens this file's own copy of the seeded (or, with `seeded: false`, the empty migrated)
 * database before its tests and closes it after them. Call it at the top of the file, before
 * any beforeAll that needs the database: hooks run in the order they are registered.
 */
export function useTestDatabase(options: { seeded?: boolean; maxConnections?: number } = {}) {
  let opened: Database | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase(options);
  });
  afterAll(async () => {
    await opened?.close();
  });
  const database = (): Database => {
    if (!opened) throw new Error("the test database opens in beforeAll: use it inside a hook or a test");
    return opened;
  };
  const db = () => database().db;
  let counter = 0;
  const next = () => ++counter;

  /** The actor a signed-in user is: what the session middleware hands the domain. */
  const actor = async (userId: string): Promise<User> => {
    const user = await loadUser(db(), userId);
    if (!user) throw new Error(`no user ${userId}`);
    return user;
  };
  /** Signed in as a demo account (README: "Demo accounts"). */
  const demo = (key: DemoUserKey) => actor(DEMO_USERS[key].id);
  /** Several demo accounts at once, in the order named. */
  const demos = <K extends DemoUserKey>(...keys: K[]) => Promise.all(keys.map(demo));

  /**
   * Demo accounts signed in once before this file's tests, by the names the file gives them:
   * `const actors = kit.signedIn({ owner: "shopOwner" })` at the top of the file (after
   * `useTestDatabase`), then `actors.owner` in hooks and tests.
   */
  const signedIn = <K extends string>(accounts: Record<K, DemoUserKey>) => {
    const signed = {} as Record<K, User>;
    beforeAll(async () => {
      for (const name of Object.keys(accounts) as K[]) signed[name] = await demo(accounts[name]);
    });
    return signed;
  };

  const businessId = async (code: string) => {
    const [b] = await db().select({ id: businesses.id }).from(businesses).where(eq(businesses.code, code));
    if (!b) throw new Error(`no business ${code}`);
    return b.id;
  };

  /** How many rows `table` has (that match `where`). */
  const rows = async (table: PgTable, where?: SQL) => (await db().select({ n: count() }).from(table).where(where))[0].n;

  /**
   * What a refusal must leave as it was, for `expectRefused`: every row of the `listed` tables (in
   * id order) and the number of rows of the `counted` ones, under the names given.
   */
  const tablesSnapshot =
    (listed: Record<string, PgTable & { id: PgColumn }>, counted: Record<string, PgTable> = {}) =>
    async () => {
      const read: Record<string, unknown> = {};
      for (const [name, table] of Object.entries(listed))
        read[name] = await db().select().from(table).orderBy(table.id);
      for (const [name, table] of Object.entries(counted)) read[name] = await rows(table);
      return read;
    };

  /**
   * A call that must be refused: it rejects with `code` (and `status`, when given; or with what
   * `expected` names), and
   * `snapshot` reads the same before and after, so the refusal wrote nothing.
   */
  const expectRefused = async <S>(
    snapshot: () => Promise<S>,
    work: () => Promise<unknown>,
    expected: string | { code?: string; status?: number },
    status?: number,
  ) => {
    const match = typeof expected === "string" ? { code: expected, ...(status ? { status } : {}) } : expected;
    const before = await snapshot();
    await expect(work()).rejects.toMatchObject(match);
    expect(await snapshot()).toEqual(before);
  };

  /** `expectRefused` with `snapshot` fixed: what a file's refusals must leave as it was. */
  const refusalsKeeping =
    <S>(snapshot: () => Promise<S>) =>
    (work: () => Promise<unknown>, expected: string | { code?: string; status?: number }, status?: number) =>
      expectRefused(snapshot, work, expected, status);

  /** A phone no other account in this file's database has (13700000001, …). */
  const newPhone = () => `1370000${String(next()).padStart(4, "0")}`;

  /** A resident who registered through the sign-up form (argon2 hash, welcome notice). */
  const registerResident = async (name = "测试居民", password = "correct horse") => {
    const input = registerSchema.parse({ phone: newPhone(), displayName: name, password });
    const { userId } = await registerUser(db(), input, "zh-CN");
    return { ...input, userId };
  };

  /** A fresh shopper account written straight to the table: its cart and orders are its own. */
  const newShopper = async (name = "顾客"): Promise<User> => {
    const n = next();
    const id = `test-shopper-${n}`;
    const displayName = `${name}${n}`;
    await db().insert(users).values({ id, phone: newPhone(), displayName, passwordHash: "x" });
    return { userId: id, displayName, phone: "", locale: "zh-CN", roles: [], memberships: [] };
  };

  /**
   * A new account made the owner of `businessCode`, written straight to the tables (no audit
   * line, no notice): one more member business of the alliance.
   */
  const newOwner = async (businessCode: string, name = "测试店主"): Promise<User & { businessId: number }> => {
    const n = next();
    const id = `test-owner-${n}`;
    await db()
      .insert(users)
      .values({ id, phone: newPhone(), displayName: `${name}${n}`, passwordHash: "x" });
    const bid = await businessId(businessCode);
    await db().insert(businessMembers).values({ businessId: bid, userId: id, role: "owner" });
    return { ...(await actor(id)), businessId: bid };
  };

  /**
   * A merchant made the way a real one is: a resident registers, the administrator issues a
   * claim code for `businessCode`, the resident claims it (audit lines and notices included).
   */
  const newMerchant = async (businessCode: string, name = "新店主") => {
    const resident = await registerResident(name);
    const { code, business } = await issueClaimCode(db(), await demo("admin"), businessCode);
    await claimBusiness(db(), await actor(resident.userId), code);
    return { ...resident, code, businessId: business.id, actor: await actor(resident.userId) };
  };

  let streams = 0;
  /**
   * A booking of `businessCode` in the first studio, written straight to the table (the
   * studio's rules are tested elsewhere), an hour long from `startsAt` plus one day per call,
   * so none overlap. Its stream key is its public id.
   */
  const newStream = async (options: {
    startsAt: Date;
    businessCode?: string;
    idPrefix?: string;
    title?: string;
    extra?: Partial<typeof bookings.$inferInsert>;
  }) => {
    const n = ++streams;
    const [studio] = await db().select().from(studios).limit(1);
    const bid = await businessId(options.businessCode ?? "S0001");
    const publicId = `${options.idPrefix ?? "stream"}${String(n).padStart(4, "0")}`;
    const startsAt = new Date(options.startsAt.getTime() + n * DAY);
    await db()
      .insert(bookings)
      .values({
        publicId,
        studioId: studio.id,
        businessId: bid,
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        title: options.title ?? "test stream",
        streamKeyHash: hashStreamKey(publicId),
        ...options.extra,
      });
    return { publicId, businessId: bid, startsAt, n };
  };

  return {
    get database() {
      return database();
    },
    db,
    actor,
    demo,
    demos,
    signedIn,
    businessId,
    rows,
    tablesSnapshot,
    expectRefused,
    refusalsKeeping,
    newPhone,
    registerResident,
    newShopper,
    newOwner,
    newMerchant,
    newStream,
    routeArgs: (url: string, actor: unknown, params?: Record<string, string>, init?: RequestInit, locale?: string) =>
      routeArgs(db(), url, actor, params, init, locale),
  };
}
