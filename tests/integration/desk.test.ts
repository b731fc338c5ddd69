import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type Database } from "../../db/client";
import {
  allianceProposals,
  auditLog,
  businesses,
  disputeEvents,
  disputes,
  feedback,
  notifications,
} from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { loadUser } from "~/domain/accounts/accounts.server";
import {
  addDisputeNote,
  closeDispute,
  confirmAgreement,
  escalateDispute,
  escalateDueDisputes,
  fileDispute,
  getDispute,
  listDisputes,
  rateDispute,
  recordAgreement,
  requestWithdrawal,
} from "~/domain/disputes/disputes.server";
import { LEVEL_DAYS } from "~/domain/disputes/rules";
import { districtMonth, deskStats } from "~/domain/disputes/stats.server";
import {
  answerFeedback,
  businessRecord,
  deskFeedback,
  feedbackToDispute,
  feedbackToProposal,
  giveFeedback,
  publicAnswered,
  sendToMerchant,
  shopFeedback,
  triageFeedback,
} from "~/domain/feedback/feedback.server";
import { loader as apiLoader } from "~/routes/api.v1.disputes.$id";
import { action as newDisputeAction } from "~/routes/disputes.new";
import { action as feedbackAction } from "~/routes/feedback._index";
import { action as disputeAction, loader as disputeLoader } from "~/routes/disputes.$id._index";
import { loader as photoLoader } from "~/routes/disputes.$id.photos.$photoId";
import { loader as deskLoader } from "~/routes/desk._index";
import { loader as statsLoader } from "~/routes/desk.stats";
import { openTestDatabase, useTestDatabase } from "../helpers/kit";
import { whileJobsRun } from "../helpers/jobs";
import { smallPng } from "../helpers/photos";

/**
 * As if the administrator had linked the demo grid worker's account at /admin/grids to the
 * micro-grids of S0001, S0003 and S0004 (only G1-1's is linked in the seed): their disputes start
 * at the grid, with the grid worker.
 */
async function linkDemoGridWorker(target: Database["db"]) {
  await target.execute(sql`
    insert into grid_contacts (micro_grid_id, role, name, phone, user_id, sort)
    select distinct s.micro_grid_id, 'worker', '冯磊', ${DEMO_USERS.gridWorker.phone}, ${DEMO_USERS.gridWorker.id}, -1
    from businesses b join storefronts s on s.id = b.storefront_id
    where b.code in ('S0001', 'S0003', 'S0004')`);
}

const kit = useTestDatabase();
const { db, rows, actor, businessId, demo } = kit;
beforeAll(async () => {
  await linkDemoGridWorker(db());
});

let pngBytes: Uint8Array;
beforeAll(async () => {
  pngBytes = new Uint8Array(await smallPng());
});
const png = () => pngBytes;
const DAY = 24 * 3_600_000;
const T0 = new Date("2026-03-02T02:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** Everything the desk writes, to show a refusal wrote nothing. */
const snapshot = async () => ({
  disputes: await rows(disputes),
  events: await rows(disputeEvents),
  feedback: await rows(feedback),
  notifications: await rows(notifications),
  audit: await rows(auditLog),
  proposals: await rows(allianceProposals),
});

/** Refused, and what `snapshot` reads is the same after. */
const expectRefused = kit.refusalsKeeping(snapshot);

const { routeArgs } = kit;

/** The demo resident files a dispute with the business `code` at `filedAt`; the resident and the dispute. */
async function residentFiles(
  category: Parameters<typeof fileDispute>[2]["category"],
  code: string,
  description: string,
  filedAt = T0,
  photos?: Parameters<typeof fileDispute>[4],
) {
  const resident = await demo("resident");
  const d = await fileDispute(
    db(),
    resident,
    { category, respondentBusinessId: await businessId(code), description },
    filedAt,
    photos,
  );
  return { resident, d };
}

/**
 * The demo resident gives feedback on S0001 at T0 with the name hidden; the resident, the
 * president (who triages it), S0001's id and the item.
 */
async function residentAsksAboutS0001(source: "shop_page" | "plaque", kind: "complaint" | "question", body: string) {
  const resident = await demo("resident");
  const president = await demo("president");
  const s0001 = await businessId("S0001");
  const item = await giveFeedback(db(), resident, { source, kind, businessId: s0001, body, hideName: true }, T0);
  return { resident, president, s0001, item };
}

describe("a complaint becomes a dispute that climbs the levels by itself", () => {
  it("runs from a shop-page complaint to a rated agreement under a fake clock", async () => {
    const { resident, president, s0001, item } = await residentAsksAboutS0001("shop_page", "complaint", "烩面缺斤少两");
    expect(item.status).toBe("new");
    await triageFeedback(db(), president, item.id, T0);
    const moved = await feedbackToDispute(db(), president, item.id, "goods_prices", T0);
    expect(moved.status).toBe("disputed");
    const id = moved.disputeId!;

    // S0001's micro-grid has no grid worker with an account: the demo grid worker takes it.
    let [d] = await db().select().from(disputes).where(eq(disputes.id, id));
    expect(d).toMatchObject({
      level: "grid",
      assigneeId: DEMO_USERS.gridWorker.id,
      filerId: resident.userId,
      respondentBusinessId: s0001,
      description: "烩面缺斤少两",
    });
    expect(d.dueAt).toEqual(at(LEVEL_DAYS.grid));
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.gridWorker.id), eq(notifications.kind, "desk.disputeAssigned")),
      ),
    ).toBe(1);

    // Before the grid's deadline nothing moves; after it, the alliance (the president) has it.
    expect(await escalateDueDisputes(db(), at(2.9))).toBe(0);
    expect(await escalateDueDisputes(db(), at(3.01))).toBe(1);
    [d] = await db().select().from(disputes).where(eq(disputes.id, id));
    expect(d).toMatchObject({ level: "alliance", assigneeId: DEMO_USERS.president.id });
    expect(d.dueAt).toEqual(at(LEVEL_DAYS.grid + LEVEL_DAYS.alliance));
    expect(await escalateDueDisputes(db(), at(3.02))).toBe(0);
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, resident.userId), eq(notifications.kind, "desk.disputeEscalated")),
      ),
    ).toBe(1);

    // Then the community's mediation team; from there nothing is passed up.
    expect(await escalateDueDisputes(db(), at(10.5))).toBe(1);
    [d] = await db().select().from(disputes).where(eq(disputes.id, id));
    expect(d).toMatchObject({ level: "community", assigneeId: DEMO_USERS.mediator.id });
    expect(await escalateDueDisputes(db(), at(60))).toBe(0);
    await expect(escalateDispute(db(), await demo("mediator"), id, at(11))).rejects.toMatchObject({
      code: "desk.errors.topLevel",
    });

    const mediator = await demo("mediator");
    await addDisputeNote(db(), mediator, id, { kind: "meeting", body: "双方在网格站见面" }, at(11));
    await recordAgreement(db(), mediator, id, "店家补足分量并道歉", at(11));
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, resident.userId), eq(notifications.kind, "desk.agreementAwaiting")),
      ),
    ).toBe(1);
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.shopOwner.id), eq(notifications.kind, "desk.agreementAwaiting")),
      ),
    ).toBe(1);

    // A party it is not: refused, nothing written. Officers may see it but cannot confirm it.
    await expectRefused(async () => confirmAgreement(db(), president, id, at(11)), "desk.errors.notAParty");
    await expectRefused(
      async () => rateDispute(db(), resident, id, { score: 5, comment: "" }, at(11)),
      "desk.errors.notClosed",
    );

    await confirmAgreement(db(), resident, id, at(11.5));
    await expectRefused(async () => confirmAgreement(db(), resident, id, at(11.6)), "desk.errors.alreadyConfirmed");
    await confirmAgreement(db(), await demo("shopOwner"), id, at(12));
    [d] = await db().select().from(disputes).where(eq(disputes.id, id));
    expect(d).toMatchObject({ status: "closed", outcome: "resolved" });
    expect(d.closedAt).toEqual(at(12));
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, resident.userId), eq(notifications.kind, "desk.satisfactionRequest")),
      ),
    ).toBe(1);

    // Satisfaction: from the filer only, once.
    await expectRefused(
      async () => rateDispute(db(), await demo("shopOwner"), id, { score: 1, comment: "" }, at(12)),
      "desk.errors.onlyFilerRates",
    );
    await expectRefused(
      async () => rateDispute(db(), await demo("mediator"), id, { score: 5, comment: "" }, at(12)),
      "desk.errors.onlyFilerRates",
    );
    await rateDispute(db(), resident, id, { score: 4, comment: "处理及时" }, at(12.5));
    await expectRefused(
      async () => rateDispute(db(), resident, id, { score: 5, comment: "" }, at(13)),
      "desk.errors.alreadyRated",
    );
    [d] = await db().select().from(disputes).where(eq(disputes.id, id));
    expect(d).toMatchObject({ satisfaction: 4, satisfactionComment: "处理及时" });

    const kinds = (await getDispute(db(), resident, id)).events.map((e) => e.kind);
    expect(kinds).toEqual([
      "filed",
      "assigned",
      "escalated",
      "assigned",
      "escalated",
      "assigned",
      "meeting",
      "agreement",
      "confirmed",
      "confirmed",
      "closed",
      "rated",
    ]);
  });

  it("a dispute overdue at two levels climbs both in one run, each level's clock starting when the last ran out", async () => {
    const { d } = await residentFiles("facilities", "S0003", "门前下水道堵了");
    expect(await escalateDueDisputes(db(), at(11))).toBe(2);
    const [row] = await db().select().from(disputes).where(eq(disputes.id, d.id));
    expect(row).toMatchObject({ level: "community" });
    expect(row.levelStartedAt).toEqual(at(10));
    expect(row.dueAt).toEqual(at(25));
  });

  it("a mediator moves a dispute up by hand; the grid worker of the micro-grid is assigned where one has an account", async () => {
    const resident = await demo("resident");
    // A business in G1-1, where the demo grid worker is listed with an account.
    const [g11] = rowsOf<{ id: number }>(
      await db().execute(
        sql`select b.id from businesses b join storefronts s on s.id = b.storefront_id join micro_grids m on m.id = s.micro_grid_id where m.code = 'G1-1' order by b.id limit 1`,
      ),
    );
    const d = await fileDispute(
      db(),
      resident,
      { category: "neighbours", respondentBusinessId: g11.id, description: "晚上音响太吵" },
      T0,
    );
    expect(d.assigneeId).toBe(DEMO_USERS.gridWorker.id);
    const worker = await demo("gridWorker");
    const up = await escalateDispute(db(), worker, d.id, at(1));
    expect(up).toMatchObject({ level: "alliance", assigneeId: DEMO_USERS.president.id });
    expect(up.dueAt).toEqual(at(1 + LEVEL_DAYS.alliance));
    // Passed up, it is the president's now: the grid worker no longer mediates it.
    await expectRefused(
      async () => closeDispute(db(), worker, d.id, { outcome: "unresolvable", note: "x" }, at(2)),
      "errors.forbidden",
    );
    await requestWithdrawal(db(), resident, d.id, "已和解", at(2));
    await closeDispute(db(), await demo("president"), d.id, { outcome: "withdrawn", note: "申请人撤回" }, at(2));
    await expectRefused(
      async () => addDisputeNote(db(), await demo("president"), d.id, { kind: "note", body: "再记一笔" }, at(3)),
      "desk.errors.disputeClosed",
    );
  });
});

describe("the schedule", () => {
  it("moves an overdue dispute up without anyone opening a page", async () => {
    // Filed four days before the server's clock: the grid's three days have run out.
    const past = new Date(Date.now() - 4 * DAY);
    const { d } = await residentFiles("other", "S0004", "无人处理", past);
    const level = async () =>
      (await db().select({ level: disputes.level }).from(disputes).where(eq(disputes.id, d.id)))[0].level;
    await whileJobsRun(db(), () => expect.poll(level, { timeout: 10_000 }).toBe("alliance"));
  });
});

describe("bad input is refused and nothing is written", () => {
  it("refuses an empty description, a dispute against oneself or one's own business, and an unknown person", async () => {
    const resident = await demo("resident");
    const owner = await demo("shopOwner");
    const s0001 = await businessId("S0001");
    await expectRefused(
      async () =>
        fileDispute(db(), resident, { category: "other", respondentBusinessId: s0001, description: "   " }, T0),
      "errors.required",
    );
    await expectRefused(
      async () =>
        fileDispute(db(), owner, { category: "other", respondentBusinessId: s0001, description: "告自己" }, T0),
      "desk.errors.selfDispute",
    );
    /** The resident files against a neighbour by phone, in micro-grid 1. */
    const againstNeighbour = (phone: string, description: string) => () =>
      fileDispute(db(), resident, { category: "neighbours", respondentPhone: phone, microGridId: 1, description }, T0);
    await expectRefused(againstNeighbour(DEMO_USERS.resident.phone, "告自己"), "desk.errors.selfDispute");
    await expectRefused(againstNeighbour("13999999999", "邻居"), "desk.errors.unknownPerson");
    await expectRefused(
      async () => fileDispute(db(), null, { category: "other", respondentBusinessId: s0001, description: "访客" }, T0),
      "errors.forbidden",
    );
    await expectRefused(
      async () =>
        fileDispute(db(), resident, { category: "other", respondentBusinessId: s0001, description: "照片" }, T0, [
          new Uint8Array([1, 2, 3]),
        ]),
      "directory.errors.photoType",
    );
    await expectRefused(
      async () =>
        giveFeedback(
          db(),
          resident,
          { source: "shop_page", kind: "complaint", businessId: s0001, body: "  ", hideName: false },
          T0,
        ),
      "errors.required",
    );
    await expectRefused(
      async () => giveFeedback(db(), null, { source: "board", kind: "suggestion", body: "访客", hideName: false }, T0),
      "errors.forbidden",
    );
  });

  it("a dispute between people takes its micro-grid from the address the filer names", async () => {
    const d = await fileDispute(
      db(),
      await demo("resident"),
      { category: "neighbours", respondentPhone: DEMO_USERS.stallOwner.phone, microGridId: 3, description: "楼上漏水" },
      T0,
    );
    expect(d).toMatchObject({ microGridId: 3, respondentUserId: DEMO_USERS.stallOwner.id, respondentBusinessId: null });
    // The other person confirms as the respondent; a third person cannot.
    const mediator = await actor(d.assigneeId!);
    await recordAgreement(db(), mediator, d.id, "修好水管", at(1));
    await expectRefused(async () => confirmAgreement(db(), await demo("shopOwner"), d.id, at(1)), "errors.notFound");
    await confirmAgreement(db(), await demo("stallOwner"), d.id, at(1));
  });
});

describe("the forms", () => {
  it("files a dispute with a photo through the form; an empty description or an unknown shop code is a 400 that writes nothing", async () => {
    const resident = await demo("resident");
    const post = (fields: Record<string, string>, photo?: Uint8Array) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      if (photo) body.set("photos", new Blob([Buffer.from(photo)], { type: "image/png" }), "a.png");
      return newDisputeAction(routeArgs("/disputes/new", resident, {}, { method: "POST", body }));
    };
    const before = await snapshot();
    const empty = await post({ category: "other", respondentBusiness: "S0002", description: "  " });
    expect((empty as { init?: { status: number } }).init?.status).toBe(400);
    expect((empty as { data: { field: string } }).data.field).toBe("description");
    const unknown = await post({ category: "other", respondentBusiness: "S9999", description: "店名不对" });
    expect((unknown as { data: { error: string } }).data.error).toBe("desk.errors.unknownBusiness");
    expect(await snapshot()).toEqual(before);
    const ok = await post({ category: "stall_boundary", respondentBusiness: "s0002", description: "占道摆摊" }, png());
    expect(ok).toBeInstanceOf(Response);
    const location = (ok as Response).headers.get("location")!;
    expect(location).toMatch(/^\/disputes\/\d+$/);
    const view = await getDispute(db(), resident, Number(location.split("/").pop()));
    expect(view.photoIds).toHaveLength(1);
    expect(view.dispute).toMatchObject({ category: "stall_boundary", respondentBusinessId: await businessId("S0002") });
  });

  it("takes feedback from any page and goes back there, never to another site", async () => {
    const resident = await demo("resident");
    const post = (fields: Record<string, string>) =>
      feedbackAction(routeArgs("/feedback?index", resident, {}, { method: "POST", body: new URLSearchParams(fields) }));
    const before = await snapshot();
    const empty = await post({
      source: "shop_page",
      kind: "complaint",
      businessId: "1",
      body: " ",
      returnTo: "/shops/1#feedback",
    });
    expect((empty as { init?: { status: number } }).init?.status).toBe(400);
    expect(await snapshot()).toEqual(before);
    const ok = (await post({
      source: "plaque",
      kind: "praise",
      businessId: "1",
      body: "牌匾是真的",
      returnTo: "/verify/ABC#feedback",
    })) as Response;
    expect(ok.headers.get("location")).toBe("/verify/ABC?feedback=sent#feedback");
    const away = (await post({
      source: "board",
      kind: "suggestion",
      body: "多办活动",
      returnTo: "//evil.example",
    })) as Response;
    expect(away.headers.get("location")).toBe("/feedback?feedback=sent#feedback");
    expect(await rows(feedback, eq(feedback.body, "牌匾是真的"))).toBe(1);
  });
});

describe("privacy: a dispute is visible only to its parties, its mediator, officers and staff", () => {
  it("gives a stranger and a visitor 404 on the page, the actions, the API and the photos; phones are masked for the other party", async () => {
    const { resident, d } = await residentFiles("goods_prices", "S0001", "价格不符", T0, [png()]);
    const [photo] = rowsOf<{ id: number }>(
      await db().execute(sql`select id from dispute_photos where dispute_id = ${d.id}`),
    );
    const stranger = await demo("stallOwner");
    const params = { id: String(d.id) };
    for (const who of [stranger, null]) {
      await expect(getDispute(db(), who, d.id)).rejects.toMatchObject({ status: 404 });
      await expect(disputeLoader(routeArgs(`/disputes/${d.id}`, who, params))).rejects.toMatchObject({
        init: { status: 404 },
      });
      const api = await apiLoader(routeArgs(`/api/v1/disputes/${d.id}`, who, params));
      expect(api.status).toBe(404);
      expect(await api.text()).not.toContain("价格不符");
      const img = await photoLoader(
        routeArgs(`/disputes/${d.id}/photos/${photo.id}`, who, { ...params, photoId: String(photo.id) }),
      );
      expect(img.status).toBe(404);
    }
    // A stranger's action is a 404 too, and writes nothing.
    const before = await snapshot();
    const form = new URLSearchParams({ intent: "confirm" });
    const result = await disputeAction(
      routeArgs(`/disputes/${d.id}`, stranger, params, { method: "POST", body: form }),
    );
    expect((result as { init?: { status: number } }).init?.status).toBe(404);
    const note = await disputeAction(
      routeArgs(`/disputes/${d.id}`, stranger, params, {
        method: "POST",
        body: new URLSearchParams({ intent: "note", kind: "note", body: "x" }),
      }),
    );
    expect((note as { init?: { status: number } }).init?.status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await listDisputes(db(), stranger)).map((x) => x.id)).not.toContain(d.id);
    // A nonexistent dispute answers exactly the same.
    expect((await apiLoader(routeArgs(`/api/v1/disputes/999999`, stranger, { id: "999999" }))).status).toBe(404);

    // The parties and the mediator see it; the filer's phone is masked for the other party only.
    const asOwner = await getDispute(db(), await demo("shopOwner"), d.id);
    expect(asOwner.filer!.phone).toBe("138****0001");
    expect((await getDispute(db(), resident, d.id)).filer!.phone).toBe(DEMO_USERS.resident.phone);
    expect((await getDispute(db(), await demo("gridWorker"), d.id)).filer!.phone).toBe(DEMO_USERS.resident.phone);
    // An officer who does not mediate it sees it masked.
    expect((await getDispute(db(), await demo("president"), d.id)).filer!.phone).toBe("138****0001");
    const ok = await apiLoader(routeArgs(`/api/v1/disputes/${d.id}`, resident, params));
    expect(ok.status).toBe(200);
    const okPhoto = await photoLoader(
      routeArgs(`/disputes/${d.id}/photos/${photo.id}`, await demo("shopOwner"), {
        ...params,
        photoId: String(photo.id),
      }),
    );
    expect(okPhoto.status).toBe(200);
    expect(okPhoto.headers.get("content-type")).toBe("image/webp"); // re-encoded (app/domain/photos.server.ts)

    // The desk and its statistics are for officers and staff.
    await expect(deskLoader(routeArgs("/desk", resident, {}))).rejects.toMatchObject({ init: { status: 403 } });
    await expect(statsLoader(routeArgs("/desk/stats", await demo("shopOwner"), {}))).rejects.toMatchObject({
      init: { status: 403 },
    });
  });
});

describe("feedback: triage, merchants' answers, board proposals, the public page", () => {
  it("sends an item to the merchant, who answers publicly; the author is told; public lists carry no name when hidden", async () => {
    const { resident, president, s0001, item } = await residentAsksAboutS0001("plaque", "question", "周日开门吗");
    await sendToMerchant(db(), president, item.id, T0);
    const asOwner = await shopFeedback(db(), await demo("shopOwner"), s0001);
    expect(asOwner.waiting.map((f) => f.id)).toContain(item.id);
    expect((await shopFeedback(db(), resident, s0001)).waiting).toEqual([]);
    await expectRefused(
      async () => answerFeedback(db(), await demo("stallOwner"), item.id, "不是我的店", T0),
      "errors.notFound",
    );
    await expectRefused(
      async () => answerFeedback(db(), await demo("shopOwner"), item.id, "  ", T0),
      "errors.required",
    );
    await answerFeedback(db(), await demo("shopOwner"), item.id, "周日照常营业", at(1));
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, resident.userId), eq(notifications.kind, "desk.feedbackAnswered")),
      ),
    ).toBe(1);
    const shown = (await shopFeedback(db(), null, s0001)).answered.find((f) => f.id === item.id);
    expect(shown).toMatchObject({ reply: "周日照常营业", author: null });
    const publicItem = (await publicAnswered(db())).find((f) => f.id === item.id);
    expect(publicItem).toBeDefined();
    expect(JSON.stringify(publicItem)).not.toContain(DEMO_USERS.resident.displayName);
    // Staff still see who wrote it.
    const queue = await deskFeedback(db(), await demo("admin"));
    expect(queue.find((f) => f.id === item.id)).toMatchObject({
      authorName: DEMO_USERS.resident.displayName,
      hideName: true,
    });
    await expectRefused(async () => deskFeedback(db(), resident), "errors.forbidden");
    await expectRefused(async () => triageFeedback(db(), await demo("shopOwner"), item.id, T0), "errors.forbidden");
  });

  it("turns a suggestion into a draft proposal on the board, for an officer who owns a member business", async () => {
    const item = await giveFeedback(
      db(),
      await demo("resident"),
      { source: "board", kind: "suggestion", body: "夜市增加垃圾桶", hideName: false },
      T0,
    );
    await expectRefused(
      async () => feedbackToProposal(db(), await demo("admin"), item.id, T0),
      "desk.errors.noMemberBusiness",
    );
    const moved = await feedbackToProposal(db(), await demo("president"), item.id, T0);
    const [proposal] = await db().select().from(allianceProposals).where(eq(allianceProposals.id, moved.proposalId!));
    expect(proposal).toMatchObject({
      status: "draft",
      authorId: DEMO_USERS.president.id,
      businessId: await businessId("S0002"),
      body: "夜市增加垃圾桶",
    });
    await expectRefused(
      async () => feedbackToDispute(db(), await demo("president"), item.id, "other", T0),
      "desk.errors.noBusiness",
    );
  });
});

describe("statistics and the 12-month record", () => {
  it("match numbers the test derives from the disputes it files itself", async () => {
    const fresh = await openTestDatabase();
    try {
      const fdb = fresh.db;
      const who = async (id: string) => (await loadUser(fdb, id))!;
      await linkDemoGridWorker(fdb);
      const resident = await who(DEMO_USERS.resident.id);
      const [b1] = await fdb.select({ id: businesses.id }).from(businesses).where(eq(businesses.code, "S0001"));
      const [b2] = await fdb.select({ id: businesses.id }).from(businesses).where(eq(businesses.code, "S0003"));
      // [category, filed (days after T0), escalations, outcome, closed after (days), rating]
      const plan = [
        ["goods_prices", 0, 0, "resolved", 1, 5],
        ["goods_prices", 1, 0, "resolved", 2, 4],
        ["facilities", 2, 1, "resolved", 5, 3],
        ["stall_boundary", 31, 2, "resolved", 12, null],
        ["neighbours", 32, 0, "unresolvable", 4, 1],
        ["other", 40, 0, null, 0, null],
      ] as const;
      for (const [category, filed, ups, outcome, closedAfter, rating] of plan) {
        const d = await fileDispute(
          fdb,
          resident,
          { category, respondentBusinessId: category === "facilities" ? b2.id : b1.id, description: category },
          at(filed),
        );
        const mediator = async () => {
          const [row] = await fdb.select().from(disputes).where(eq(disputes.id, d.id));
          return who(row.assigneeId!);
        };
        for (let i = 0; i < ups; i++) await escalateDispute(fdb, await mediator(), d.id, at(filed + 0.1 * (i + 1)));
        const closedAt = at(filed + closedAfter);
        if (outcome === "resolved") {
          // Resolved: the mediator writes the agreement and both parties confirm it.
          await recordAgreement(fdb, await mediator(), d.id, "协议", closedAt);
          await confirmAgreement(fdb, resident, d.id, closedAt);
          const owner = category === "facilities" ? DEMO_USERS.vicePresident1.id : DEMO_USERS.shopOwner.id;
          await confirmAgreement(fdb, await who(owner), d.id, closedAt);
        } else if (outcome) await closeDispute(fdb, await mediator(), d.id, { outcome, note: "无法调解" }, closedAt);
        if (rating)
          await rateDispute(fdb, resident, d.id, { score: rating, comment: "" }, at(filed + closedAfter + 0.5));
      }
      await giveFeedback(
        fdb,
        resident,
        { source: "shop_page", kind: "complaint", businessId: b1.id, body: "a", hideName: false },
        T0,
      );
      await giveFeedback(
        fdb,
        resident,
        { source: "plaque", kind: "praise", businessId: b1.id, body: "b", hideName: false },
        T0,
      );
      await giveFeedback(fdb, resident, { source: "board", kind: "suggestion", body: "c", hideName: false }, T0);
      await giveFeedback(
        fdb,
        resident,
        { source: "shop_page", kind: "complaint", businessId: b1.id, body: "old", hideName: false },
        new Date(T0.getTime() - 400 * DAY),
      );

      const stats = await deskStats(fdb, await who(DEMO_USERS.president.id));
      const closed = plan.filter((p) => p[3] !== null);
      const resolved = plan.filter((p) => p[3] === "resolved");
      expect(stats.disputes.total).toBe(plan.length);
      expect(stats.disputes.resolvedShare).toBeCloseTo(resolved.length / closed.length);
      const days = resolved.map((p) => p[4]).sort((a, b) => a - b);
      expect(stats.disputes.medianDaysToResolve).toBeCloseTo((days[1] + days[2]) / 2);
      expect(stats.disputes.resolvedAtGridShare).toBeCloseTo(
        resolved.filter((p) => p[2] === 0).length / resolved.length,
      );
      const ratings = plan.map((p) => p[5]).filter((r): r is 5 | 4 | 3 | 1 => r !== null);
      expect(stats.disputes.satisfaction.mean).toBeCloseTo(ratings.reduce((a, b) => a + b, 0) / ratings.length);
      const byCategory = Object.fromEntries(stats.disputes.byCategory.map((r) => [r.key, r.count]));
      expect(byCategory).toEqual({ stall_boundary: 1, neighbours: 1, facilities: 1, goods_prices: 2, other: 1 });
      const levels = ["grid", "alliance", "community"];
      const byLevel = Object.fromEntries(stats.disputes.byLevel.map((r) => [r.key, r.count]));
      expect(byLevel).toEqual(Object.fromEntries(levels.map((l, i) => [l, plan.filter((p) => p[2] === i).length])));
      const months = Object.fromEntries(stats.disputes.byMonth.map((r) => [r.key, r.count]));
      expect(months).toEqual({ [districtMonth(at(0))]: 3, [districtMonth(at(31))]: 3 });
      expect(districtMonth(at(0))).toBe("2026-03");
      const byKind = Object.fromEntries(stats.feedback.byKind.map((r) => [r.key, r.count]));
      expect(byKind).toEqual({ suggestion: 1, complaint: 2, praise: 1, question: 0 });
      const bySource = Object.fromEntries(stats.feedback.bySource.map((r) => [r.key, r.count]));
      expect(bySource).toEqual({ shop_page: 2, plaque: 1, live_chat: 0, poll: 0, board: 1 });

      // The record for the plaque selection counts the 12 months before `now` only.
      const record = await businessRecord(fdb, b1.id, at(50));
      expect(record.complaints).toBe(1);
      expect(record.feedbackByKind).toEqual({ suggestion: 0, complaint: 1, praise: 1, question: 0 });
      expect(record.disputes).toBe(5);
      expect(record.disputesByOutcome).toEqual({ resolved: 3, withdrawn: 0, unresolvable: 1, open: 1 });
      expect((await businessRecord(fdb, b1.id, new Date(T0.getTime() + 420 * DAY))).disputes).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
