import { z } from "zod";

const cell = z.string().trim().max(200).optional().default("");

/** The add/edit form: the roster's columns as text; the domain checks them like an import row. */
export const rosterRowSchema = z.object({
  name: z.string({ error: "errors.required" }).trim().min(1, { error: "errors.required" }).max(100, { error: "roster.reasons.nameTooLong" }),
  kind: z.enum(["门店", "摊位"], { error: "roster.reasons.kindInvalid" }),
  category: z.string({ error: "errors.required" }).trim().min(1, { error: "errors.required" }),
  street: cell,
  number: cell,
  stall: cell,
  microGrid: cell,
  ownerName: cell,
  phone: cell,
  hours: cell,
  night: z.enum(["是", "否"]).optional().default("否"),
});
export type RosterRowInput = z.infer<typeof rosterRowSchema>;
