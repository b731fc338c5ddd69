import { z } from "zod";
import { disputeCategories, disputeOutcomes } from "../../../db/schema/enums";
import { DISPUTE_LIMITS } from "./rules";

/** Message keys, not sentences (see accounts/schemas.ts). */
export const requiredText = (max: number, tooLong = "desk.errors.tooLong") =>
  z
    .string({ error: "errors.required" })
    .trim()
    .min(1, { error: "errors.required", abort: true })
    .max(max, { error: tooLong });

/** An optional id field of a form: left empty, it is absent. */
export const optionalId = z.preprocess(
  (v) => (v === "" || v == null ? undefined : v),
  z.coerce
    .number({ error: "errors.invalid" })
    .int()
    .positive()
    .max(2147483647, { error: "security.idInvalid" })
    .optional(),
);

export const disputeSchema = z
  .object({
    category: z.enum(disputeCategories, { error: "errors.required" }),
    respondentBusinessId: optionalId,
    respondentPhone: z.preprocess(
      (v) => (v === "" || v == null ? undefined : v),
      z
        .string()
        .trim()
        .regex(/^1\d{10}$/, { error: "errors.phoneInvalid" })
        .optional(),
    ),
    microGridId: optionalId,
    description: requiredText(DISPUTE_LIMITS.descriptionMax),
  })
  .refine((v) => (v.respondentBusinessId === undefined) !== (v.respondentPhone === undefined), {
    error: "desk.errors.onePartyRequired",
    path: ["respondentPhone"],
  });
export type DisputeInput = z.infer<typeof disputeSchema>;

export const disputeNoteSchema = z.object({
  kind: z.enum(["note", "meeting", "proposal"], { error: "errors.invalid" }),
  body: requiredText(DISPUTE_LIMITS.noteMax),
});
export const agreementSchema = z.object({ text: requiredText(DISPUTE_LIMITS.agreementMax) });
export const closeSchema = z.object({
  outcome: z.enum(disputeOutcomes, { error: "errors.required" }),
  note: z.string().trim().max(DISPUTE_LIMITS.noteMax).default(""),
});
export const withdrawSchema = z.object({
  reason: z.string().trim().max(DISPUTE_LIMITS.noteMax, { error: "desk.errors.tooLong" }).default(""),
});
export const satisfactionSchema = z.object({
  score: z.coerce
    .number({ error: "errors.required" })
    .int({ error: "errors.invalid" })
    .min(1, { error: "errors.invalid" })
    .max(5, { error: "errors.invalid" }),
  comment: z.string().trim().max(DISPUTE_LIMITS.commentMax, { error: "desk.errors.tooLong" }).default(""),
});
