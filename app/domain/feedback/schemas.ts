import { z } from "zod";
import { disputeCategories, feedbackKinds, feedbackSources } from "../../../db/schema/enums";
import { optionalId, requiredText } from "../disputes/schemas";
import { FEEDBACK_LIMITS } from "../disputes/rules";

/** The feedback form on a shop page, a verify page and the board (the live chat feeds it later). */
export const feedbackSchema = z.object({
  source: z.enum(feedbackSources, { error: "errors.invalid" }).default("board"),
  kind: z.enum(feedbackKinds, { error: "errors.required" }),
  businessId: optionalId,
  body: requiredText(FEEDBACK_LIMITS.bodyMax),
  hideName: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
  returnTo: z.string().optional(),
});

export const replySchema = z.object({ reply: requiredText(FEEDBACK_LIMITS.replyMax) });
export const toDisputeSchema = z.object({ category: z.enum(disputeCategories, { error: "errors.required" }) });

/** 投诉这家店: the complaint's text and whether to hide the name (photos come as files). */
export const complaintSchema = z.object({
  body: requiredText(FEEDBACK_LIMITS.bodyMax),
  hideName: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
  from: z.enum(["shop_page", "plaque"]).catch("shop_page"),
});
