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
