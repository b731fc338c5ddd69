import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, businesses, disputes, notifications, reviewReports, reviews } from "../../db/schema";
import type { User } from "~/domain/accounts/actor";
import { replaceBusinessPhoto } from "~/domain/directory/business.server";
import { publicBusiness } from "~/domain/directory/open-data.server";
import { directoryEntry, querySearch } from "~/domain/directory/search.server";
import { directoryFilterSchema } from "~/domain/directory/filters";
import { fileDispute } from "~/domain/disputes/disputes.server";
import { addToCart } from "~/domain/market/cart.server";
import { markPickedUp, markReady, orderDetail, placeOrders } from "~/domain/market/orders.server";
import { createProduct, replaceProductPhoto } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import {
  businessReviews,
  decideReview,
  replyToReview,
  reportReview,
  reviewGrounds,
  reviewPhotoFolder,
  reviewReportQueue,
  writeReview,
} from "~/domain/reviews/reviews.server";
import { reviewSchema } from "~/domain/reviews/rules";
import { action as reviewsAction } from "~/routes/shops.$id.reviews";
import { routeArgs, testClock, useTestDatabase } from "../helpers/kit";
import { hugePng, phoneJpeg, smallPng } from "../helpers/photos";

const kit = useTestDatabase();
const { db, demo, businessId: idOf, newShopper, newOwner, expectRefused } = kit;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-reviews-"));
beforeAll(() => {
  process.env.XQ_DATA_DIR = dataDir;
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const { T0, plusHours } = testClock("2026-11-20T02:00:00Z");

const filesIn = (folder: string) => (fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []);
const review = (rating: number, body: string, ground: string) => reviewSchema.parse({ rating, body, ground });

/** `who` orders from business `code`, picks the order up, and reviews it at T0 with `rating` and `text`. */
const reviewAfterOrder = async (who: User, code: string, rating: number, text: string) =>
  writeReview(db(), who, await idOf(code), review(rating, text, `order-${await orderFrom(code, who)}`), [], T0);

/** Everything a refused review, reply, report or decision must leave as it was. */
const snapshot = async () => ({
  reviews: await db().select().from(reviews).orderBy(reviews.id),
  reports: await db().select().from(reviewReports).orderBy(reviewReports.id),
  ratings: await db()
    .select({ id: businesses.id, n: businesses.ratingCount, sum: businesses.ratingSum })
    .from(businesses)
    .orderBy(businesses.id),
  audit: (await db().select({ n: count() }).from(auditLog))[0].n,
  files: filesIn(reviewPhotoFolder()),
});

let products = 0;
/** A shopper's order from `code`, placed, readied and picked up (or left `new`) the way the counter does it. */
async function orderFrom(code: string, shopper: User, pickedUp = true) {
  const owner = await demo(code === "T0001" ? "stallOwner" : code === "S0002" ? "president" : "shopOwner");
  const productId = await createProduct(
    db(),
    owner,
    await idOf(code),
    productSchema.parse({ name: `点评测试商品${++products}`, price: "8", stock: "5" }),
  );
  await addToCart(db(), shopper, productId, 1);
  const [orderId] = await placeOrders(db(), shopper, "at_pickup", [{ productId, quantity: 1, priceFen: 800 }], T0);
  if (pickedUp) {
    await markReady(db(), owner, orderId);
    const { pickupCode } = (await orderDetail(db(), shopper, orderId)).order;
    await markPickedUp(db(), owner, orderId, pickupCode!);
  }
  return orderId;
}

const ratingOf = async (code: string) => {
  const [b] = await db()
    .select({ n: businesses.ratingCount, sum: businesses.ratingSum })
    .from(businesses)
    .where(eq(businesses.id, await idOf(code)));
  return b;
};

describe("who may review", () => {
  it("a shopper whose order was picked up reviews once, with a photo: the average shows on the page, the directory and the API", async () => {
    const shopper = await newShopper();
    const s0001 = await idOf("S0001");
    const orderId = await orderFrom("S0001", shopper);
    expect(await reviewGrounds(db(), shopper, s0001)).toMatchObject([{ ground: `order-${orderId}` }]);
    const before = await ratingOf("S0001");
    const written = await writeReview(
      db(),
      shopper,
      s0001,
      review(4, "烩面很筋道，汤也好", `order-${orderId}`),
      [await phoneJpeg()],
      T0,
    );
    expect(written).toMatchObject({ rating: 4, orderId, authorId: shopper.userId });
    expect(await ratingOf("S0001")).toEqual({ n: before.n + 1, sum: before.sum + 4 });
    expect(await reviewGrounds(db(), shopper, s0001)).toEqual([]);

    const page = await businessReviews(db(), null, s0001);
    expect(page.items[0]).toMatchObject({ id: written.id, rating: 4, body: "烩面很筋道，汤也好" });
    expect(page.items[0].author).toMatch(/^.\*\*$/); // the public sees a masked name
    const entry = (await directoryEntry(db(), s0001))!;
    expect({ count: entry.ratingCount, average: entry.ratingAverage }).toEqual({
      count: page.count,
      average: page.average,
    });
    expect(publicBusiness(entry, "http://x").rating).toEqual({ average: page.average, count: page.count });

    // The photo: three widths, WebP, upright, with no EXIF (so no GPS position) left.
    const [name] = written.photos;
    expect(name).toMatch(new RegExp(`^${s0001}-[0-9a-f]{16}-640\\.webp$`));
    for (const width of [320, 640, 1280]) {
      const file = path.join(reviewPhotoFolder(), name.replace("-640.webp", `-${width}.webp`));
      const bytes = fs.readFileSync(file);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe("webp");
      expect(meta.exif).toBeUndefined();
      expect(bytes.includes(Buffer.from("TestPhone"))).toBe(false);
      // 800×600 stored sideways with orientation 6: upright it is 600 wide, 800 high.
      expect(meta.width).toBe(Math.min(width, 600));
      expect(meta.height > meta.width).toBe(true);
    }
  });

  it("refuses a shopper who never bought, an order not picked up, someone else's order, a second review, the merchant and its staff, a visitor, and a fourth photo; nothing is written", async () => {
    const s0001 = await idOf("S0001");
    const buyer = await newShopper();
    const stranger = await newShopper();
    const pickedUp = await orderFrom("S0001", buyer);
    const waiting = await orderFrom("S0001", buyer, false);
    await writeReview(db(), buyer, s0001, review(5, "第一次点评", `order-${pickedUp}`), [], T0);
    const staff = await newOwner("S0001", "店员");
    const owner = await demo("shopOwner");

    const refusals: [User | null, string, string, number][] = [
      [stranger, `order-${pickedUp}`, "reviews.errors.notEarned", 403],
      [stranger, "order-999999", "reviews.errors.notEarned", 403],
      [buyer, `order-${waiting}`, "reviews.errors.notEarned", 403],
      [buyer, `order-${pickedUp}`, "reviews.errors.alreadyReviewed", 409],
      [owner, `order-${pickedUp}`, "reviews.errors.ownBusiness", 403],
      [staff, `order-${pickedUp}`, "reviews.errors.ownBusiness", 403],
      [null, `order-${pickedUp}`, "errors.forbidden", 403],
    ];
    for (const [who, ground, code, status] of refusals)
      await expectRefused(
        snapshot,
        () => writeReview(db(), who, s0001, review(1, "刷个差评", ground), [], T0),
        code,
        status,
      );
    const another = await orderFrom("S0001", buyer);
    const s0002 = await idOf("S0002");
    await expectRefused(
      snapshot,
      () => writeReview(db(), buyer, s0002, review(3, "不是这家店", `order-${another}`), [], T0),
      "reviews.errors.notEarned",
      403,
    );
    const png = await smallPng();
    await expectRefused(
      snapshot,
      () => writeReview(db(), buyer, s0001, review(3, "四张照片", `order-${another}`), [png, png, png, png], T0),
      "reviews.errors.tooManyPhotos",
      400,
    );
  });

  it("a party to a closed dispute with the business reviews once per dispute; an open dispute earns nothing", async () => {
    const s0003 = await idOf("S0003");
    const filer = await newShopper();
    const d = await fileDispute(
      db(),
      filer,
      { category: "other", respondentBusinessId: s0003, description: "找零少了" } as never,
      T0,
    );
    await expectRefused(
      snapshot,
      () => writeReview(db(), filer, s0003, review(2, "还在调解", `dispute-${d.id}`), [], T0),
      "reviews.errors.notEarned",
      403,
    );
    await db()
      .update(disputes)
      .set({ status: "closed", outcome: "resolved", closedAt: plusHours(2) })
      .where(eq(disputes.id, d.id));
    expect(await reviewGrounds(db(), filer, s0003)).toMatchObject([{ ground: `dispute-${d.id}` }]);
    await writeReview(db(), filer, s0003, review(3, "调解后退了钱", `dispute-${d.id}`), [], plusHours(3));
    await expectRefused(
      snapshot,
      () => writeReview(db(), filer, s0003, review(1, "再来一次", `dispute-${d.id}`), [], plusHours(3)),
      "reviews.errors.alreadyReviewed",
      409,
    );
    const stranger = await newShopper();
    await expectRefused(
      snapshot,
      () => writeReview(db(), stranger, s0003, review(1, "别人的纠纷", `dispute-${d.id}`), [], plusHours(3)),
      "reviews.errors.notEarned",
      403,
    );
    expect((await businessReviews(db(), null, s0003)).items[0]).toMatchObject({ viaDispute: true, rating: 3 });
  });
});

describe("the shop page's reviews, read by one prepared statement per shape (ADR 047)", () => {
  it("each viewer gets their own reading, whoever asked before them and about whichever business", async () => {
    const s0001 = await idOf("S0001");
    const t0001 = await idOf("T0001");
    const [author, buyer] = [await newShopper(), await newShopper()];
    const written = await reviewAfterOrder(author, "S0001", 5, "茶香浓郁");
    const order = await orderFrom("S0001", buyer);
    const resident = await demo("resident");
    await reportReview(db(), resident, { reviewId: written.id, reason: "spam" }, T0);
    const item = (page: Awaited<ReturnType<typeof businessReviews>>) => page.items.find((i) => i.id === written.id)!;

    // In turn, twice over: anonymous, the reporter, the author, a buyer who may review.
    for (let round = 0; round < 2; round++) {
      const anonymous = await businessReviews(db(), null, s0001);
      expect(anonymous.grounds).toEqual([]);
      expect(item(anonymous)).toMatchObject({ mine: false, reportedByMe: false });
      expect(item(anonymous).author).toMatch(/^.\*\*$/);

      expect(item(await businessReviews(db(), resident, s0001))).toMatchObject({ reportedByMe: true, mine: false });

      const own = await businessReviews(db(), author, s0001);
      expect(item(own)).toMatchObject({ mine: true, reportedByMe: false, author: author.displayName });
      expect(own.grounds).toEqual([]);

      const mayReview = await businessReviews(db(), buyer, s0001);
      expect(mayReview.grounds.map((g) => g.ground)).toEqual([`order-${order}`]);
      expect(item(mayReview)).toMatchObject({ mine: false, reportedByMe: false });
      // The same shape about another business: its own reviews, and no ground from S0003.
      const elsewhere = await businessReviews(db(), buyer, t0001);
      expect(elsewhere.grounds).toEqual([]);
      expect(elsewhere.items.map((i) => i.id)).not.toContain(written.id);
    }
  });
});

describe("the merchant's reply", () => {
  it("the owner or staff replies once, publicly; a second reply, another merchant and a resident are refused", async () => {
    const s0001 = await idOf("S0001");
    const shopper = await newShopper();
    const r = await reviewAfterOrder(shopper, "S0001", 2, "等得有点久");
    for (const [who, code] of [
      [await demo("stallOwner"), "reviews.errors.notOfBusiness"],
      [await demo("resident"), "reviews.errors.notOfBusiness"],
      [shopper, "reviews.errors.notOfBusiness"],
      [await demo("admin"), "reviews.errors.notOfBusiness"],
    ] as const)
      await expectRefused(snapshot, () => replyToReview(db(), who, { reviewId: r.id, body: "谢谢" }, T0), code, 403);
    await replyToReview(db(), await demo("shopOwner"), { reviewId: r.id, body: "抱歉，中午人多，我们加了人手。" }, T0);
    const staff = await newOwner("S0001", "店员");
    await expectRefused(
      snapshot,
      () => replyToReview(db(), staff, { reviewId: r.id, body: "再说一次" }, T0),
      "reviews.errors.alreadyReplied",
      409,
    );
    const shown = (await businessReviews(db(), null, s0001)).items.find((i) => i.id === r.id)!;
    expect(shown).toMatchObject({ replyBody: "抱歉，中午人多，我们加了人手。", mayReply: false });
  });
});

describe("who hears of a review", () => {
  /** The notices of `kind` that `who` holds, as kind, params and link. */
  const noticesOf = async (who: User, kind: string) =>
    (await db().select().from(notifications).where(eq(notifications.userId, who.userId)))
      .filter((n) => n.kind === kind)
      .map((n) => ({ params: n.params, link: n.link }));

  it("the business's people hear of a new review, its author of the reply and of its hiding with the reason; nobody else", async () => {
    const s0001 = await idOf("S0001");
    const shopOwner = await demo("shopOwner");
    const staff = await newOwner("S0001", "店员");
    const shopper = await newShopper();
    const written = await noticesOf(shopOwner, "reviews.written");
    const r = await reviewAfterOrder(shopper, "S0001", 2, "排队太久了");
    const heard = { params: { business: expect.any(String), rating: 2 }, link: `/shops/${s0001}#reviews` };
    expect(await noticesOf(shopOwner, "reviews.written")).toEqual([...written, heard]);
    expect(await noticesOf(staff, "reviews.written")).toEqual([heard]);
    expect(await noticesOf(shopper, "reviews.written")).toEqual([]);
    expect(await noticesOf(await demo("stallOwner"), "reviews.written")).toEqual([]);

    await replyToReview(db(), staff, { reviewId: r.id, body: "已经加了一个收银台。" }, T0);
    expect(await noticesOf(shopper, "reviews.replied")).toEqual([
      { params: { business: expect.any(String) }, link: `/shops/${s0001}#reviews` },
    ]);

    await reportReview(db(), await demo("resident"), { reviewId: r.id, reason: "offensive" }, T0);
    await decideReview(db(), await demo("moderator"), { reviewId: r.id, decision: "hide", reason: "含人身攻击" }, T0);
    expect(await noticesOf(shopper, "reviews.hidden")).toEqual([
      { params: { business: expect.any(String), reason: "含人身攻击" }, link: `/shops/${s0001}#reviews` },
    ]);
    expect(await noticesOf(shopOwner, "reviews.hidden")).toEqual([]);
  });
});

describe("reports and the officers' queue", () => {
  it("a reported review stays visible until an officer decides; conflicted officers are refused; hiding takes it out of the average", async () => {
    const s0002 = await idOf("S0002"); // owned by the president
    const shopper = await newShopper();
    const r = await reviewAfterOrder(shopper, "S0002", 1, "老板态度差");
    const resident = await demo("resident");
    await reportReview(db(), resident, { reviewId: r.id, reason: "offensive" }, T0);
    await expectRefused(
      snapshot,
      () => reportReview(db(), resident, { reviewId: r.id, reason: "spam" }, T0),
      "reviews.errors.alreadyReported",
      409,
    );
    await expectRefused(
      snapshot,
      () => reportReview(db(), null, { reviewId: r.id, reason: "spam" }, T0),
      "errors.forbidden",
      403,
    );
    expect((await businessReviews(db(), null, s0002)).items.map((i) => i.id)).toContain(r.id);

    const moderator = await demo("moderator");
    const queue = await reviewReportQueue(db(), moderator);
    expect(queue.find((q) => q.id === r.id)).toMatchObject({ reports: 1, reasons: ["offensive"], conflicted: false });
    const president = await demo("president");
    expect((await reviewReportQueue(db(), president)).find((q) => q.id === r.id)).toMatchObject({ conflicted: true });

    const decide = (who: User | null, decision: "keep" | "hide") =>
      decideReview(db(), who, { reviewId: r.id, decision, reason: "核实后处理" }, plusHours(1));
    await expectRefused(snapshot, () => decide(president, "hide"), "errors.forbidden", 403); // owns S0002
    await expectRefused(snapshot, () => decide(resident, "hide"), "errors.forbidden", 403);
    const shopOwner = await demo("shopOwner");
    await expectRefused(snapshot, () => decide(shopOwner, "hide"), "errors.forbidden", 403);
    await expectRefused(snapshot, () => reviewReportQueue(db(), resident), "errors.forbidden", 403);

    const before = await ratingOf("S0002");
    await decide(moderator, "hide");
    expect(await ratingOf("S0002")).toEqual({ n: before.n - 1, sum: before.sum - 1 });
    expect((await businessReviews(db(), null, s0002)).items.map((i) => i.id)).not.toContain(r.id);
    expect((await reviewReportQueue(db(), moderator)).map((q) => q.id)).not.toContain(r.id);
    await expectRefused(snapshot, () => decide(moderator, "keep"), "reviews.errors.nothingToDecide", 409);
  });

  it("an officer who wrote the review cannot decide it; keeping it resolves the reports and leaves the average", async () => {
    const officer = await demo("vicePresident1");
    const r = await reviewAfterOrder(officer, "S0001", 5, "好吃");
    await reportReview(db(), await demo("stallOwner"), { reviewId: r.id, reason: "spam" }, T0);
    await expectRefused(
      snapshot,
      () => decideReview(db(), officer, { reviewId: r.id, decision: "hide", reason: "自己删" }, T0),
      "errors.forbidden",
      403,
    );
    const before = await ratingOf("S0001");
    await decideReview(db(), await demo("admin"), { reviewId: r.id, decision: "keep", reason: "正常点评" }, T0);
    expect(await ratingOf("S0001")).toEqual(before);
    const [open] = await db()
      .select({ n: count() })
      .from(reviewReports)
      .where(sql`${reviewReports.reviewId} = ${r.id} and ${reviewReports.resolvedAt} is null`);
    expect(open.n).toBe(0);
  });
});

describe("the directory sorted by rating", () => {
  it("puts the best average first and businesses without reviews last", async () => {
    const shopper = await newShopper();
    const t0001 = await idOf("T0001");
    await reviewAfterOrder(shopper, "T0001", 5, "凉皮真好");
    const filters = directoryFilterSchema.parse({ sort: "rating", perPage: 100 });
    const { items } = await querySearch(db(), filters, T0);
    const rated = items.filter((i) => i.ratingAverage !== null);
    expect(items[0]).toMatchObject({ id: t0001, ratingAverage: 5 });
    expect(rated.map((i) => i.ratingAverage)).toEqual([...rated.map((i) => i.ratingAverage)].sort((a, b) => b! - a!));
    expect(items.findIndex((i) => i.ratingAverage === null)).toBe(rated.length);
    expect(directoryFilterSchema.safeParse({ sort: "price" }).success).toBe(false);
  });
});

/** The shop page's review form: a review on `ground` with `rating` and `text`. */
function reviewForm(ground: string, rating: string, text: string) {
  const body = new FormData();
  body.set("intent", "review");
  body.set("ground", ground);
  body.set("rating", rating);
  body.set("body", text);
  return body;
}

/** `who` posts `body` to business `id`'s review form: answered `status` with `error`, and nothing written. */
async function expectFormRefused(who: User, id: number, body: FormData, status: number, error: string) {
  const before = await snapshot();
  const answer = (await reviewsAction(
    routeArgs(db(), `/shops/${id}/reviews`, who, { id: String(id) }, { method: "POST", body }),
  )) as unknown as { init: { status: number }; data: { error: string } };
  expect(answer.init.status).toBe(status);
  expect(answer.data.error).toBe(error);
  expect(await snapshot()).toEqual(before);
}

describe("photos from phones", () => {
  it("refuses a 20000×20000 PNG with a 400 and a message through the review form, and stores nothing", async () => {
    const shopper = await newShopper();
    const s0001 = await idOf("S0001");
    const orderId = await orderFrom("S0001", shopper);
    const body = reviewForm(`order-${orderId}`, "5", "看这张大图");
    body.set("photos", new Blob([new Uint8Array(hugePng())], { type: "image/png" }), "huge.png");
    await expectFormRefused(shopper, s0001, body, 400, "directory.errors.photoTooManyPixels");
  });

  it("a shopper who never bought gets a 403 from a direct POST to the review form", async () => {
    const stranger = await newShopper();
    const s0001 = await idOf("S0001");
    await expectFormRefused(
      stranger,
      s0001,
      reviewForm("order-1", "1", "没买过也想评"),
      403,
      "reviews.errors.notEarned",
    );
  });

  it("shop and product photos are re-encoded at three widths without EXIF; a picture over 40 megapixels is refused", async () => {
    const owner = await demo("shopOwner");
    const s0001 = await idOf("S0001");
    const name = await replaceBusinessPhoto(db(), owner, s0001, await phoneJpeg(2000, 1500));
    expect(name).toMatch(new RegExp(`^${s0001}-[0-9a-f]{16}-640\\.webp$`));
    const folder = path.join(dataDir, "uploads", "businesses");
    const widths = await Promise.all(
      [320, 640, 1280].map(async (w) => {
        const meta = await sharp(path.join(folder, name.replace("-640.", `-${w}.`))).metadata();
        expect(meta.exif).toBeUndefined();
        return meta.width;
      }),
    );
    expect(widths).toEqual([320, 640, 1280]);
    const [before] = await db().select({ p: businesses.photoPath }).from(businesses).where(eq(businesses.id, s0001));
    const files = filesIn(folder);
    await expect(replaceBusinessPhoto(db(), owner, s0001, hugePng())).rejects.toMatchObject({
      code: "directory.errors.photoTooManyPixels",
      status: 400,
    });
    await expect(
      replaceBusinessPhoto(db(), owner, s0001, Buffer.from("89504e470d0a1a0a0000000d49484452", "hex")),
    ).rejects.toMatchObject({
      code: "directory.errors.photoType",
      status: 400,
    });
    expect(filesIn(folder)).toEqual(files);
    const [after] = await db().select({ p: businesses.photoPath }).from(businesses).where(eq(businesses.id, s0001));
    expect(after).toEqual(before);

    const productId = await createProduct(
      db(),
      owner,
      s0001,
      productSchema.parse({ name: "照片商品", price: "3", stock: "1" }),
    );
    const productPhoto = await replaceProductPhoto(db(), owner, productId, await smallPng(2000, 1000));
    const productFolder = path.join(dataDir, "uploads", "products");
    expect(filesIn(productFolder)).toEqual([320, 640, 1280].map((w) => productPhoto.replace("-640.", `-${w}.`)).sort());
  });
});
