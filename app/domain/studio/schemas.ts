import { z } from "zod";

const clock = z.string({ error: "errors.required" }).regex(/^\d{2}:\d{2}$/, "studio.errors.step");
const date = z.string({ error: "errors.required" }).regex(/^\d{4}-\d{2}-\d{2}$/, "errors.invalid");

/** The booking form. Times are district clock times on one date; the domain checks the rest. */
export const bookingSchema = z.object({
  businessId: z.coerce
    .number({ error: "errors.required" })
    .int()
    .positive()
    .max(2147483647, { error: "security.idInvalid" }),
  studio: z.string({ error: "errors.required" }).min(1, "errors.required"),
  date,
  start: clock,
  end: clock,
  title: z.string({ error: "errors.required" }).trim().min(2, "studio.errors.title").max(60, "studio.errors.title"),
  description: z.string().max(1000).optional().default(""),
});

/** An officer moves a booking: another date, times, maybe another studio, and a reason. */
export const moveSchema = z.object({
  studio: z.string({ error: "errors.required" }).min(1, "errors.required"),
  date,
  start: clock,
  end: clock,
  reason: z.string({ error: "studio.errors.reasonRequired" }).trim().min(2, "studio.errors.reasonRequired").max(500),
});

export const quotaSchema = z.object({
  businessCode: z.string({ error: "errors.required" }).trim().min(1, "errors.required"),
  hours: z
    .string({ error: "studio.errors.quotaHours" })
    .trim()
    .regex(/^\d{1,3}(\.[05])?$/, "studio.errors.quotaHours"),
});
