import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { DEMO_USERS } from "../../db/seed/demo";
import { listNotifications, markAllRead, notify, unreadCount } from "~/domain/notifications/notifications.server";
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
