import { z } from "zod";

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "directory.errors.invalidTime" })
  .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3)));

/** A mainland mobile (11 digits from 13..19) or a landline with its area code, digits only. */
export const phoneOrLandline = /^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$/;

/** What an owner may change on the shop page. Phone: a mainland mobile or a landline. */
export const businessProfileSchema = z
  .object({
    description: z
      .string({ error: "errors.required" })
      .trim()
      .max(500, { error: "directory.errors.descriptionTooLong" })
      .default(""),
    phone: z
      .string()
      .trim()
      .transform((v) => v.replace(/[\s\-－()（）]/g, ""))
      .pipe(z.string().regex(phoneOrLandline, { error: "directory.errors.phoneOrLandlineInvalid" }))
      .optional(),
    phonePublic: z.literal("on").optional(),
    dayOpensAt: hhmm.optional(),
    dayClosesAt: hhmm.optional(),
    nightOpensAt: hhmm.optional(),
    nightClosesAt: hhmm.optional(),
  })
  .superRefine((v, ctx) => {
    for (const [opens, closes] of [
      ["dayOpensAt", "dayClosesAt"],
      ["nightOpensAt", "nightClosesAt"],
    ] as const) {
      if ((v[opens] === undefined) !== (v[closes] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [v[opens] === undefined ? opens : closes],
          message: "directory.errors.hoursIncomplete",
        });
      }
    }
    if (v.dayOpensAt === undefined && v.nightOpensAt === undefined) {
      ctx.addIssue({ code: "custom", path: ["dayOpensAt"], message: "directory.errors.hoursMissing" });
    }
  });

export type BusinessProfileInput = z.infer<typeof businessProfileSchema>;
