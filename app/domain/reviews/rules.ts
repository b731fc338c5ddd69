import { z } from "zod";
import { reportReasons } from "../../../db/schema/enums";

/** The limits of a review and of the merchant's reply (docs/decisions/021-reviews-that-cannot-be-bought.md). */
export const REVIEW_LIMITS = { bodyMin: 2, bodyMax: 500, replyMax: 500, photosMax: 3 } as const;

/** A review as the form sends it: earned by one order or one closed dispute. */
export const reviewSchema = z
  .object({
    rating: z.coerce
      .number({ error: "reviews.errors.rating" })
      .int({ error: "reviews.errors.rating" })
      .min(1, { error: "reviews.errors.rating" })
      .max(5, { error: "reviews.errors.rating" }),
    body: z
      .string({ error: "reviews.errors.bodyLength" })
      .trim()
      .min(REVIEW_LIMITS.bodyMin, { error: "reviews.errors.bodyLength" })
      .max(REVIEW_LIMITS.bodyMax, { error: "reviews.errors.bodyLength" }),
    ground: z.string().regex(/^(order|dispute)-\d{1,9}$/, { error: "reviews.errors.ground" }),
  })
  .transform(({ ground, ...rest }) => {
    const [kind, id] = ground.split("-");
    return {
      ...rest,
      orderId: kind === "order" ? Number(id) : null,
      disputeId: kind === "dispute" ? Number(id) : null,
    };
  });
export type ReviewInput = z.infer<typeof reviewSchema>;

export const replySchema = z.object({
  reviewId: z.coerce.number({ error: "errors.notFound" }).int().positive(),
  body: z
    .string({ error: "reviews.errors.replyLength" })
    .trim()
    .min(1, { error: "reviews.errors.replyLength" })
    .max(REVIEW_LIMITS.replyMax, { error: "reviews.errors.replyLength" }),
});

export const reportSchema = z.object({
  reviewId: z.coerce.number({ error: "errors.notFound" }).int().positive(),
  reason: z.enum(reportReasons, { error: "reviews.errors.reason" }),
});

export const decisionSchema = z.object({
  reviewId: z.coerce.number({ error: "errors.notFound" }).int().positive(),
  decision: z.enum(["keep", "hide"], { error: "reviews.errors.decision" }),
  reason: z
    .string({ error: "reviews.errors.decisionReason" })
    .trim()
    .min(2, { error: "reviews.errors.decisionReason" })
    .max(300, { error: "reviews.errors.decisionReason" }),
});

/** The average shown beside the count: one decimal, null when nobody has reviewed. */
export const ratingAverage = (count: number, sum: number) => (count > 0 ? Math.round((sum / count) * 10) / 10 : null);
