import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import type { ZodType } from "zod";
import { isDomainError } from "~/lib/errors";

type Reply = {
  reply(options?: {
    formErrors?: string[];
    fieldErrors?: Record<string, string[]>;
    resetForm?: boolean;
  }): SubmissionResult<string[]>;
};

/** What `schema` makes of a plain form or query; anything it refuses answers 400 (the error page says why). */
export function parsedOr400<Value>(schema: ZodType<Value>, input: Record<string, unknown>): Value {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw data({ code: "errors.invalid" }, { status: 400 });
  return parsed.data;
}

/**
 * Turns a domain refusal into the form's own error (400/403/...), so the user reads why in their
 * language and the form keeps what they typed. Other errors are rethrown.
 */
export function replyWithRefusal(submission: Reply, error: unknown) {
  if (!isDomainError(error)) throw error;
  const refusal = error;
  const result = refusal.field
    ? submission.reply({ fieldErrors: { [refusal.field]: [refusal.code] } })
    : submission.reply({ formErrors: [refusal.code] });
  return data(result, { status: refusal.status });
}

/**
 * The action of a Conform form that goes on to another page when done: `formData` checked with
 * `schema`, the value handed to `work`, then a redirect to `to`. A field the schema refuses (400)
 * or a domain refusal (its status) comes back as the form's own error, the form keeping what was typed.
 */
export async function conformRedirectAction<Value>(
  formData: FormData,
  schema: ZodType<Value>,
  work: (value: Value) => Promise<unknown>,
  to: string,
) {
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    await work(submission.value);
  } catch (error) {
    return replyWithRefusal(submission, error);
  }
  return redirect(to);
}

/**
 * For forms with a "send code" button, whose action answers `{ result, sent }`: a domain refusal
 * as that shape, with its status.
 */
export function refusalWithSent(submission: Reply, error: unknown) {
  if (!isDomainError(error)) throw error;
  const result = error.field
    ? submission.reply({ fieldErrors: { [error.field]: [error.code] } })
    : submission.reply({ formErrors: [error.code] });
  return data({ result, sent: null }, { status: error.status });
}

/** What a "send code" form needs of the request context. */
interface CodeFormContext {
  sms: { sender: { kind: string } };
  env: { isProduction: boolean };
}

/**
 * The action of a form with a "send code" step (register, reset password, change number).
 * `intent=send-code` checks only the number (`sendSchema`) and calls `send`; anything else is
 * checked with `schema` and handed to `submit`, which redirects on success (a thrown Response).
 * Either way a refusal comes back as the form's own error, and the password is never echoed.
 */
export async function codeFormAction<Send extends { phone: string }, Value>(
  formData: FormData,
  context: CodeFormContext,
  steps: {
    sendSchema: ZodType<Send>;
    schema: ZodType<Value>;
    send: (phone: string) => Promise<unknown>;
    submit: (value: Value) => Promise<unknown>;
  },
) {
  const sending = formData.get("intent") === "send-code";
  const submission = sending
    ? parseWithZod(formData, { schema: steps.sendSchema })
    : parseWithZod(formData, { schema: steps.schema });
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
  try {
    if (sending) {
      const { phone } = submission.value as Send;
      await steps.send(phone);
      const sent = { phone, outbox: context.sms.sender.kind === "outbox" && !context.env.isProduction };
      return { result: submission.reply({ hideFields: ["password"] }), sent };
    }
    await steps.submit(submission.value as Value);
    throw new Error("a code form's submit step must redirect");
  } catch (error) {
    if (error instanceof Response) throw error;
    return refusalWithSent(submission, error);
  }
}

/**
 * The action of a Conform form that answers `{ result, ...more }`: `formData` checked with
 * `schema`, the value handed to `work`, whose answer comes back with the form cleared. A field
 * the schema refuses (400) or a domain refusal (its status) comes back as `{ result, ...failed }`,
 * the form keeping what was typed.
 */
export async function conformAction<Value, Done extends object, Failed extends object>(
  formData: FormData,
  schema: ZodType<Value>,
  failed: Failed,
  work: (value: Value) => Promise<Done>,
) {
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ result: submission.reply(), ...failed }, { status: 400 });
  try {
    const done = await work(submission.value);
    return { result: submission.reply({ resetForm: true }), ...done };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ result: refusal.data, ...failed }, { status: refusal.init?.status ?? 400 });
  }
}
