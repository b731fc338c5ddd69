/**
 * Issue 16, the trust record (诚信档案, ADR 020): its figures against counts this test keeps from
 * its own complaints and disputes (unfounded and withdrawn ones, and old cases outside the 12
 * months, included); 投诉这家店 with photos and a case number, refused for the business's own
 * people and for bad input with nothing written; the public case page; the printed plaque of a
 * revoked one.
 */
import { and, eq, isNull } from "drizzle-orm";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { awards, businesses, feedback, feedbackPhotos } from "../../db/schema";
import type { User } from "~/domain/accounts/actor";
import { revokePlaque } from "~/domain/badges/selection.server";
import { verifyPlaque } from "~/domain/badges/verify.server";
import {
  closeDispute,
  confirmAgreement,
  fileDispute,
  recordAgreement,
  requestWithdrawal,
} from "~/domain/disputes/disputes.server";
import {
  caseByNumber,
  complaintPhotoIds,
  fileComplaint,
  myCases,
  readComplaintPhoto,
} from "~/domain/feedback/complaints.server";
import {
  answerFeedback,
  closeFeedback,
  feedbackToDispute,
  giveFeedback,
  sendToMerchant,
} from "~/domain/feedback/feedback.server";
import { trustRecord } from "~/domain/feedback/trust-record.server";
import { loader as apiBusiness } from "~/routes/api.v1.businesses.$id";
import { action as complainAction } from "~/routes/shops.$id.complain";
import { loader as printLoader } from "~/routes/verify.$code.print";
import { testClock, useTestDatabase } from "../helpers/kit";

const kit = useTestDatabase();
const { db, demo, actor, rows, expectRefused, newOwner, newShopper } = kit;

/** A real 2×2 PNG (decodes in any image library). */
function photo(): Uint8Array {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(200);
  return new Uint8Array(PNG.sync.write(png));
}

/** "Now" for the record: the plaques' states are read at the same instant. */
const { T0, plusDays } = testClock(new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 3_600_000));
const ago = (days: number) => plusDays(-days);

/** A business holding a current plaque and no member yet, made the test's own with a new owner. */
async function shopWithPlaque() {
  const candidates = await db()
    .select({ code: awards.plaqueCode, businessCode: businesses.code })
    .from(awards)
    .innerJoin(businesses, eq(businesses.id, awards.businessId))
    .where(isNull(awards.revokedAt));
  for (const c of candidates) {
    if ((await verifyPlaque(db(), c.code, T0))?.verdict !== "current") continue;
    if (["S0001", "S0002", "S0003", "S0004", "S0005", "T0001"].includes(c.businessCode)) continue;
    const owner = await newOwner(c.businessCode);
    return { owner, businessId: owner.businessId, plaqueCode: c.code, businessCode: c.businessCode };
  }
  throw new Error("the seed has no business with a current plaque");
}

const snapshot = async () => ({ feedback: await rows(feedback), photos: await rows(feedbackPhotos) });

describe("the trust record's figures (ADR 020)", () => {
  it("counts each outcome as this test made it, leaves out unfounded ones and cases older than 12 months", async () => {
    const shop = await shopWithPlaque();
    const { businessId, owner } = shop;
    const desk = await demo("admin");
    const shopper = await newShopper();
    const expected = { resolved: 0, upheld: 0, unfounded: 0, withdrawn: 0, open: 0 };
    const disputesExpected = { resolved: 0, withdrawn: 0, unresolvable: 0, open: 0 };
    const answerDays: number[] = [];
    let sent = 0;
    let overdue = 0;
    const complain = (at: Date, body = "投诉") =>
      fileComplaint(db(), shopper, { businessId, source: "plaque", body, hideName: false }, at);
    const mediatorOf = async (disputeId: number) => {
      const view = await db().query.disputes.findFirst({ where: (d, { eq }) => eq(d.id, disputeId) });
      return actor(view!.assigneeId!);
    };

    // Feedback complaints.
    const unfounded = await complain(ago(60), "缺斤短两");
    await closeFeedback(db(), desk, unfounded.id, ago(59), "unfounded");
    expected.unfounded++;
    const upheld = await complain(ago(50));
    await closeFeedback(db(), desk, upheld.id, ago(49), "upheld");
    expected.upheld++;
    for (const [filedAgo, answerAfter] of [
      [40, 2],
      [30, 6],
    ] as const) {
      const c = await complain(ago(filedAgo));
      await sendToMerchant(db(), desk, c.id, ago(filedAgo - 1));
      sent++;
      await answerFeedback(db(), owner, c.id, "已退款", ago(filedAgo - 1 - answerAfter));
      answerDays.push(answerAfter);
      expected.upheld++; // an answered complaint stands (ADR 013)
    }
    const waiting = await complain(ago(25));
    await sendToMerchant(db(), desk, waiting.id, ago(20));
    sent++;
    overdue++; // sent 20 days ago, not answered
    expected.open++;
    await complain(ago(3));
    expected.open++;
    // Answered by the desk, not the merchant: upheld, but not the merchant's answer.
    const deskAnswered = await complain(ago(15));
    await answerFeedback(db(), desk, deskAnswered.id, "工作台已核实", ago(14));
    expected.upheld++;
    // A complaint the desk turns into a dispute counts once, as the dispute; it ends in an agreement.
    const toDispute = await complain(ago(12));
    const moved = await feedbackToDispute(db(), desk, toDispute.id, "goods_prices", ago(11));
    const mediator = await mediatorOf(moved.disputeId!);
    await recordAgreement(db(), mediator, moved.disputeId!, "退款 20 元", ago(10));
    await confirmAgreement(db(), shopper, moved.disputeId!, ago(10));
    await confirmAgreement(db(), owner, moved.disputeId!, ago(9));
    expected.resolved++;
    disputesExpected.resolved++;
    // Praise is not a complaint.
    await giveFeedback(
      db(),
      shopper,
      { source: "shop_page", kind: "praise", businessId, body: "好", hideName: false },
      ago(5),
    );

    // Disputes filed straight.
    const file = (at: Date) =>
      fileDispute(
        db(),
        shopper,
        { category: "goods_prices", respondentBusinessId: businessId, description: "纠纷" },
        at,
      );
    /** Its mediator closes dispute `id` at `at`. */
    const closeAs = async (id: number, outcome: "unresolvable" | "withdrawn", note: string, at: Date) =>
      closeDispute(db(), await mediatorOf(id), id, { outcome, note }, at);
    const notResolvable = await file(ago(45));
    await closeAs(notResolvable.id, "unresolvable", "各执一词", ago(40));
    expected.upheld++;
    disputesExpected.unresolvable++;
    const withdrawn = await file(ago(35));
    await requestWithdrawal(db(), shopper, withdrawn.id, "私下解决了", ago(34));
    await closeAs(withdrawn.id, "withdrawn", "", ago(33));
    expected.withdrawn++;
    disputesExpected.withdrawn++;
    await file(ago(2));
    expected.open++;
    disputesExpected.open++;

    // Outside the 12 months: an upheld complaint and an unresolvable dispute, 400 days ago.
    const old = await complain(ago(400));
    await closeFeedback(db(), desk, old.id, ago(399), "upheld");
    const oldDispute = await file(ago(400));
    await closeAs(oldDispute.id, "unresolvable", "旧案", ago(398));

    // A plaque revoked 10 days ago, with its reason.
    await revokePlaque(db(), desk, shop.plaqueCode, "经查属实的投诉", ago(10));
    const held = (
      await Promise.all(
        (await db().select({ code: awards.plaqueCode }).from(awards).where(eq(awards.businessId, businessId))).map(
          (a) => verifyPlaque(db(), a.code, T0),
        ),
      )
    ).filter((p) => p?.verdict === "current").length;

    const record = await trustRecord(db(), businessId, T0);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(record.complaints).toEqual({ total, ...expected });
    expect(record.disputes).toEqual({
      total: Object.values(disputesExpected).reduce((a, b) => a + b, 0),
      ...disputesExpected,
    });
    const sortedDays = [...answerDays].sort((a, b) => a - b);
    expect(record.answers).toEqual({
      sent,
      answered: answerDays.length,
      share: answerDays.length / sent,
      medianDays: (sortedDays[0] + sortedDays[1]) / 2,
      overdue,
    });
    expect(record.plaques.held).toBe(held);
    expect(record.plaques.revokedInPeriod).toBe(1);
    expect(record.plaques.list.find((p) => p.code === shop.plaqueCode)).toMatchObject({
      state: "revoked",
      revokeReason: "经查属实的投诉",
      revokedAt: ago(10),
    });
    // Unfounded complaints never count against the shop: the standing's "upheld" figure is the upheld count alone.
    expect(record.checks).toEqual([
      { rule: "revoked", value: 1, limit: 1, tripped: true },
      { rule: "upheld", value: expected.upheld, limit: 3, tripped: expected.upheld >= 3 },
      { rule: "overdue", value: overdue, limit: 1, tripped: overdue >= 1 },
    ]);
    expect(record.standing).toBe("attention");

    // The same record in /api/v1, as JSON.
    const response = await apiBusiness(
      kit.routeArgs(`/api/v1/businesses/${businessId}`, null, { id: String(businessId) }),
    );
    const json = (await response.json()) as { trustRecord: { complaints: unknown; standing: string } };
    expect(json.trustRecord.complaints).toEqual({ total, ...expected });
    expect(json.trustRecord.standing).toBe("attention");
    expect(JSON.stringify(json.trustRecord)).not.toContain(shopper.displayName);
  });

  it("is good for a shop whose complaints were all unfounded", async () => {
    const shop = await shopWithPlaque();
    const desk = await demo("admin");
    const shopper = await newShopper();
    for (let i = 0; i < 4; i++) {
      const c = await fileComplaint(
        db(),
        shopper,
        { businessId: shop.businessId, source: "shop_page", body: `不实${i}`, hideName: false },
        ago(20 + i),
      );
      await closeFeedback(db(), desk, c.id, ago(19 + i), "unfounded");
    }
    const record = await trustRecord(db(), shop.businessId, T0);
    expect(record.complaints).toMatchObject({ total: 4, unfounded: 4, upheld: 0 });
    expect(record.standing).toBe("good");
  });
});

describe("投诉这家店: photos, a case number, and who may not", () => {
  it("files with photos and gives a case number the filer follows; the page shows status and dates, no names", async () => {
    const shop = await shopWithPlaque();
    const shopper = await newShopper("投诉人");
    const filed = await fileComplaint(
      db(),
      shopper,
      { businessId: shop.businessId, source: "plaque", body: "电话 13912345678 的店员态度差", hideName: false },
      T0,
      [photo(), photo()],
    );
    expect(filed.caseNumber).toMatch(
      new RegExp(`^XQ-${new Date(T0.getTime() + 8 * 3_600_000).getUTCFullYear()}-\\d{6}$`),
    );
    const publicView = await caseByNumber(db(), null, filed.caseNumber.toLowerCase().replace(/-/g, " "));
    expect(publicView).toMatchObject({ caseNumber: filed.caseNumber, status: "received", filer: null });
    expect(publicView!.steps.map((s) => s.step)).toEqual(["filed"]);
    const text = JSON.stringify(publicView);
    for (const secret of [shopper.displayName, "13912345678", "态度差", shop.businessCode])
      expect(text).not.toContain(secret);
    expect(await caseByNumber(db(), null, "XQ-1999-999999")).toBeNull();
    expect(await caseByNumber(db(), null, "not a number")).toBeNull();
    // The filer sees the business too, and the case in their list.
    expect((await caseByNumber(db(), shopper, filed.caseNumber))!.filer).toMatchObject({ businessId: shop.businessId });
    expect((await myCases(db(), shopper)).map((c) => c.caseNumber)).toEqual([filed.caseNumber]);

    // It moves as the desk acts: sent to the merchant, answered, then the page says so with dates.
    const desk = await demo("admin");
    await sendToMerchant(db(), desk, filed.id, plusDays(1));
    await answerFeedback(db(), shop.owner, filed.id, "已道歉", plusDays(2));
    const moved = await caseByNumber(db(), null, filed.caseNumber);
    expect(moved!.status).toBe("answered");
    expect(moved!.steps.map((s) => [s.step, s.at])).toEqual([
      ["filed", T0],
      ["sentToMerchant", plusDays(1)],
      ["answered", plusDays(2)],
    ]);

    // The photos: the filer and the desk see them; the owner, another shopper and nobody signed in get 404.
    const ids = await complaintPhotoIds(db(), shopper, filed.id);
    expect(ids).toHaveLength(2);
    expect((await readComplaintPhoto(db(), desk, filed.id, ids[0])).type).toBe("image/webp");
    expect((await readComplaintPhoto(db(), await demo("president"), filed.id, ids[1])).type).toBe("image/webp");
    for (const who of [shop.owner, await newShopper(), null] as (User | null)[])
      await expect(readComplaintPhoto(db(), who, filed.id, ids[0])).rejects.toMatchObject({ status: 404 });
  });

  it("refuses the business's own people, conflicted officers, nobody signed in and bad photos, writing nothing", async () => {
    const shop = await shopWithPlaque();
    const s0005 = (await db().select({ id: businesses.id }).from(businesses).where(eq(businesses.code, "S0005")))[0].id;
    const input = (businessId: number) => ({ businessId, source: "shop_page" as const, body: "投诉", hideName: false });
    await expectRefused(
      snapshot,
      () => fileComplaint(db(), shop.owner, input(shop.businessId), T0),
      "desk.errors.selfComplaint",
      400,
    );
    // The moderator owns S0005: no complaint about it, by this form or the feedback form.
    const moderator = await demo("moderator");
    await expectRefused(
      snapshot,
      () => fileComplaint(db(), moderator, input(s0005), T0),
      "desk.errors.selfComplaint",
      400,
    );
    await expectRefused(
      snapshot,
      () => giveFeedback(db(), moderator, { ...input(s0005), kind: "complaint" }, T0),
      "desk.errors.selfComplaint",
      400,
    );
    await expectRefused(snapshot, () => fileComplaint(db(), null, input(shop.businessId), T0), "errors.forbidden", 403);
    const shopper = await newShopper();
    await expectRefused(
      snapshot,
      () => fileComplaint(db(), shopper, input(shop.businessId), T0, [photo(), new Uint8Array([1, 2, 3])]),
      "directory.errors.photoType",
      400,
    );
    await expectRefused(
      snapshot,
      () => fileComplaint(db(), shopper, input(shop.businessId), T0, Array.from({ length: 5 }, photo)),
      "desk.errors.tooManyPhotos",
      400,
    );
    await expectRefused(
      snapshot,
      () => fileComplaint(db(), shopper, input(2147483647), T0),
      "desk.errors.unknownBusiness",
      400,
    );
    // A moderator's photo view of a complaint about their own shop: 404 like a missing one.
    const aboutS0005 = await fileComplaint(db(), shopper, input(s0005), T0, [photo()]);
    const [photoId] = await complaintPhotoIds(db(), shopper, aboutS0005.id);
    await expect(readComplaintPhoto(db(), moderator, aboutS0005.id, photoId)).rejects.toMatchObject({ status: 404 });
  });

  it("the form: an empty complaint is a 400 in the reader's language; a good one redirects to its case page", async () => {
    const shop = await shopWithPlaque();
    const shopper = await newShopper();
    const post = (fields: Record<string, string>, withPhoto = false) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      if (withPhoto) body.set("photos", new Blob([Buffer.from(photo())], { type: "image/png" }), "evidence.png");
      return complainAction(
        kit.routeArgs(
          `/shops/${shop.businessId}/complain`,
          shopper,
          { id: String(shop.businessId) },
          { method: "POST", body },
        ),
      );
    };
    const before = await snapshot();
    const empty = (await post({ body: "   ", from: "plaque" })) as unknown as {
      init: { status: number };
      data: { field: string };
    };
    expect(empty.init.status).toBe(400);
    expect(empty.data.field).toBe("body");
    expect(await snapshot()).toEqual(before);
    const ok = (await post({ body: "称重不准", from: "plaque" }, true)) as Response;
    expect(ok.status).toBe(302);
    const location = ok.headers.get("location")!;
    expect(location).toMatch(/^\/cases\/XQ-\d{4}-\d{6}\?filed=1$/);
    const [row] = await db()
      .select()
      .from(feedback)
      .where(and(eq(feedback.authorId, shopper.userId), eq(feedback.businessId, shop.businessId)));
    expect(row).toMatchObject({ kind: "complaint", source: "plaque", caseNumber: location.slice(7, 21) });
    expect(await rows(feedbackPhotos, eq(feedbackPhotos.feedbackId, row.id))).toBe(1);
  });
});

describe("the printed plaque", () => {
  it("prints a revoked plaque marked revoked, never as valid", async () => {
    const shop = await shopWithPlaque();
    const admin = await demo("admin");
    const current = (await printLoader(
      kit.routeArgs(`/verify/${shop.plaqueCode}/print`, admin, { code: shop.plaqueCode }),
    )) as {
      plaque: { verdict: string };
    };
    expect(current.plaque.verdict).toBe("current");
    await revokePlaque(db(), admin, shop.plaqueCode, "冒用他人证照", T0);
    const revoked = (await printLoader(
      kit.routeArgs(`/verify/${shop.plaqueCode}/print`, admin, { code: shop.plaqueCode }),
    )) as {
      plaque: { verdict: string; revokeReason: string };
    };
    expect(revoked.plaque).toMatchObject({ verdict: "revoked", revokeReason: "冒用他人证照" });
  });
});
