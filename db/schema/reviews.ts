import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, smallint, text, unique } from "drizzle-orm/pg-core";
import { userRef } from "./references";
import { at, intRef, serialId } from "./columns";
import { disputes } from "./desk";
import { businesses } from "./directory";
import { reportReasons } from "./enums";
import { orders } from "./market";

/**
 * A shopper's review (点评) of a business, earned by an order that was picked up or a dispute
 * with the business that was closed: one review per order and one per dispute
 * (docs/decisions/021-reviews-that-cannot-be-bought.md). The business may reply once, publicly.
 * `photos` are the stored names of the 640-wide variant of each photo (at most 3).
 */
export const reviews = pgTable(
  "reviews",
  {
    id: serialId(),
    businessId: intRef("business_id", () => businesses.id),
    authorId: userRef("author_id").notNull(),
    orderId: integer("order_id").references(() => orders.id),
    disputeId: integer("dispute_id").references(() => disputes.id),
    rating: smallint("rating").notNull(),
    body: text("body").notNull(),
    photos: jsonb("photos").$type<string[]>().notNull().default([]),
    replyBody: text("reply_body"),
    replyAuthorId: userRef("reply_author_id"),
    repliedAt: at("replied_at"),
    /** Set when an officer upholds a report; a hidden review leaves the average and the count. */
    hiddenAt: at("hidden_at"),
    hiddenReason: text("hidden_reason"),
    createdAt: at("created_at").notNull(),
  },
  (t) => [
    unique("reviews_once_per_order").on(t.orderId),
    unique("reviews_once_per_dispute").on(t.disputeId),
    index("reviews_business_idx").on(t.businessId, t.createdAt),
    check("reviews_rating_range", sql`${t.rating} between 1 and 5`),
    check("reviews_one_ground", sql`(${t.orderId} is null) <> (${t.disputeId} is null)`),
  ],
);

/** One report per reporter per review; open (unresolved) reports put it in the officers' queue. */
export const reviewReports = pgTable(
  "review_reports",
  {
    id: serialId(),
    reviewId: intRef("review_id", () => reviews.id),
    reporterId: userRef("reporter_id").notNull(),
    reason: text("reason", { enum: reportReasons }).notNull(),
    createdAt: at("created_at").notNull(),
    resolvedAt: at("resolved_at"),
  },
  (t) => [
    unique("review_reports_once").on(t.reviewId, t.reporterId),
    index("review_reports_open_idx").on(t.reviewId, t.resolvedAt),
  ],
);
