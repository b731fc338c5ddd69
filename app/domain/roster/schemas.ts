import { z } from "zod";
import { normalizePhoneInput } from "../../lib/phone";
import { requiredText } from "../disputes/schemas";
import { phoneOrLandline } from "../directory/schemas";

const cell = z.string().trim().max(200).optional().default("");

/** The add/edit form: the roster's columns as text; the domain checks them like an import row. */
export const rosterRowSchema = z.object({
  name: requiredText(100, "roster.reasons.nameTooLong"),
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

const person = z.object({
  id: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" }).optional(),
  ),
  name: z
    .string({ error: "errors.required" })
    .trim()
    .min(1, { error: "errors.required" })
    .max(30, { error: "roster.errors.nameTooLong" }),
  phone: z
    .string({ error: "errors.required" })
    .transform((v) => normalizePhoneInput(v.normalize("NFKC")))
    .pipe(z.string().regex(phoneOrLandline, { error: "directory.errors.phoneOrLandlineInvalid" })),
  /** The mobile of the account this contact uses, to link it (so a grid worker gets the micro-grid's disputes); blank: none. */
  account: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? normalizePhoneInput(v.normalize("NFKC")) : undefined),
    z
      .string()
      .regex(/^1[3-9]\d{9}$/, { error: "errors.phoneInvalid" })
      .optional(),
  ),
});

/** A micro-grid's contacts as staff edit them: one leader, any number of workers (blank rows dropped). */
export const gridContactsSchema = z.object({
  microGrid: z.string().trim().min(1),
  leader: person,
  workers: z
    .array(
      z.object({
        id: z.unknown().optional(),
        name: z.string().default(""),
        phone: z.string().default(""),
        account: z.unknown().optional(),
      }),
    )
    .default([])
    .transform((rows) => rows.filter((r) => r.name.trim() !== "" || r.phone.trim() !== ""))
    .pipe(z.array(person).max(10)),
});
export type GridContactsInput = z.infer<typeof gridContactsSchema>;
