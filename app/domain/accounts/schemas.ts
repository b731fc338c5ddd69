import { z } from "zod";
import { isMainlandMobile, normalizePhoneInput } from "../../lib/phone";
import { roleNames } from "../../../db/schema/enums";

/** Message keys, not sentences: the UI translates them into the reader's language. */
export const mobilePhone = z
  .string({ error: "errors.required" })
  .transform(normalizePhoneInput)
  .pipe(
    z
      .string()
      .min(1, { error: "errors.required", abort: true })
      .refine(isMainlandMobile, { error: "errors.phoneInvalid" }),
  );

export const password = z
  .string({ error: "errors.required" })
  .min(1, { error: "errors.required", abort: true })
  .min(8, { error: "errors.passwordTooShort" })
  .max(128, { error: "errors.passwordTooLong" });

export const registerSchema = z.object({
  phone: mobilePhone,
  displayName: z
    .string({ error: "errors.required" })
    .trim()
    .min(1, { error: "errors.required", abort: true })
    .max(30, { error: "errors.displayNameTooLong" }),
  password,
});
export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  phone: mobilePhone,
  password: z
    .string({ error: "errors.required" })
    .min(1, { error: "errors.required", abort: true })
    .max(128, { error: "errors.passwordTooLong" }),
  redirectTo: z.string().optional(),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const claimSchema = z.object({
  code: z
    .string({ error: "errors.required" })
    .trim()
    .min(1, { error: "errors.required", abort: true })
    .max(40, { error: "errors.claimCodeUnknown" }),
});

export const businessCodeSchema = z.object({
  businessCode: z
    .string({ error: "errors.required" })
    .trim()
    .toUpperCase()
    .min(1, { error: "errors.required", abort: true })
    .max(20, { error: "errors.businessUnknown" }),
});

export const roleChangeSchema = z.object({
  phone: mobilePhone,
  role: z.enum(roleNames, { error: "errors.roleUnknown" }),
});

/** A 6-digit SMS code; spaces people type between the digits are dropped. */
export const smsCode = z
  .string({ error: "errors.required" })
  .transform((v) => v.replace(/\s/g, ""))
  .pipe(
    z
      .string()
      .min(1, { error: "errors.required", abort: true })
      .regex(/^\d{6}$/, { error: "security.errors.codeInvalid" }),
  );

/** The "send code" button of a form: only the number is needed. */
export const sendCodeSchema = z.object({ intent: z.literal("send-code"), phone: mobilePhone });

export const registerWithCodeSchema = registerSchema.extend({ code: smsCode });
export type RegisterWithCodeInput = z.infer<typeof registerWithCodeSchema>;

export const resetPasswordSchema = z.object({ phone: mobilePhone, code: smsCode, password });

export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ error: "errors.required" })
    .min(1, { error: "errors.required", abort: true })
    .max(128, { error: "errors.passwordTooLong" }),
  password,
});

export const changePhoneSchema = z.object({
  phone: mobilePhone,
  code: smsCode,
  password: z
    .string({ error: "errors.required" })
    .min(1, { error: "errors.required", abort: true })
    .max(128, { error: "errors.passwordTooLong" }),
});

/** Picks the schema a two-button form was submitted with ("send code" or the form's own). */
export function schemaForIntent<T extends z.ZodType>(formData: FormData, main: T): T | typeof sendCodeSchema {
  return formData.get("intent") === "send-code" ? sendCodeSchema : main;
}
