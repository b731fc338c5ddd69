/**
 * Issue 15, "Conflicts of interest" and "Privacy": nobody judges their own case, "resolved" is
 * what both parties confirmed, a merchant answers only what the desk sent it, an award takes two
 * staff decisions, the plaque record counts complaints by outcome, grid contacts linked to
 * accounts mediate their micro-grid, and personal numbers stay out of public text.
 * Each refusal is tried for the roles that must be refused and writes nothing.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf, type Db } from "../../db/client";
import {
  allianceAnnouncements,
  auditLog,
  awards,
  businesses,
  disputeEvents,
  disputes,
  feedback,
  gridContacts,
  microGrids,
  notifications,
  plaqueNominations,
} from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { loadUser } from "~/domain/accounts/accounts.server";
import type { User } from "~/domain/accounts/actor";
import { roundSchema } from "~/domain/badges/schemas";
import { decideNomination, nominate, openRound, reviewSheet } from "~/domain/badges/selection.server";
import * as disputesDomain from "~/domain/disputes/disputes.server";
import {
  closeDispute,
  confirmAgreement,
  escalateDispute,
  escalateDueDisputes,
  fileDispute,
  getDispute,
  listDisputes,
  recordAgreement,
} from "~/domain/disputes/disputes.server";
import { deskStats } from "~/domain/disputes/stats.server";
import * as feedbackDomain from "~/domain/feedback/feedback.server";
import {
  answerFeedback,
  businessRecord,
  deskFeedback,
  feedbackToDispute,
  giveFeedback,
  publicAnswered,
  sendToMerchant,
  shopFeedback,
  triageFeedback,
} from "~/domain/feedback/feedback.server";
import { setGridContacts } from "~/domain/roster/grids.server";
import { gridContactsSchema } from "~/domain/roster/schemas";
import { action as disputeAction } from "~/routes/disputes.$id._index";
import { openTestDatabase, useTestDatabase } from "../helpers/kit";

const kit = useTestDatabase();
const { db, rows, actor, businessId, demo } = kit;

const DAY = 24 * 3_600_000;
const T0 = new Date("2026-03-02T02:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** Everything the desk and the selection write, to show a refusal wrote nothing. */
const snapshot = kit.tablesSnapshot(
  { disputes, feedback, nominations: plaqueNominations, contacts: gridContacts },
  { events: disputeEvents, notifications, audit: auditLog, awards, announcements: allianceAnnouncements },
);

/** The demo resident complains about the business `businessId` (on its shop page unless `source` says) at T0. */
const residentComplains = async (businessId: number, body: string, source: "shop_page" | "plaque" = "shop_page") =>
  giveFeedback(db(), await demo("resident"), { source, kind: "complaint", businessId, body, hideName: false }, T0);

/** Refused, and what `snapshot` reads is the same after. */
const expectRefused = kit.refusalsKeeping(snapshot);

type Category = Parameters<typeof fileDispute>[2]["category"];

/** The demo resident files a dispute of `category` against the business `respondentBusinessId`. */
const fileAgainst = async (respondentBusinessId: number, category: Category, description: string, when = T0) =>
  fileDispute(db(), await demo("resident"), { category, respondentBusinessId, description }, when);

/** The demo resident complains about the prices of the business `code`. */
const file = async (code: string, description = "价格不符，电话 13912345678", when = T0) =>
  fileAgainst(await businessId(code), "goods_prices", description, when);

const assignedEvents = async (id: number) =>
  db()
    .select({ params: disputeEvents.params })
    .from(disputeEvents)
    .where(and(eq(disputeEvents.disputeId, id), eq(disputeEvents.kind, "assigned")));

/**
 * `work` on a fresh copy of the seeded database, whose counts start from the seed's: its db,
 * a user by id, the demo resident, and the business `code`; the copy is closed after.
 */
async function onFreshDatabase(
  code: string,
  work: (fresh: { fdb: Db; who: (id: string) => Promise<User>; resident: User; b: { id: number } }) => Promise<void>,
) {
  const fresh = await openTestDatabase();
  try {
    const fdb = fresh.db;
    const who = async (id: string) => (await loadUser(fdb, id))!;
    const [b] = await fdb.select({ id: businesses.id }).from(businesses).where(eq(businesses.code, code));
    await work({ fdb, who, resident: await who(DEMO_USERS.resident.id), b });
  } finally {
    await fresh.close();
  }
}

const { routeArgs } = kit;

describe("1. nobody mediates, escalates or closes a dispute about their own business", () => {
  it("the moderator who owns S0005 sees the dispute against it only as its respondent and cannot close it", async () => {
    const d = await file("S0005");
    const moderator = await demo("moderator");
    const view = await getDispute(db(), moderator, d.id);
    expect(view.filer!.phone).toBe("138****0001");
    expect(view.dispute.description).toBe("价格不符，电话 139****5678");
    expect(view.may).toMatchObject({ mediate: false, escalate: false });
    for (const outcome of ["resolved", "withdrawn", "unresolvable"] as const)
      await expectRefused(() => closeDispute(db(), moderator, d.id, { outcome, note: "已处理" }, at(1)), {
        status: outcome === "resolved" ? 400 : 403,
      });
    await expectRefused(() => escalateDispute(db(), moderator, d.id, at(1)), { status: 403 });
    await expectRefused(() => recordAgreement(db(), moderator, d.id, "退款", at(1)), { status: 403 });
    await expectRefused(
      () => disputesDomain.addDisputeNote(db(), moderator, d.id, { kind: "note", body: "x" }, at(1)),
      { status: 403 },
    );
    // Through the page's form too: a 4xx and nothing written.
    const before = await snapshot();
    const result = await disputeAction(
      routeArgs(
        `/disputes/${d.id}`,
        moderator,
        { id: String(d.id) },
        {
          method: "POST",
          body: new URLSearchParams({ intent: "close", outcome: "withdrawn", note: "" }),
        },
      ),
    );
    expect((result as { init?: { status: number } }).init?.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    // S0005's micro-grid has no contact linked to an account: the alliance takes it, the president first.
    expect(d).toMatchObject({ level: "alliance", assigneeId: DEMO_USERS.president.id });
  });

  it("the grid worker of G1-1 no longer gets (nor closes) a dispute against S0002 in another micro-grid", async () => {
    const d = await file("S0002");
    expect(d.assigneeId).not.toBe(DEMO_USERS.gridWorker.id);
    const worker = await demo("gridWorker");
    const view = await getDispute(db(), worker, d.id);
    expect(view.filer!.phone).toBe("138****0001");
    for (const outcome of ["resolved", "withdrawn"] as const)
      await expectRefused(() => closeDispute(db(), worker, d.id, { outcome, note: "" }, at(1)), {
        status: outcome === "resolved" ? 400 : 403,
      });
    // Other staff not assigned to it are refused as well: the mediator, the administrator.
    for (const who of [await demo("mediator"), await demo("admin")])
      await expectRefused(() => closeDispute(db(), who, d.id, { outcome: "unresolvable", note: "x" }, at(1)), {
        status: 403,
      });
  });

  it("a dispute against the president's S0002 that reaches the alliance goes to the next officer, who is named", async () => {
    const d = await file("S0002");
    // No linked grid contact in S0002's micro-grid: straight to the alliance, the president skipped.
    expect(d).toMatchObject({ level: "alliance", assigneeId: DEMO_USERS.vicePresident1.id });
    const [placed] = await assignedEvents(d.id);
    expect(placed.params).toMatchObject({ level: "alliance", assigneeId: DEMO_USERS.vicePresident1.id });
    expect(String(placed.params.skipped)).toContain(DEMO_USERS.president.displayName);
    const president = await demo("president");
    await expectRefused(() => closeDispute(db(), president, d.id, { outcome: "unresolvable", note: "x" }, at(1)), {
      status: 403,
    });
    await expectRefused(() => escalateDispute(db(), president, d.id, at(1)), { status: 403 });
    expect((await getDispute(db(), president, d.id)).filer!.phone).toBe("138****0001");
    // The vice-president mediates and sees the phones while it is open.
    const vp1 = await demo("vicePresident1");
    const asMediator = await getDispute(db(), vp1, d.id);
    expect(asMediator.filer!.phone).toBe(DEMO_USERS.resident.phone);
    expect(asMediator.may.mediate).toBe(true);
    // Escalated by hand: the community's mediator.
    const up = await escalateDispute(db(), vp1, d.id, at(1));
    expect(up).toMatchObject({ level: "community", assigneeId: DEMO_USERS.mediator.id });
  });

  it("when president and vice-presidents are all conflicted the escalation skips them in turn", async () => {
    // A dispute filed by the vice-president against the president's shop, escalated past the grid by the clock.
    const d = await fileDispute(
      db(),
      await demo("vicePresident1"),
      { category: "neighbours", respondentBusinessId: await businessId("S0002"), description: "门口堆货" },
      T0,
    );
    expect(d.assigneeId).toBe(DEMO_USERS.vicePresident2.id);
    const [placed] = await assignedEvents(d.id);
    expect(String(placed.params.skipped)).toContain(DEMO_USERS.president.displayName);
    expect(String(placed.params.skipped)).toContain(DEMO_USERS.vicePresident1.displayName);
    // The filer is a party: never the mediator, even though an officer.
    expect((await getDispute(db(), await demo("vicePresident1"), d.id)).may.mediate).toBe(false);
  });

  it("a merchant (S0001's owner) never mediates the dispute against S0001", async () => {
    const d = await file("S0001");
    const owner = await demo("shopOwner");
    expect((await getDispute(db(), owner, d.id)).may.mediate).toBe(false);
    await expectRefused(() => escalateDispute(db(), owner, d.id, at(1)), { status: 403 });
    await expectRefused(() => closeDispute(db(), owner, d.id, { outcome: "unresolvable", note: "x" }, at(1)), {
      status: 403,
    });
  });

  it("the schedule never hands a dispute to someone conflicted", async () => {
    const d = await file("S0002");
    // Alliance (the vice-president) then the community by the clock.
    expect(await escalateDueDisputes(db(), at(30))).toBeGreaterThan(0);
    const [row] = await db().select().from(disputes).where(eq(disputes.id, d.id));
    expect(row).toMatchObject({ level: "community", assigneeId: DEMO_USERS.mediator.id });
  });
});

describe("2. resolved is what both parties confirmed; officers close only as withdrawn or not resolvable", () => {
  it("refuses 'resolved' from the mediator, 'withdrawn' before the filer asked, 'not resolvable' without a reason", async () => {
    const d = await file("S0003");
    const mediatorId = d.assigneeId!;
    const mediator = await actor(mediatorId);
    await expectRefused(() => closeDispute(db(), mediator, d.id, { outcome: "resolved", note: "" }, at(1)), {
      code: "desk.errors.resolvedOnlyByParties",
      status: 400,
    });
    await expectRefused(() => closeDispute(db(), mediator, d.id, { outcome: "withdrawn", note: "" }, at(1)), {
      code: "desk.errors.noWithdrawalRequest",
      status: 409,
    });
    await expectRefused(() => closeDispute(db(), mediator, d.id, { outcome: "unresolvable", note: "  " }, at(1)), {
      code: "desk.errors.reasonRequired",
      status: 400,
    });
    // Only the filer asks to withdraw; the request is on the timeline; then the mediator may close.
    await expectRefused(() => disputesDomain.requestWithdrawal(db(), mediator, d.id, "", at(1)), {
      code: "desk.errors.onlyFilerWithdraws",
    });
    await expectRefused(async () => disputesDomain.requestWithdrawal(db(), await demo("shopOwner"), d.id, "", at(1)), {
      status: 404,
    });
    await disputesDomain.requestWithdrawal(db(), await demo("resident"), d.id, "已私下和解", at(1));
    const view = await getDispute(db(), await demo("resident"), d.id);
    expect(view.events.map((e) => e.kind)).toContain("withdrawal_requested");
    await closeDispute(db(), mediator, d.id, { outcome: "withdrawn", note: "" }, at(2));
    expect((await db().select().from(disputes).where(eq(disputes.id, d.id)))[0].outcome).toBe("withdrawn");
  });

  it("a not-resolvable closure carries a reason both parties read; neither it nor a withdrawal counts as resolved", async () => {
    await onFreshDatabase("S0001", async ({ fdb, who, resident, b }) => {
      const before = await deskStats(fdb, await who(DEMO_USERS.admin.id));
      const fileOther = (description: string) =>
        fileDispute(fdb, resident, { category: "other", respondentBusinessId: b.id, description }, T0);
      const d1 = await fileOther("a");
      const d2 = await fileOther("b");
      const d3 = await fileOther("c");
      const m = await who(d1.assigneeId!);
      await closeDispute(fdb, m, d1.id, { outcome: "unresolvable", note: "双方各执一词" }, at(1));
      await disputesDomain.requestWithdrawal(fdb, resident, d2.id, "", at(1));
      await closeDispute(fdb, m, d2.id, { outcome: "withdrawn", note: "" }, at(1));
      await recordAgreement(fdb, m, d3.id, "退款 20 元", at(1));
      await confirmAgreement(fdb, resident, d3.id, at(1));
      await confirmAgreement(fdb, await who(DEMO_USERS.shopOwner.id), d3.id, at(2));
      // The owner reads the reason and was told.
      const asOwner = await getDispute(fdb, await who(DEMO_USERS.shopOwner.id), d1.id);
      expect(asOwner.events.find((e) => e.kind === "closed")?.body).toBe("双方各执一词");
      const told = await fdb
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, DEMO_USERS.shopOwner.id), eq(notifications.kind, "desk.disputeClosed")));
      expect(told[0].n).toBe(2);
      const after = await deskStats(fdb, await who(DEMO_USERS.admin.id));
      expect(after.disputes.closed - before.disputes.closed).toBe(3);
      expect(after.disputes.resolved - before.disputes.resolved).toBe(1);
      const record = await businessRecord(fdb, b.id, at(3));
      expect(record.complaintsByOutcome).toMatchObject({ resolved: 1, withdrawn: 1 });
      expect(record.disputesByOutcome).toMatchObject({ resolved: 1, withdrawn: 1, unresolvable: 1 });
    });
  });
});

describe("3. a merchant answers only feedback the desk sent to it; the desk never handles its own shop", () => {
  it("refuses the owner's answer to a complaint the desk never sent (404, nothing written); the desk then makes it a dispute", async () => {
    const s0001 = await businessId("S0001");
    const item = await residentComplains(s0001, "少找零钱");
    await expectRefused(async () => answerFeedback(db(), await demo("shopOwner"), item.id, "没有这回事", at(1)), {
      status: 404,
    });
    const moved = await feedbackToDispute(db(), await demo("president"), item.id, "goods_prices", at(1));
    expect(moved.status).toBe("disputed");
  });

  it("officers who own the business see no trace of it at the desk and cannot act on it, as desk or as merchant", async () => {
    const s0002 = await businessId("S0002");
    const s0005 = await businessId("S0005");
    const aboutS0002 = await residentComplains(s0002, "态度差");
    const aboutS0005 = await residentComplains(s0005, "牌匾可疑", "plaque");
    const president = await demo("president");
    const moderator = await demo("moderator");
    expect((await deskFeedback(db(), president)).map((f) => f.id)).not.toContain(aboutS0002.id);
    expect((await deskFeedback(db(), moderator)).map((f) => f.id)).not.toContain(aboutS0005.id);
    expect((await deskFeedback(db(), moderator)).map((f) => f.id)).toContain(aboutS0002.id);
    expect((await deskFeedback(db(), await demo("admin"))).map((f) => f.id)).toContain(aboutS0005.id);
    for (const [who, id] of [
      [president, aboutS0002.id],
      [moderator, aboutS0005.id],
    ] as const) {
      await expectRefused(() => triageFeedback(db(), who, id, at(1)), { status: 404 });
      await expectRefused(() => sendToMerchant(db(), who, id, at(1)), { status: 404 });
      await expectRefused(() => feedbackToDispute(db(), who, id, "other", at(1)), { status: 404 });
      await expectRefused(() => answerFeedback(db(), who, id, "我们会改进", at(1)), { status: 404 });
      await expectRefused(() => feedbackDomain.closeFeedback(db(), who, id, at(1), "unfounded"), { status: 404 });
    }
    // Sent to the merchant by someone else at the desk, the owner answers it as the merchant.
    await sendToMerchant(db(), await demo("vicePresident1"), aboutS0002.id, at(1));
    await answerFeedback(db(), president, aboutS0002.id, "已培训店员", at(2));
  });
});

describe("4. an award takes two distinct, unconflicted staff decisions; grid workers do not review", () => {
  const roundInput = roundSchema.parse({
    kind: "model_merchant",
    year: "2027",
    criteria: "党员亮身份、作表率。",
    nominationFrom: "2026-12-01",
    nominationTo: "2026-12-14",
    reviewFrom: "2026-12-10",
    reviewTo: "2026-12-31",
  });
  const R0 = new Date("2026-12-01T02:00:00Z");
  const rAt = (days: number) => new Date(R0.getTime() + days * DAY);

  it("one staff account cannot award alone; the second decision makes the plaque", async () => {
    const round = await openRound(db(), await demo("admin"), roundInput, R0);
    const n = await nominate(
      db(),
      await demo("president"),
      { roundId: round.id, businessCode: "S0001", reason: "热心公益" },
      rAt(1),
    );
    const decision = { decision: "award" as const, comment: "带头诚信经营" };
    // The grid worker may not review at all.
    await expectRefused(async () => decideNomination(db(), await demo("gridWorker"), n.id, decision, rAt(10)), {
      status: 403,
    });
    // Officers and merchants are not staff.
    for (const who of [await demo("president"), await demo("shopOwner")])
      await expectRefused(() => decideNomination(db(), who, n.id, decision, rAt(10)), { status: 403 });
    // The mediator's award is a recommendation: no plaque yet.
    const first = await decideNomination(db(), await demo("mediator"), n.id, decision, rAt(10));
    expect(first.award).toBeNull();
    expect(first.nomination.status).toBe("recommended");
    expect(await rows(awards, eq(awards.nominationId, n.id))).toBe(0);
    // The same person cannot confirm it.
    await expectRefused(async () => decideNomination(db(), await demo("mediator"), n.id, decision, rAt(10)), {
      code: "plaques.errors.secondStaffNeeded",
      status: 403,
    });
    const sheet = await reviewSheet(db(), await demo("admin"), n.id, rAt(10));
    expect(sheet).toMatchObject({ stage: "confirm", mayDecide: true, reviewerName: DEMO_USERS.mediator.displayName });
    const second = await decideNomination(
      db(),
      await demo("admin"),
      n.id,
      { decision: "award", comment: "同意" },
      rAt(11),
    );
    expect(second.award).toMatchObject({ awardedBy: DEMO_USERS.admin.id, citation: "带头诚信经营" });
    const [row] = await db().select().from(plaqueNominations).where(eq(plaqueNominations.id, n.id));
    expect(row).toMatchObject({
      status: "awarded",
      reviewedBy: DEMO_USERS.mediator.id,
      confirmedBy: DEMO_USERS.admin.id,
    });
  });

  it("a conflicted staff member neither reviews nor confirms", async () => {
    const [round] = await db()
      .execute(sql`select id from plaque_rounds where year = 2027 and kind = 'model_merchant'`)
      .then((r) => rowsOf<{ id: number }>(r));
    // Nominated by the administrator: the administrator may not decide it, the mediator recommends,
    // and nobody else unconflicted is left to confirm but another administrator or mediator.
    const n = await nominate(
      db(),
      await demo("admin"),
      { roundId: round.id, businessCode: "S0003", reason: "服务好" },
      rAt(2),
    );
    await expectRefused(
      async () => decideNomination(db(), await demo("admin"), n.id, { decision: "award", comment: "好" }, rAt(10)),
      { code: "plaques.errors.conflicted", status: 403 },
    );
    await decideNomination(db(), await demo("mediator"), n.id, { decision: "award", comment: "好" }, rAt(10));
    await expectRefused(
      async () => decideNomination(db(), await demo("admin"), n.id, { decision: "award", comment: "确认" }, rAt(10)),
      { code: "plaques.errors.conflicted", status: 403 },
    );
    expect(await rows(awards, eq(awards.nominationId, n.id))).toBe(0);
  });
});

describe("5. the review sheet's 12-month record counts complaints by outcome and links each item", () => {
  it("counts upheld, resolved, unfounded and open; unfounded never counts against the shop", async () => {
    await onFreshDatabase("S0004", async ({ fdb, who, resident, b }) => {
      const desk = await who(DEMO_USERS.vicePresident1.id);
      const complain = (body: string) =>
        giveFeedback(
          fdb,
          resident,
          { source: "shop_page", kind: "complaint", businessId: b.id, body, hideName: false },
          T0,
        );
      const unfounded = await complain("无中生有");
      const upheld = await complain("确有其事");
      const open = await complain("还没处理");
      const toDispute = await complain("转调解");
      await feedbackDomain.closeFeedback(fdb, desk, unfounded.id, at(1), "unfounded");
      await feedbackDomain.closeFeedback(fdb, desk, upheld.id, at(1), "upheld");
      await expect(feedbackDomain.closeFeedback(fdb, desk, open.id, at(1))).rejects.toMatchObject({
        code: "desk.errors.findingRequired",
      });
      const moved = await feedbackToDispute(fdb, desk, toDispute.id, "goods_prices", at(1));
      const [d] = await fdb.select().from(disputes).where(eq(disputes.id, moved.disputeId!));
      const m = await who(d.assigneeId!);
      await recordAgreement(fdb, m, d.id, "道歉", at(2));
      await confirmAgreement(fdb, resident, d.id, at(2));
      await confirmAgreement(fdb, await who(DEMO_USERS.vicePresident2.id), d.id, at(2));
      const record = await businessRecord(fdb, b.id, at(10));
      expect(record.complaintsByOutcome).toEqual({ upheld: 1, resolved: 1, unfounded: 1, withdrawn: 0, open: 1 });
      expect(record.againstShop).toBe(1);
      expect(record.complaintItems.map((i) => i.link).sort()).toEqual(
        [
          `/desk/feedback/${unfounded.id}`,
          `/desk/feedback/${upheld.id}`,
          `/desk/feedback/${open.id}`,
          `/disputes/${d.id}`,
        ].sort(),
      );
      // The reviewer opens each item.
      const admin = await who(DEMO_USERS.admin.id);
      expect((await feedbackDomain.feedbackItem(fdb, admin, unfounded.id)).body).toBe("无中生有");
      expect((await getDispute(fdb, admin, d.id)).dispute.id).toBe(d.id);
      // The shop's own owner cannot open a complaint about it through the desk's page.
      await expect(
        feedbackDomain.feedbackItem(fdb, await who(DEMO_USERS.vicePresident2.id), upheld.id),
      ).rejects.toMatchObject({
        status: 404,
      });
    });
  });
});

describe("6. grid contacts linked to accounts mediate their micro-grid's disputes", () => {
  it("links accounts at /admin/grids; the linked worker, else the leader, else the alliance; the conflicted one is skipped", async () => {
    const s0005 = await businessId("S0005");
    const [mg] = rowsOf<{ id: number; code: string }>(
      await db().execute(
        sql`select m.id, m.code from businesses b join storefronts s on s.id = b.storefront_id join micro_grids m on m.id = s.micro_grid_id where b.id = ${s0005}`,
      ),
    );
    const contacts = await db().select().from(gridContacts).where(eq(gridContacts.microGridId, mg.id));
    const leader = contacts.find((c) => c.role === "leader")!;
    const workers = contacts.filter((c) => c.role === "worker");
    const input = (leaderAccount: string, workerAccount: string) =>
      gridContactsSchema.parse({
        microGrid: mg.code,
        leader: { id: String(leader.id), name: leader.name, phone: leader.phone, account: leaderAccount },
        workers: workers.map((w, i) => ({
          id: String(w.id),
          name: w.name,
          phone: w.phone,
          account: i === 0 ? workerAccount : "",
        })),
      });
    // Only administrators link; an unknown mobile is refused.
    for (const who of [await demo("moderator"), await demo("gridWorker"), await demo("mediator")])
      await expectRefused(() => setGridContacts(db(), who, input("", DEMO_USERS.moderator.phone)), { status: 403 });
    await expectRefused(async () => setGridContacts(db(), await demo("admin"), input("", "13999999999")), {
      code: "roster.errors.noSuchAccount",
      status: 400,
    });
    // The moderator (owner of S0005) is this micro-grid's linked worker, the mediator its leader.
    await setGridContacts(db(), await demo("admin"), input(DEMO_USERS.mediator.phone, DEMO_USERS.moderator.phone));
    const d = await file("S0005");
    expect(d).toMatchObject({ level: "grid", assigneeId: DEMO_USERS.mediator.id });
    const [placed] = await assignedEvents(d.id);
    expect(String(placed.params.skipped)).toContain(DEMO_USERS.moderator.displayName);
    // Another business in the same micro-grid: the moderator is its grid worker.
    const [other] = rowsOf<{ id: number }>(
      await db().execute(
        sql`select b.id from businesses b join storefronts s on s.id = b.storefront_id where s.micro_grid_id = ${mg.id} and b.id <> ${s0005} and b.status = 'open' order by b.id limit 1`,
      ),
    );
    const d2 = await fileAgainst(other.id, "other", "噪音");
    expect(d2).toMatchObject({ level: "grid", assigneeId: DEMO_USERS.moderator.id });
    // Unlinked again: disputes start at the alliance.
    await setGridContacts(db(), await demo("admin"), input("", ""));
    const d3 = await file("S0005");
    expect(d3).toMatchObject({ level: "alliance", assigneeId: DEMO_USERS.president.id });
  });

  it("the demo grid worker, linked in G1-1, gets G1-1's disputes", async () => {
    const [g11] = rowsOf<{ id: number }>(
      await db().execute(
        sql`select b.id from businesses b join storefronts s on s.id = b.storefront_id join micro_grids m on m.id = s.micro_grid_id where m.code = 'G1-1' order by b.id limit 1`,
      ),
    );
    const d = await fileAgainst(g11.id, "neighbours", "晚上音响太吵");
    expect(d).toMatchObject({ level: "grid", assigneeId: DEMO_USERS.gridWorker.id });
    expect((await db().select().from(microGrids).where(eq(microGrids.code, "G1-1"))).length).toBe(1);
  });
});

describe("privacy", () => {
  it("12. public feedback masks phone and ID numbers, in the text, the answer and the author's name", async () => {
    const s0001 = await businessId("S0001");
    const resident = await demo("resident");
    const item = await giveFeedback(
      db(),
      resident,
      {
        source: "shop_page",
        kind: "question",
        businessId: s0001,
        body: "请回电 139 1234 5678，身份证 410881199001011234",
        hideName: false,
      },
      T0,
    );
    await sendToMerchant(db(), await demo("president"), item.id, T0);
    await answerFeedback(db(), await demo("shopOwner"), item.id, "已联系 13912345678", at(1));
    await db().execute(sql`update users set display_name = '李娜13700001111' where id = ${resident.userId}`);
    try {
      const shown = (await shopFeedback(db(), null, s0001)).answered.find((f) => f.id === item.id)!;
      expect(shown.body).toBe("请回电 139****5678，身份证 4108**********1234");
      expect(shown.reply).toBe("已联系 139****5678");
      expect(shown.author).toBe("李娜137****1111");
      const pub = (await publicAnswered(db())).find((f) => f.id === item.id)!;
      expect(JSON.stringify(pub)).not.toMatch(/13912345678|139 1234 5678|410881199001011234/);
    } finally {
      await db().execute(
        sql`update users set display_name = ${DEMO_USERS.resident.displayName} where id = ${resident.userId}`,
      );
    }
  });

  it("13. officers see a dispute's party phones only while they mediate it", async () => {
    const d = await file("S0004");
    const mediatorId = d.assigneeId!;
    expect(mediatorId).toBe(DEMO_USERS.president.id);
    expect((await getDispute(db(), await demo("president"), d.id)).filer!.phone).toBe(DEMO_USERS.resident.phone);
    // Other officers and staff: masked.
    for (const who of [
      await demo("vicePresident1"),
      await demo("moderator"),
      await demo("admin"),
      await demo("mediator"),
      await demo("gridWorker"),
    ])
      expect((await getDispute(db(), who, d.id)).filer!.phone).toBe("138****0001");
    // Escalated: the former mediator no longer sees them, the new one does.
    await escalateDispute(db(), await demo("president"), d.id, at(1));
    expect((await getDispute(db(), await demo("president"), d.id)).filer!.phone).toBe("138****0001");
    expect((await getDispute(db(), await demo("mediator"), d.id)).filer!.phone).toBe(DEMO_USERS.resident.phone);
    // Closed: nobody but the owner of the phone.
    await closeDispute(db(), await demo("mediator"), d.id, { outcome: "unresolvable", note: "无法联系店主" }, at(2));
    expect((await getDispute(db(), await demo("mediator"), d.id)).filer!.phone).toBe("138****0001");
    expect((await getDispute(db(), await demo("resident"), d.id)).filer!.phone).toBe(DEMO_USERS.resident.phone);
  });

  it("14. the respondent business is told when a dispute is filed against it", async () => {
    const told = () =>
      rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.vicePresident2.id), eq(notifications.kind, "desk.disputeFiledAgainst")),
      );
    const before = await told();
    const d = await file("S0004");
    expect(await told()).toBe(before + 1);
    expect((await listDisputes(db(), await demo("vicePresident2"))).map((x) => x.id)).toContain(d.id);
  });
});
