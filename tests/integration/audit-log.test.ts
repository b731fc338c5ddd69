import { describe, expect, it } from "vitest";
import { auditLog } from "../../db/schema";
import { grantRole } from "~/domain/accounts/roles.server";
import { auditFilterFrom, auditLogPage, type AuditFilter } from "~/domain/audit.server";
import { DEMO_USERS, useTestDatabase } from "../helpers/kit";

const { db, demo, businessId } = useTestDatabase();

const page = async (filter: Partial<AuditFilter>, pageSize?: number) =>
  auditLogPage(db(), await demo("admin"), { page: 1, ...filter }, pageSize);
const actions = async (filter: Partial<AuditFilter>) => (await page(filter)).lines.map((l) => l.action);

describe("the audit log", () => {
  it("names who did it, what, and to whom, with the numbers masked", async () => {
    await grantRole(db(), await demo("admin"), DEMO_USERS.resident.phone, "mediator");
    const [line] = (await page({})).lines;
    expect(line).toMatchObject({
      action: "role.granted",
      area: "accounts",
      actor: { name: DEMO_USERS.admin.displayName, phone: "138****0010" },
      target: { type: "user", params: { name: DEMO_USERS.resident.displayName, phone: "138****0001" }, href: null },
      details: { role: "mediator" },
    });
  });

  it("keeps the log to administrators: officers, mediators, residents and visitors are refused", async () => {
    for (const who of ["resident", "shopOwner", "president", "mediator", "gridWorker"] as const) {
      await expect(auditLogPage(db(), await demo(who), { page: 1 })).rejects.toMatchObject({
        code: "errors.forbidden",
        status: 403,
      });
    }
    await expect(auditLogPage(db(), null, { page: 1 })).rejects.toMatchObject({ status: 403 });
  });

  describe("filters by area, person and district day", () => {
    // Three entries in March 2020, long before anything the seed or the other tests write.
    it("writes its entries", async () => {
      const shop = await businessId("S0001");
      await db()
        .insert(auditLog)
        .values([
          {
            actorId: DEMO_USERS.shopOwner.id,
            action: "business.profile_updated",
            subjectType: "business",
            subjectId: String(shop),
            at: new Date("2020-03-01T10:00:00+08:00"),
          },
          {
            actorId: DEMO_USERS.admin.id,
            action: "studio.setQuota",
            subjectType: "business",
            subjectId: "S0001",
            after: { weeklyMinutes: 240 },
            at: new Date("2020-03-02T23:30:00+08:00"),
          },
          {
            actorId: null,
            action: "roster.uploads_purged",
            subjectType: "roster_import",
            subjectId: "7,8,9",
            at: new Date("2020-03-03T00:10:00+08:00"),
          },
        ]);
    });

    it("by district day, first and last included", async () => {
      expect(await actions({ from: "2020-03-01", to: "2020-03-03" })).toEqual([
        "roster.uploads_purged",
        "studio.setQuota",
        "business.profile_updated",
      ]);
      // 23:30 on 2 March in 禹州 is still 2 March; ten past midnight on 3 March is 3 March (UTC says 2 March).
      expect(await actions({ from: "2020-03-02", to: "2020-03-02" })).toEqual(["studio.setQuota"]);
      expect(await actions({ from: "2020-03-03", to: "2020-03-03" })).toEqual(["roster.uploads_purged"]);
      expect(await actions({ to: "2020-02-29" })).toEqual([]);
    });

    it("by area", async () => {
      const march = { from: "2020-03-01", to: "2020-03-31" };
      expect(await actions({ ...march, area: "roster" })).toEqual([
        "roster.uploads_purged",
        "business.profile_updated",
      ]);
      expect(await actions({ ...march, area: "studio" })).toEqual(["studio.setQuota"]);
      expect(await actions({ ...march, area: "market" })).toEqual([]);
      expect(await actions({ area: "accounts" })).toContain("role.granted");
      expect(await actions({ area: "accounts" })).not.toContain("studio.setQuota");
    });

    it("by the person who did it, by name or by any part of the mobile number", async () => {
      const march = { from: "2020-03-01", to: "2020-03-31" };
      expect(await actions({ ...march, person: "王建国" })).toEqual(["business.profile_updated"]);
      expect(await actions({ ...march, person: "建国" })).toEqual(["business.profile_updated"]);
      expect(await actions({ ...march, person: "138 0000 0010" })).toEqual(["studio.setQuota"]);
      expect(await actions({ ...march, person: "0010" })).toEqual(["studio.setQuota"]);
      expect(await actions({ person: "吴静" })).toEqual(expect.arrayContaining(["role.granted", "studio.setQuota"]));
      // A wildcard typed into the box is a character, not "anyone".
      expect(await actions({ person: "%" })).toEqual([]);
      expect(await actions({ person: "_" })).toEqual([]);
    });

    it("names the targets: a business by id or by code, with its page; the system; a purge by count", async () => {
      const shop = await businessId("S0001");
      const lines = (await page({ from: "2020-03-01", to: "2020-03-31" })).lines;
      expect(lines.map((l) => [l.actor, l.target, l.details])).toEqual([
        [null, { type: "roster_imports", params: { count: 3 }, href: "/admin/roster" }, {}],
        [
          { name: DEMO_USERS.admin.displayName, phone: "138****0010" },
          { type: "business", params: { name: "老王烩面馆", code: "S0001" }, href: `/shops/${shop}` },
          { minutes: 240 },
        ],
        [
          { name: DEMO_USERS.shopOwner.displayName, phone: "138****0002" },
          { type: "business", params: { name: "老王烩面馆", code: "S0001" }, href: `/shops/${shop}` },
          {},
        ],
      ]);
    });
  });

  it("shows a code it has no sentence for, and a subject that is gone, in words", async () => {
    await db()
      .insert(auditLog)
      .values([
        { actorId: DEMO_USERS.admin.id, action: "widget.spun", subjectType: "widget", subjectId: "42" },
        { actorId: DEMO_USERS.admin.id, action: "order.ready", subjectType: "order", subjectId: "999999" },
      ]);
    const [missing, unknown] = (await page({})).lines;
    expect(unknown).toMatchObject({
      action: "widget.spun",
      area: null,
      target: { type: "other", params: { id: "42" } },
    });
    expect(missing).toMatchObject({
      area: "market",
      target: { type: "missing", params: { kind: "order", id: "999999" }, href: null },
    });
  });

  it("pages newest first", async () => {
    const first = await page({}, 2);
    const second = await page({ page: 2 }, 2);
    expect(first.hasOlder).toBe(true);
    expect(first.lines).toHaveLength(2);
    expect(second.lines[0].id).toBeLessThan(first.lines[1].id);
    const all = (await page({}, 1000)).lines;
    const last = await page({ page: Math.ceil(all.length / 2) }, 2);
    expect(last.hasOlder).toBe(false);
  });

  it("reads its filters from the address, leaving out what is malformed", () => {
    expect(
      auditFilterFrom(new URLSearchParams("area=plaques&person=+王+&from=2026-12-01&to=2026-12-06&page=3")),
    ).toEqual({ area: "plaques", person: "王", from: "2026-12-01", to: "2026-12-06", page: 3 });
    expect(auditFilterFrom(new URLSearchParams("area=nope&from=12/01/2026&to=2026-13-45&page=-1"))).toEqual({
      area: undefined,
      person: undefined,
      from: undefined,
      to: undefined,
      page: 1,
    });
  });
});
