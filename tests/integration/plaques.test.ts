import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  allianceAnnouncements,
  auditLog,
  awards,
  businesses,
  notifications,
  plaqueNominations,
  plaqueRounds,
} from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { isPlaqueCodeShaped } from "~/domain/badges/plaque-code";
import { PLAQUE_ISSUER } from "~/domain/badges/rules";
import { roundSchema } from "~/domain/badges/schemas";
import {
  decideNomination,
  holdersOf,
  listRounds,
  nominate,
  openRound,
  reviewSheet,
  revokePlaque,
  roundPage,
} from "~/domain/badges/selection.server";
import { verifyPlaque } from "~/domain/badges/verify.server";
import { businessPage } from "~/domain/directory/business.server";
import { directoryFilterSchema } from "~/domain/directory/filters";
import { districtMap } from "~/domain/directory/map.server";
import { searchDirectory } from "~/domain/directory/search.server";
import { giveFeedback } from "~/domain/feedback/feedback.server";
import { districtDate } from "~/lib/time";
import { action as roundAction } from "~/routes/plaques.rounds.$id";
import { type DemoUserKey, useTestDatabase } from "../helpers/kit";

const kit = useTestDatabase();
const { db, rows, businessId, demo } = kit;

/** Everything the selection writes, to show a refusal wrote nothing. */
const snapshot = async () => ({
  rounds: await rows(plaqueRounds),
  nominations: await rows(plaqueNominations),
  decided: await rows(plaqueNominations, eq(plaqueNominations.status, "open")),
  awards: await rows(awards),
  revoked: (await db().select({ r: awards.revokedAt }).from(awards)).filter((a) => a.r).length,
  announcements: await rows(allianceAnnouncements),
  notifications: await rows(notifications),
  audit: await rows(auditLog),
});
/** Refused, and what `snapshot` reads is the same after. */
const expectRefused = kit.refusalsKeeping(snapshot);

/** `who` (a demo account, or nobody) deciding nomination `id` is refused with `code` (and `status`). */
const decisionRefused = (
  who: DemoUserKey | null,
  id: number,
  decision: Parameters<typeof decideNomination>[3],
  at: Date,
  code: string,
  status?: number,
) => expectRefused(async () => decideNomination(db(), who && (await demo(who)), id, decision, at), code, status);

// 2026-12-01 10:00 in the district. Round windows are whole days in Asia/Shanghai.
const T0 = new Date("2026-12-01T02:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const rawRound = (over: Partial<Record<string, string>> = {}) => ({
  kind: "recommended",
  year: "2027",
  criteria: "诚信经营，近一年无属实投诉。",
  nominationFrom: "2026-12-01",
  nominationTo: "2026-12-14",
  reviewFrom: "2026-12-10",
  reviewTo: "2026-12-31",
  ...over,
});
const round = (over: Partial<Record<string, string>> = {}) => roundSchema.parse(rawRound(over));

describe("the seeded selection", () => {
  it("has the rounds behind the seeded plaques, every plaque linked to its nomination", async () => {
    const list = await listRounds(db(), T0);
    expect(list.map((r) => [r.year, r.kind, r.phase, r.awarded, r.declined, r.revoked])).toEqual([
      [2026, "model_merchant", "closed", 8, 0, 0],
      [2026, "recommended", "closed", 12, 2, 0],
      [2025, "recommended", "closed", 3, 0, 1],
    ]);
    expect(await rows(awards)).toBe(23);
    const unlinked = (await db().select({ n: awards.nominationId }).from(awards)).filter((a) => a.n === null);
    expect(unlinked).toEqual([]);
    const holders = await holdersOf(db(), 2026);
    expect(holders.filter((h) => h.kind === "recommended")).toHaveLength(12);
  });
});

describe("a round from opening to revocation", () => {
  it("staff open, an officer and a merchant nominate, staff review the record and award, the directory shows it at once, staff revoke", async () => {
    const [admin, president, owner] = await kit.demos("admin", "president", "shopOwner");
    const [s0001, s0010] = [await businessId("S0001"), await businessId("S0010")];

    const r = await openRound(db(), admin, round(), T0);
    expect(r).toMatchObject({ year: 2027, kind: "recommended", openedBy: admin.userId });
    expect(r.nominationOpensAt).toEqual(new Date("2026-11-30T16:00:00Z"));
    expect(r.nominationClosesAt).toEqual(new Date("2026-12-14T16:00:00Z"));
    expect(r.reviewClosesAt).toEqual(new Date("2026-12-31T16:00:00Z"));

    const byOfficer = await nominate(
      db(),
      president,
      { roundId: r.id, businessCode: "s0010", reason: "顾客口碑好" },
      at(0.1),
    );
    expect(byOfficer).toMatchObject({ businessId: s0010, capacity: "officer", status: "open" });
    const byOwner = await nominate(
      db(),
      owner,
      { roundId: r.id, businessCode: "S0001", reason: "本店足斤足两" },
      at(0.2),
    );
    expect(byOwner).toMatchObject({ businessId: s0001, capacity: "merchant" });
    // Somebody else nominating a shop tells its owner.
    const byStaff = await nominate(
      db(),
      await demo("mediator"),
      { roundId: r.id, businessCode: "T0001", reason: "凉皮摊干净卫生" },
      at(0.3),
    );
    expect(byStaff.capacity).toBe("staff");
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.stallOwner.id), eq(notifications.kind, "plaques.nominated")),
      ),
    ).toBe(1);

    // The public sees no undecided nominations; officers and staff see them all; the owner its own.
    expect((await roundPage(db(), null, r.id, at(1))).nominations).toEqual([]);
    expect((await roundPage(db(), null, r.id, at(1))).hidden).toBe(3);
    expect((await roundPage(db(), president, r.id, at(1))).nominations).toHaveLength(3);
    expect((await roundPage(db(), owner, r.id, at(1))).nominations.map((n) => n.businessId)).toEqual([s0001]);

    // The reviewer's sheet: the last 12 months and every earlier plaque, revocations included.
    await giveFeedback(
      db(),
      await demo("resident"),
      { source: "shop_page", kind: "complaint", businessId: s0001, body: "分量不足", hideName: false },
      at(1),
    );
    const sheet = await reviewSheet(db(), admin, byOwner.id, at(10));
    expect(sheet.record.complaints).toBeGreaterThanOrEqual(1);
    expect(sheet.record.feedbackByKind.complaint).toBe(sheet.record.complaints);
    expect(sheet.plaques.map((p) => [p.year, p.kind])).toEqual([
      [2026, "recommended"],
      [2025, "recommended"],
    ]);
    expect(sheet.otherNominations.map((n) => [n.year, n.status])).toEqual([
      [2026, "awarded"],
      [2025, "awarded"],
    ]);
    expect(sheet.mayDecide).toBe(true);
    // A plaque the business lost shows with its revocation on its sheet.
    const revokedHolder = (await db().select().from(awards).where(eq(awards.year, 2025))).find((a) => a.revokedAt)!;
    const lostNomination = await nominate(
      db(),
      president,
      {
        roundId: r.id,
        businessCode: (
          await db()
            .select({ code: businesses.code })
            .from(businesses)
            .where(eq(businesses.id, revokedHolder.businessId))
        )[0].code,
        reason: "已整改",
      },
      at(0.5),
    );
    const lostSheet = await reviewSheet(db(), admin, lostNomination.id, at(10));
    expect(lostSheet.plaques).toEqual([
      expect.objectContaining({
        year: 2025,
        revokeReason: revokedHolder.revokeReason,
        revokedAt: revokedHolder.revokedAt,
      }),
    ]);

    // Before the award: S0001 holds this year's plaque only as of 2026.
    const filters = directoryFilterSchema.parse({ q: "老王烩面馆" });
    expect((await searchDirectory(db(), filters, at(10))).items[0].plaques.map((p) => p.year)).toEqual([2026]);

    const announcementsBefore = await rows(allianceAnnouncements);
    // Two staff decisions: the administrator recommends, the mediator confirms.
    const recommended = await decideNomination(
      db(),
      admin,
      byOwner.id,
      { decision: "award", comment: "坚持明码标价，群众满意。" },
      at(10),
    );
    expect(recommended).toMatchObject({ award: null, nomination: { status: "recommended" } });
    expect(await rows(allianceAnnouncements)).toBe(announcementsBefore);
    const { award } = await decideNomination(
      db(),
      await demo("mediator"),
      byOwner.id,
      { decision: "award", comment: "同意授牌。" },
      at(10),
    );
    expect(award).toMatchObject({
      businessId: s0001,
      kind: "recommended",
      year: 2027,
      citation: "坚持明码标价，群众满意。",
      issuer: PLAQUE_ISSUER,
      roundId: r.id,
      nominationId: byOwner.id,
      awardedBy: DEMO_USERS.mediator.id,
    });
    expect(isPlaqueCodeShaped(award!.plaqueCode)).toBe(true);
    expect(await verifyPlaque(db(), award!.plaqueCode, at(10))).toMatchObject({
      verdict: "current",
      year: 2027,
      businessId: s0001,
    });
    // At once: the directory (behind its cache), the shop page and the map. Until the 2027 review
    // closes, the 2026 plaques stay current too (the selection is not finished).
    const plaquesOf = async (when: Date) => (await searchDirectory(db(), filters, when)).items[0].plaques;
    const [old2026] = await db()
      .select()
      .from(awards)
      .where(and(eq(awards.businessId, s0001), eq(awards.year, 2026), eq(awards.kind, "recommended")));
    expect(await plaquesOf(at(10))).toEqual([
      { kind: "recommended", year: 2027, code: award!.plaqueCode },
      { kind: "recommended", year: 2026, code: old2026.plaqueCode },
    ]);
    expect((await businessPage(db(), null, s0001, at(10))).plaques[0]).toMatchObject({
      code: award!.plaqueCode,
      state: "current",
    });
    expect(await verifyPlaque(db(), old2026.plaqueCode, at(10))).toMatchObject({ verdict: "current" });
    const holderDots = async (when: Date) =>
      (await districtMap(db(), directoryFilterSchema.parse({ plaque: "recommended" }), when)).points
        .filter((p) => p.matches)
        .map((p) => p.businessId);
    const holders2026 = (
      await db()
        .select({ id: awards.businessId })
        .from(awards)
        .where(and(eq(awards.year, 2026), eq(awards.kind, "recommended")))
    ).map((a) => a.id);
    expect((await holderDots(at(10))).sort()).toEqual([...new Set([...holders2026, s0001])].sort());
    // Once the 2027 review has closed, only the 2027 plaques are current.
    expect(await plaquesOf(at(31))).toEqual([{ kind: "recommended", year: 2027, code: award!.plaqueCode }]);
    expect(await verifyPlaque(db(), old2026.plaqueCode, at(31))).toMatchObject({ verdict: "superseded" });
    expect(await verifyPlaque(db(), award!.plaqueCode, at(31))).toMatchObject({ verdict: "current" });
    expect(await holderDots(at(31))).toEqual([s0001]);
    // The board announces it; the owner and the nominator are told (here the same person).
    expect(await rows(allianceAnnouncements)).toBe(announcementsBefore + 1);
    const [announcement] = await db()
      .select()
      .from(allianceAnnouncements)
      .orderBy(allianceAnnouncements.id)
      .limit(1)
      .offset(announcementsBefore);
    expect(announcement).toMatchObject({ authorId: null });
    expect(announcement.title).toContain("老王烩面馆");
    expect(announcement.body).toContain(`/verify/${award!.plaqueCode}`);
    expect(
      await rows(notifications, and(eq(notifications.userId, owner.userId), eq(notifications.kind, "plaques.awarded"))),
    ).toBe(1);

    // The officer's nominee is declined; the decline comment is not public.
    await decideNomination(db(), admin, byOfficer.id, { decision: "decline", comment: "经营时间不足一年" }, at(11));
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, president.userId), eq(notifications.kind, "plaques.declined")),
      ),
    ).toBe(1);
    const publicPage = await roundPage(db(), null, r.id, at(11));
    expect(publicPage.nominations.map((n) => [n.businessId, n.status, n.reviewComment])).toEqual([
      [s0001, "awarded", "坚持明码标价，群众满意。"],
    ]);

    // After the review window, an undecided nomination has lapsed.
    const closed = await roundPage(db(), president, r.id, at(31));
    expect(closed.round.phase).toBe("closed");
    expect(closed.nominations.find((n) => n.id === byStaff.id)).toMatchObject({ status: "open", lapsed: true });

    // 摘牌: revoked from that moment on, gone from the directory and the map, the owner told.
    const revoked = await revokePlaque(db(), admin, award!.plaqueCode.toUpperCase(), "价格投诉经调解属实", at(12));
    expect(revoked.revokedAt).toEqual(at(12));
    expect(await verifyPlaque(db(), award!.plaqueCode, at(12))).toMatchObject({
      verdict: "revoked",
      revokeReason: "价格投诉经调解属实",
    });
    expect(await plaquesOf(at(12))).toEqual([{ kind: "recommended", year: 2026, code: old2026.plaqueCode }]);
    expect(await plaquesOf(at(31))).toEqual([]);
    expect(await holderDots(at(31))).toEqual([]);
    expect(
      await rows(notifications, and(eq(notifications.userId, owner.userId), eq(notifications.kind, "plaques.revoked"))),
    ).toBe(1);
    const [revokedNotice] = await db()
      .select({ params: notifications.params })
      .from(notifications)
      .where(and(eq(notifications.userId, owner.userId), eq(notifications.kind, "plaques.revoked")));
    expect(revokedNotice.params).toMatchObject({ business: "老王烩面馆", reason: "价格投诉经调解属实" });

    // Every step is in the audit log.
    const actions = (
      await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.action, "plaque.roundOpened"))
    ).length;
    expect(actions).toBe(1);
    for (const action of ["plaque.nominated", "plaque.awarded", "plaque.declined", "plaque.revoked"]) {
      expect(await rows(auditLog, eq(auditLog.action, action)), action).toBeGreaterThanOrEqual(1);
    }
    expect(await rows(auditLog, eq(auditLog.action, "plaque.nominated"))).toBe(4);
  });
});

describe("refusals write nothing", () => {
  let roundId: number;
  beforeAll(async () => {
    roundId = (await openRound(db(), await demo("admin"), round({ kind: "model_merchant", year: "2027" }), T0)).id;
  });

  it("only staff open a round, once per kind and year, with a window still ahead", async () => {
    for (const who of ["president", "shopOwner", "resident"] as const) {
      await expectRefused(
        async () => openRound(db(), await demo(who), round({ year: "2030" }), T0),
        "errors.forbidden",
        403,
      );
    }
    await expectRefused(async () => openRound(db(), null, round({ year: "2030" }), T0), "errors.forbidden", 403);
    await expectRefused(
      async () => openRound(db(), await demo("gridWorker"), round({ kind: "model_merchant", year: "2027" }), T0),
      "plaques.errors.roundExists",
      409,
    );
    await expectRefused(
      async () =>
        openRound(
          db(),
          await demo("admin"),
          round({ year: "2031", nominationFrom: "2026-11-01", nominationTo: "2026-11-20" }),
          T0,
        ),
      "plaques.errors.windowPast",
    );
    const messages = (over: Record<string, string>) =>
      roundSchema.safeParse(rawRound(over)).error?.issues.map((i) => i.message);
    expect(messages({ nominationTo: "2026-11-30" })).toContain("plaques.errors.windowOrder");
    expect(messages({ reviewTo: "2026-12-13" })).toEqual(["plaques.errors.reviewEndsEarly"]);
    expect(messages({ reviewFrom: "2026-11-30" })).toEqual(["plaques.errors.reviewBeforeNomination"]);
    expect(messages({ nominationFrom: "1 Dec" })).toEqual(["plaques.errors.badDate"]);
  });

  it("refuses nominations outside the window, a second nomination, and merchants nominating others", async () => {
    const president = await demo("president");
    const input = { roundId, businessCode: "S0020", reason: "热心公益" };
    await expectRefused(
      () => nominate(db(), president, input, new Date("2026-11-30T15:59:59Z")),
      "plaques.errors.nominationNotOpen",
    );
    await expectRefused(
      () => nominate(db(), president, input, new Date("2026-12-14T16:00:00Z")),
      "plaques.errors.nominationClosed",
    );
    await nominate(db(), president, input, at(1));
    // A second nomination of the same business in the round, by anyone.
    await expectRefused(
      async () => nominate(db(), await demo("admin"), input, at(2)),
      "plaques.errors.alreadyNominated",
      409,
    );
    await expectRefused(() => nominate(db(), president, input, at(2)), "plaques.errors.alreadyNominated", 409);
    // A merchant nominates its own business only; a resident nobody.
    await expectRefused(
      async () => nominate(db(), await demo("shopOwner"), { ...input, businessCode: "S0030" }, at(1)),
      "errors.forbidden",
      403,
    );
    await expectRefused(
      async () => nominate(db(), await demo("stallOwner"), { ...input, businessCode: "S0001" }, at(1)),
      "errors.forbidden",
      403,
    );
    await expectRefused(
      async () => nominate(db(), await demo("resident"), { ...input, businessCode: "S0030" }, at(1)),
      "errors.forbidden",
      403,
    );
    await expectRefused(
      () => nominate(db(), null, { ...input, businessCode: "S0030" }, at(1)),
      "errors.forbidden",
      403,
    );
    await expectRefused(
      () => nominate(db(), president, { ...input, businessCode: "S9999" }, at(1)),
      "errors.businessUnknown",
    );
    await expectRefused(() => nominate(db(), president, { ...input, roundId: 999_999 }, at(1)), "errors.notFound", 404);
    await expectRefused(
      () => nominate(db(), president, { ...input, businessCode: "S0031", reason: "  " }, at(1)),
      "errors.required",
    );
  });

  it("refuses nominating a business that already holds that year's plaque, and awarding one", async () => {
    const [president, admin] = await kit.demos("president", "admin");
    // A plaque given outside the selection (e.g. carried over from paper): its holder cannot be nominated for it...
    await db()
      .insert(awards)
      .values({
        businessId: await businessId("S0041"),
        kind: "model_merchant",
        year: 2027,
        issuer: PLAQUE_ISSUER,
        plaqueCode: "0123456789abcdefghjkmnpqrt",
      });
    await expectRefused(
      () => nominate(db(), president, { roundId, businessCode: "S0041", reason: "党员带头" }, at(1)),
      "plaques.errors.alreadyHolds",
      409,
    );
    // ...nor awarded it when the plaque came after the nomination.
    const n = await nominate(db(), president, { roundId, businessCode: "S0040", reason: "党员带头" }, at(1));
    await db()
      .insert(awards)
      .values({
        businessId: await businessId("S0040"),
        kind: "model_merchant",
        year: 2027,
        issuer: PLAQUE_ISSUER,
        plaqueCode: "0123456789abcdefghjkmnpqrs",
      });
    await expectRefused(
      () => decideNomination(db(), admin, n.id, { decision: "award", comment: "示范作用突出" }, at(10)),
      "plaques.errors.alreadyHolds",
      409,
    );
    // Declining it is still possible.
    await decideNomination(db(), admin, n.id, { decision: "decline", comment: "已持有本年度牌匾" }, at(10));
  });

  it("refuses a decision by anyone but a reviewer who did not nominate, outside the review window, or twice", async () => {
    const n = await nominate(
      db(),
      await demo("mediator"),
      { roundId, businessCode: "S0050", reason: "服务热情" },
      at(1),
    );
    const decision = { decision: "award" as const, comment: "同意" };
    for (const who of ["president", "moderator", "shopOwner", "resident", "gridWorker"] as const) {
      await decisionRefused(who, n.id, decision, at(10), "errors.forbidden", 403);
      await expectRefused(async () => reviewSheet(db(), await demo(who), n.id, at(10)), "errors.forbidden", 403);
    }
    await decisionRefused(null, n.id, decision, at(10), "errors.forbidden", 403);
    // The staff member who nominated it does not decide it.
    await decisionRefused("mediator", n.id, decision, at(10), "plaques.errors.conflicted", 403);
    // Review opens on 12-10 and closes at the end of 12-31.
    await decisionRefused("admin", n.id, decision, at(8), "plaques.errors.reviewNotOpen");
    await decisionRefused("admin", n.id, decision, new Date("2026-12-31T16:00:00Z"), "plaques.errors.reviewClosed");
    await decisionRefused("admin", n.id, { decision: "award", comment: " " }, at(10), "errors.required");
    await decisionRefused("admin", 999_999, decision, at(10), "errors.notFound", 404);
    // The administrator recommends; the same administrator can take no second decision, and the
    // mediator (who nominated it) is conflicted: nobody may confirm; it lapses with the round.
    await decideNomination(db(), await demo("admin"), n.id, decision, at(10));
    await decisionRefused("admin", n.id, decision, at(10), "plaques.errors.secondStaffNeeded", 403);
    await decisionRefused("mediator", n.id, decision, at(10), "plaques.errors.conflicted", 403);
    await decisionRefused(
      "admin",
      n.id,
      { decision: "decline", comment: "改主意" },
      at(11),
      "plaques.errors.secondStaffNeeded",
      403,
    );
    // A decision made is final: a declined nomination is neither awarded nor declined again.
    const other = await nominate(
      db(),
      await demo("president"),
      { roundId, businessCode: "S0051", reason: "守信" },
      at(1),
    );
    await decideNomination(db(), await demo("admin"), other.id, { decision: "decline", comment: "投诉未结" }, at(10));
    for (const [who, d] of [
      ["mediator", decision],
      ["admin", { decision: "decline" as const, comment: "改主意" }],
    ] as const)
      await decisionRefused(who, other.id, d, at(11), "plaques.errors.alreadyDecided", 409);
  });

  it("only staff revoke, once, with a reason", async () => {
    const [held] = await db()
      .select()
      .from(awards)
      .where(and(eq(awards.year, 2026), eq(awards.kind, "model_merchant")))
      .limit(1);
    for (const who of ["president", "shopOwner", "resident"] as const) {
      await expectRefused(
        async () => revokePlaque(db(), await demo(who), held.plaqueCode, "x", at(1)),
        "errors.forbidden",
        403,
      );
    }
    await expectRefused(
      async () => revokePlaque(db(), await demo("admin"), held.plaqueCode, "  ", at(1)),
      "errors.required",
    );
    await expectRefused(
      async () => revokePlaque(db(), await demo("admin"), "0".repeat(26), "x", at(1)),
      "errors.notFound",
      404,
    );
    await revokePlaque(db(), await demo("admin"), held.plaqueCode, "违反承诺", at(1));
    await expectRefused(
      async () => revokePlaque(db(), await demo("admin"), held.plaqueCode, "再次", at(2)),
      "plaques.errors.alreadyRevoked",
      409,
    );
  });

  it("the nomination form answers a refusal with its message key and status, nothing written", async () => {
    // The route reads the server's clock: a round whose nomination window is open today.
    const today = districtDate(new Date());
    const live = await openRound(
      db(),
      await demo("admin"),
      round({
        year: "2040",
        nominationFrom: districtDate(new Date(Date.now() - DAY)),
        nominationTo: districtDate(new Date(Date.now() + 30 * DAY)),
        reviewFrom: today,
        reviewTo: districtDate(new Date(Date.now() + 60 * DAY)),
      }),
      new Date(),
    );
    const post = async (fields: Record<string, string>, who: unknown) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      const args = {
        request: new Request(`http://localhost/plaques/rounds/${live.id}`, { method: "POST", body: form }),
        params: { id: String(live.id) },
        context: { db: db(), actor: who, locale: "en" },
      };
      return (await roundAction(args as never)) as unknown as {
        init: { status: number };
        data: unknown;
        status?: number;
      };
    };
    const before = await snapshot();
    const tooLong = await post({ businessCode: "S0060", reason: "x".repeat(501) }, await demo("president"));
    expect(tooLong.init.status).toBe(400);
    expect(JSON.stringify(tooLong.data)).toContain("plaques.errors.tooLong");
    const notOwn = await post({ businessCode: "S0060", reason: "好" }, await demo("shopOwner"));
    expect(notOwn.init.status).toBe(403);
    expect(JSON.stringify(notOwn.data)).toContain("errors.forbidden");
    expect(await snapshot()).toEqual(before);
    const ok = (await post({ businessCode: "S0060", reason: "好" }, await demo("president"))) as unknown as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/plaques/rounds/${live.id}?nominated=1`);
    const again = await post({ businessCode: "S0060", reason: "好" }, await demo("admin"));
    expect(again.init.status).toBe(409);
    expect(JSON.stringify(again.data)).toContain("plaques.errors.alreadyNominated");
  });
});
