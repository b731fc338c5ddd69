import { z } from "zod";
import { plaqueKinds } from "../../../db/schema/enums";
import { requiredText } from "../disputes/schemas";
import { PLAQUE_LIMITS } from "./rules";

const day = z.string({ error: "errors.required" }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: "plaques.errors.badDate" });
const tooLong = "plaques.errors.tooLong";

/**
 * Opening a round: the windows are whole days in Asia/Shanghai, first and last day included.
 * Reviewing may start while nominations still come in, but not before they open, and it ends
 * no earlier than they do.
 */
export const roundSchema = z
  .object({
    kind: z.enum(plaqueKinds, { error: "errors.required" }),
    year: z
      .string({ error: "errors.required" })
      .trim()
      .regex(/^20\d\d$/, { error: "errors.invalid" })
      .transform(Number),
    criteria: requiredText(PLAQUE_LIMITS.criteriaMax, tooLong),
    nominationFrom: day,
    nominationTo: day,
    reviewFrom: day,
    reviewTo: day,
  })
  .refine((v) => v.nominationFrom <= v.nominationTo, { error: "plaques.errors.windowOrder", path: ["nominationTo"] })
  .refine((v) => v.reviewFrom <= v.reviewTo, { error: "plaques.errors.windowOrder", path: ["reviewTo"] })
  .refine((v) => v.reviewFrom >= v.nominationFrom, {
    error: "plaques.errors.reviewBeforeNomination",
    path: ["reviewFrom"],
  })
  .refine((v) => v.reviewTo >= v.nominationTo, { error: "plaques.errors.reviewEndsEarly", path: ["reviewTo"] });
export type RoundForm = z.infer<typeof roundSchema>;

export const nominationSchema = z.object({
  businessCode: requiredText(20, "errors.businessUnknown"),
  reason: requiredText(PLAQUE_LIMITS.reasonMax, tooLong),
});

export const decisionSchema = z.object({
  decision: z.enum(["award", "decline"], { error: "errors.required" }),
  comment: requiredText(PLAQUE_LIMITS.commentMax, tooLong),
});

export const revokeSchema = z.object({
  reason: requiredText(PLAQUE_LIMITS.revokeReasonMax, tooLong),
});
