import path from "node:path";
import { and, asc, count, desc, eq, inArray, isNull, sql, type Placeholder } from "drizzle-orm";
import { dataDir, type Db } from "../../../db/client";
import { businesses, businessMembers, disputes, orders, reviewReports, reviews, users } from "../../../db/schema";
import type { ReportReason } from "../../../db/schema/enums";
import type { Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { businessName } from "../directory/business.server";
import { notify, notifyBusiness } from "../notifications/notifications.server";
import { DomainError, foundOr404, notFound } from "../errors";
import { processPhoto, storePhoto, type ProcessedPhoto, readMediaPhoto } from "../photos.server";
import { REVIEW_LIMITS, ratingAverage, type ReviewInput } from "./rules";
import { columnsOf, fromJson, jsonDate, preparedFor } from "../../../db/select";

export function reviewPhotoFolder(): string {
  return path.join(dataDir(), "uploads", "reviews");
}

/** Whether the user is an owner or staff member of the business, read from the database. */
async function isOfBusiness(db: Db, userId: string, businessId: number) {
  const [row] = await db
    .select({ role: businessMembers.role })
    .from(businessMembers)
    .where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, userId)));
  return row !== undefined;
}

type Ground = { ground: string; kind: "order" | "dispute"; id: number; at: Date | null };
type GroundRows = { orders: { id: number; at: string | null }[]; disputes: { id: number; at: string | null }[] };

/**
 * The user's picked-up orders from the business and closed disputes against it that have no
 * review yet, newest first, as one JSON value (read within another query, see `businessReviews`).
 */
const groundRowsJson = (userId: string | Placeholder, businessId: number | Placeholder) => sql<
  GroundRows | string
>`json_build_object(
  'orders', coalesce((SELECT json_agg(json_build_object('id', o.id, 'at', o.picked_up_at) ORDER BY o.id DESC)
    FROM orders o LEFT JOIN reviews r ON r.order_id = o.id
    WHERE o.user_id = ${userId} AND o.business_id = ${businessId} AND o.status = 'picked_up' AND r.id IS NULL), '[]'::json),
  'disputes', coalesce((SELECT json_agg(json_build_object('id', d.id, 'at', d.closed_at) ORDER BY d.id DESC)
    FROM disputes d LEFT JOIN reviews r ON r.dispute_id = d.id
    WHERE d.filer_id = ${userId} AND d.respondent_business_id = ${businessId} AND d.status = 'closed' AND r.id IS NULL), '[]'::json))`;

const groundsOf = (value: GroundRows | string | null): Ground[] => {
  if (value === null) return [];
  const rows = fromJson(value);
  return [
    ...rows.orders.map((r) => ({ ground: `order-${r.id}`, kind: "order" as const, id: r.id, at: jsonDate(r.at) })),
    ...rows.disputes.map((r) => ({
      ground: `dispute-${r.id}`,
      kind: "dispute" as const,
      id: r.id,
      at: jsonDate(r.at),
    })),
  ];
};

/**
 * What entitles this person to review the business now: their picked-up orders from it and their
 * closed disputes against it that have no review yet (docs/decisions/021-reviews-that-cannot-be-bought.md).
 */
export async function reviewGrounds(db: Db, actor: Actor, businessId: number): Promise<Ground[]> {
  if (!actor || !can(actor, { action: "review.write", businessId })) return [];
  const [row] = await db
    .select({ grounds: groundRowsJson(actor.userId, businessId) })
    .from(businesses)
    .where(eq(businesses.id, businessId));
  return groundsOf(row?.grounds ?? null);
}

/**
 * A shopper reviews a business: 1–5 with a short text and up to 3 photos, once per picked-up
 * order of theirs from it, or once per closed dispute they filed against it. Nobody of the
 * business reviews it. Every refusal comes before anything is written (photos included).
 */
export async function writeReview(
  db: Db,
  actor: Actor,
  businessId: number,
  input: ReviewInput,
  photos: Uint8Array[],
  now: Date,
) {
  assertCan(actor, { action: "account.use" });
  const business = await foundOr404(
    db.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, businessId)),
  );
  if (!can(actor, { action: "review.write", businessId }) || (await isOfBusiness(db, actor.userId, businessId)))
    throw new DomainError("reviews.errors.ownBusiness", 403);
  if (input.orderId !== null) {
    const [order] = await db.select().from(orders).where(eq(orders.id, input.orderId));
    if (!order || order.userId !== actor.userId || order.businessId !== businessId || order.status !== "picked_up")
      throw new DomainError("reviews.errors.notEarned", 403);
  } else if (input.disputeId !== null) {
    const [dispute] = await db.select().from(disputes).where(eq(disputes.id, input.disputeId));
    if (
      !dispute ||
      dispute.filerId !== actor.userId ||
      dispute.respondentBusinessId !== businessId ||
      dispute.status !== "closed"
    )
      throw new DomainError("reviews.errors.notEarned", 403);
  } else throw new DomainError("reviews.errors.notEarned", 403);
  const [existing] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(input.orderId !== null ? eq(reviews.orderId, input.orderId) : eq(reviews.disputeId, input.disputeId!));
  if (existing) throw new DomainError("reviews.errors.alreadyReviewed", 409);
  if (photos.length > REVIEW_LIMITS.photosMax) throw new DomainError("reviews.errors.tooManyPhotos", 400, "photos");
  const processed: ProcessedPhoto[] = [];
  for (const bytes of photos) processed.push(await processPhoto(bytes, "photos"));
  const names = processed.map((p) => `${businessId}-${p.hash}-640.webp`);
  const review = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(reviews)
      .values({
        businessId,
        authorId: actor.userId,
        orderId: input.orderId,
        disputeId: input.disputeId,
        rating: input.rating,
        body: input.body,
        photos: names,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    const row = inserted[0];
    // Two tabs sending the same order's review at once: the unique key lets one through.
    if (!row) throw new DomainError("reviews.errors.alreadyReviewed", 409);
    await tx
      .update(businesses)
      .set({
        ratingCount: sql`${businesses.ratingCount} + 1`,
        ratingSum: sql`${businesses.ratingSum} + ${input.rating}`,
      })
      .where(eq(businesses.id, businessId));
    await recordAudit(tx, actor, "review.written", row.id, {
      after: { businessId, rating: input.rating, orderId: input.orderId, disputeId: input.disputeId },
    });
    // The business hears of it, so that it can answer (replyToReview).
    await notifyBusiness(tx, businessId, {
      kind: "reviews.written",
      params: { business: business.name, rating: input.rating },
      link: `/shops/${businessId}#reviews`,
    });
    return row;
  });
  for (const p of processed) await storePhoto(reviewPhotoFolder(), `${businessId}-`, p);
  return review;
}

/** The business answers a review once, publicly: its owner or staff, nobody else. */
export async function replyToReview(db: Db, actor: Actor, input: { reviewId: number; body: string }, now: Date) {
  assertCan(actor, { action: "account.use" });
  const review = await foundOr404(db.select().from(reviews).where(eq(reviews.id, input.reviewId)));
  if (
    !can(actor, { action: "review.reply", businessId: review.businessId }) ||
    !(await isOfBusiness(db, actor.userId, review.businessId))
  )
    throw new DomainError("reviews.errors.notOfBusiness", 403);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(reviews)
      .set({ replyBody: input.body, replyAuthorId: actor.userId, repliedAt: now })
      .where(and(eq(reviews.id, input.reviewId), isNull(reviews.repliedAt)))
      .returning({ id: reviews.id });
    if (updated.length === 0) throw new DomainError("reviews.errors.alreadyReplied", 409);
    await recordAudit(tx, actor, "review.replied", input.reviewId, { after: { body: input.body } });
    await notify(tx, review.authorId, {
      kind: "reviews.replied",
      params: { business: (await businessName(tx, review.businessId)) ?? "" },
      link: `/shops/${review.businessId}#reviews`,
    });
  });
}

/** Anyone signed in reports a review once; it stays visible until an officer decides. */
export async function reportReview(db: Db, actor: Actor, input: { reviewId: number; reason: ReportReason }, now: Date) {
  assertCan(actor, { action: "review.report" });
  const [review] = await db.select().from(reviews).where(eq(reviews.id, input.reviewId));
  if (!review || review.hiddenAt) throw notFound();
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(reviewReports)
      .values({ reviewId: input.reviewId, reporterId: actor.userId, reason: input.reason, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: reviewReports.id });
    if (inserted.length === 0) throw new DomainError("reviews.errors.alreadyReported", 409);
    await recordAudit(tx, actor, "review.reported", input.reviewId, { after: { reason: input.reason } });
  });
}

/** Whether this person may not judge this review: its author, or one of the reviewed business. */
async function conflictedOver(db: Db, userId: string, review: { authorId: string; businessId: number }) {
  return review.authorId === userId || (await isOfBusiness(db, userId, review.businessId));
}

/**
 * An officer (or staff) decides a reported review: keep it, or hide it with a reason; its open
 * reports are resolved. A hidden review leaves the business's average and count; nobody decides
 * a review they wrote or one about a business they own or work for.
 */
export async function decideReview(
  db: Db,
  actor: Actor,
  input: { reviewId: number; decision: "keep" | "hide"; reason: string },
  now: Date,
) {
  assertCan(actor, { action: "review.moderate", conflicted: false });
  await db.transaction(async (tx) => {
    const review = await foundOr404(tx.select().from(reviews).where(eq(reviews.id, input.reviewId)).for("update"));
    assertCan(actor, { action: "review.moderate", conflicted: await conflictedOver(tx, actor.userId, review) });
    const resolved = await tx
      .update(reviewReports)
      .set({ resolvedAt: now })
      .where(and(eq(reviewReports.reviewId, review.id), isNull(reviewReports.resolvedAt)))
      .returning({ id: reviewReports.id });
    if (resolved.length === 0) throw new DomainError("reviews.errors.nothingToDecide", 409);
    if (input.decision === "hide" && !review.hiddenAt) {
      await tx.update(reviews).set({ hiddenAt: now, hiddenReason: input.reason }).where(eq(reviews.id, review.id));
      await tx
        .update(businesses)
        .set({
          ratingCount: sql`${businesses.ratingCount} - 1`,
          ratingSum: sql`${businesses.ratingSum} - ${review.rating}`,
        })
        .where(eq(businesses.id, review.businessId));
    }
    await recordAudit(tx, actor, input.decision === "hide" ? "review.hidden" : "review.kept", review.id, {
      before: { hidden: review.hiddenAt !== null },
      after: { reason: input.reason, reports: resolved.length },
    });
    // Its author learns that it was hidden and why, as a post's author does (alliance.postHidden).
    if (input.decision === "hide" && !review.hiddenAt)
      await notify(tx, review.authorId, {
        kind: "reviews.hidden",
        params: { business: (await businessName(tx, review.businessId)) ?? "", reason: input.reason },
        link: `/shops/${review.businessId}#reviews`,
      });
  });
}

/** The officers' queue: reviews with open reports, and whether this officer may decide each. */
export async function reviewReportQueue(db: Db, actor: Actor) {
  assertCan(actor, { action: "review.moderate", conflicted: false });
  const open = await db
    .select({
      reviewId: reviewReports.reviewId,
      reports: count(),
      reasons: sql<string>`string_agg(distinct ${reviewReports.reason}, ',')`,
    })
    .from(reviewReports)
    .where(isNull(reviewReports.resolvedAt))
    .groupBy(reviewReports.reviewId)
    .orderBy(desc(count()), asc(reviewReports.reviewId));
  if (open.length === 0) return [];
  const rows = await db
    .select({
      ...columnsOf(reviews, "id", "businessId", "authorId", "rating", "body", "replyBody", "createdAt"),
      businessName: businesses.name,
    })
    .from(reviews)
    .innerJoin(businesses, eq(businesses.id, reviews.businessId))
    .where(
      inArray(
        reviews.id,
        open.map((o) => o.reviewId),
      ),
    );
  const mine = new Set(
    (
      await db
        .select({ businessId: businessMembers.businessId })
        .from(businessMembers)
        .where(eq(businessMembers.userId, actor.userId))
    ).map((m) => m.businessId),
  );
  return open.flatMap((item) => {
    const review = rows.find((r) => r.id === item.reviewId);
    if (!review) return [];
    const { authorId, ...shown } = review;
    return [
      {
        ...shown,
        reports: item.reports,
        reasons: item.reasons.split(",") as ReportReason[],
        conflicted: authorId === actor.userId || mine.has(review.businessId),
      },
    ];
  });
}

/** A reviewer's name as others see it: the first character and a mask (李**). */
const maskName = (name: string) => `${[...name][0] ?? "?"}**`;

/**
 * What the shop page shows: the average and count, the visible reviews (newest first) with their
 * photos and reply, and what this viewer may do (review, with which order or dispute; reply).
 */
export async function businessReviews(db: Db, actor: Actor, businessId: number) {
  // The business's rating and what this viewer has reported and may review with, in one query;
  // each of its three shapes (nobody signed in, a viewer, a viewer who may review) built once.
  const [viewerParam, businessParam] = [sql.placeholder("userId"), sql.placeholder("businessId")];
  const withGrounds = !!actor && can(actor, { action: "review.write", businessId });
  const business = await foundOr404(
    preparedFor(
      db,
      !actor ? "businessReviews:anonymous" : withGrounds ? "businessReviews:grounds" : "businessReviews:viewer",
      () =>
        db
          .select({
            ratingCount: businesses.ratingCount,
            ratingSum: businesses.ratingSum,
            reported: actor
              ? sql<
                  number[] | string
                >`coalesce((SELECT json_agg(rr.review_id) FROM review_reports rr WHERE rr.reporter_id = ${viewerParam}), '[]'::json)`
              : sql<number[]>`'[]'::json`,
            grounds: withGrounds ? groundRowsJson(viewerParam, businessParam) : sql<null>`null`,
          })
          .from(businesses)
          .where(eq(businesses.id, businessParam)),
    ).execute({ userId: actor?.userId ?? null, businessId }),
  );
  const rows = await preparedFor(db, "businessReviews:list", () =>
    db
      .select({
        ...columnsOf(reviews, "id", "authorId", "rating", "body", "photos", "replyBody", "repliedAt", "createdAt"),
        authorName: users.displayName,
        viaDispute: sql<boolean>`${reviews.disputeId} is not null`,
      })
      .from(reviews)
      .innerJoin(users, eq(users.id, reviews.authorId))
      .where(and(eq(reviews.businessId, businessParam), isNull(reviews.hiddenAt)))
      .orderBy(desc(reviews.createdAt), desc(reviews.id))
      .limit(50),
  ).execute({ businessId });
  const reported = new Set(fromJson(business.reported));
  const mayReply = !!actor && can(actor, { action: "review.reply", businessId });
  return {
    count: business.ratingCount,
    average: ratingAverage(business.ratingCount, business.ratingSum),
    items: rows.map(({ authorId, authorName, ...r }) => ({
      ...r,
      viaDispute: Boolean(r.viaDispute),
      author: authorId === actor?.userId ? authorName : maskName(authorName),
      mine: authorId === actor?.userId,
      reportedByMe: reported.has(r.id),
      mayReply: mayReply && r.replyBody === null,
    })),
    grounds: groundsOf(business.grounds),
  };
}

/** Used by the media route: a review photo's bytes, or null. Names are checked, never trusted. */
export function readReviewPhoto(name: string) {
  return readMediaPhoto(reviewPhotoFolder(), name);
}
