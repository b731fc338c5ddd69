import type { SubmissionResult } from "@conform-to/react";
import { data } from "@remix-run/node";
import { isDomainError } from "~/lib/errors";

type Reply = {
  reply(options?: {
    formErrors?: string[];
    fieldErrors?: Record<string, string[]>;
    resetForm?: boolean;
  }): SubmissionResult<string[]>;
};

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
