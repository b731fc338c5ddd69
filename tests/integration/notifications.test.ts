import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { DEMO_USERS } from "../../db/seed/demo";
import { listNotifications, markAllRead, notify, unreadCount } from "~/domain/notifications/notifications.server";
import { headerCounts } from "~/domain/accounts/header-counts.server";
import { createAuth } from "~/domain/accounts/auth.server";
import { actorFromCookie } from "~/domain/accounts/session.server";
import { accountCartLines, addToCart, setCartQuantity } from "~/domain/market/cart.server";
import { and, eq } from "drizzle-orm";
import { businesses, products } from "../../db/schema";
import { loader as healthz } from "~/routes/healthz";
import { openTestDatabase, useTestDatabase } from "../helpers/kit";
import { createLogger } from "~/lib/log.server";

const database = useTestDatabase();

describe("the notification inbox", () => {
  it("counts unread notices per user and marks them read", async () => {
    const { resident, shopOwner } = DEMO_USERS;
    const before = await unreadCount(database.db(), resident.id);
    await notify(database.db(), resident.id, { kind: "role.granted", params: { role: "moderator" }, link: "/account" });
    await notify(database.db(), resident.id, { kind: "claim.completed", params: { business: "老王烩面馆" } });
    expect(await unreadCount(database.db(), resident.id)).toBe(before + 2);
    expect(await unreadCount(database.db(), shopOwner.id)).toBe(0);
    const [newest] = await listNotifications(database.db(), resident.id);
    expect(newest).toMatchObject({ kind: "claim.completed", params: { business: "老王烩面馆" } });
    await markAllRead(database.db(), resident.id);
    expect(await unreadCount(database.db(), resident.id)).toBe(0);
  });
});

describe("the header's badges", () => {
  it("count the signed-in user's cart items and unread notices in one read, and follow each change", async () => {
    const db = () => database.db();
    const shopper = await database.newShopper();
    const [a, b] = await db()
      .select({ id: products.id })
      .from(products)
      .innerJoin(businesses, eq(businesses.id, products.businessId))
      .where(and(eq(products.hidden, false), eq(businesses.status, "open")))
      .orderBy(products.id)
      .limit(2);
    const expected = async (userId: string) => ({
      cart: (await accountCartLines(db(), userId)).reduce((sum, line) => sum + line.quantity, 0),
      unread: await unreadCount(db(), userId),
    });
    expect(await headerCounts(db(), shopper.userId)).toEqual({ cart: 0, unread: 0 });
    await addToCart(db(), shopper, a.id, 2);
    await addToCart(db(), shopper, b.id, 1);
    await notify(db(), shopper.userId, { kind: "claim.completed", params: { business: "老王烩面馆" } });
    await notify(db(), DEMO_USERS.resident.id, { kind: "claim.completed", params: { business: "别人的" } });
    expect(await headerCounts(db(), shopper.userId)).toEqual({ cart: 3, unread: 1 });
    expect(await headerCounts(db(), shopper.userId)).toEqual(await expected(shopper.userId));
    expect(await headerCounts(db(), DEMO_USERS.resident.id)).toEqual(await expected(DEMO_USERS.resident.id));
    await setCartQuantity(db(), shopper, a.id, 5);
    await markAllRead(db(), shopper.userId);
    expect(await headerCounts(db(), shopper.userId)).toEqual({ cart: 6, unread: 0 });
  });
});

describe("who is asking", () => {
  // The session read is built once per database and run with each request's session
  // (docs/decisions/047): every request must still get its own user, and an ended session none.
  it("finds each request's own user from its cookie, and nobody once the session is gone", async () => {
    const auth = createAuth(database.db(), { secure: false });
    const cookieOf = async (userId: string) => {
      const session = await auth.createSession(userId, {});
      return { id: session.id, cookie: auth.createSessionCookie(session.id).serialize().split(";")[0] };
    };
    const [resident, owner, admin] = await Promise.all(
      [DEMO_USERS.resident, DEMO_USERS.shopOwner, DEMO_USERS.admin].map((u) => cookieOf(u.id)),
    );
    for (const [session, user] of [
      [resident, DEMO_USERS.resident],
      [owner, DEMO_USERS.shopOwner],
      [admin, DEMO_USERS.admin],
      [resident, DEMO_USERS.resident],
    ] as const) {
      const { actor } = await actorFromCookie(database.db(), auth, session.cookie);
      expect(actor?.userId).toBe(user.id);
    }
    const { actor: ownerActor } = await actorFromCookie(database.db(), auth, owner.cookie);
    expect(ownerActor?.memberships.length).toBeGreaterThan(0);
    await auth.invalidateSession(owner.id);
    expect((await actorFromCookie(database.db(), auth, owner.cookie)).actor).toBeNull();
    expect((await actorFromCookie(database.db(), auth, admin.cookie)).actor?.userId).toBe(DEMO_USERS.admin.id);
  });
});

describe("the health check", () => {
  const call = (db: Database["db"]) =>
    healthz({
      request: new Request("http://x/healthz"),
      params: {},
      context: { db, log: createLogger("silent"), requestId: "t" } as never,
    });

  it("answers 200 while the database answers, 503 once it is gone", async () => {
    expect((await call(database.db())).status).toBe(200);
    const gone = await openTestDatabase();
    await gone.close();
    expect((await call(gone.db)).status).toBe(503);
  });
});
