import { data } from "@remix-run/node";
import type { z } from "zod";
import { isDomainError } from "~/lib/errors";

/**
 * For plain (non-Conform) forms: runs the domain call; a refusal comes back as `{ error }` with its
 * status, so the page shows why in the reader's language. Anything else is rethrown.
 */
export async function attempt<T>(work: () => Promise<T>) {
  try {
    const value = await work();
    return { ok: true as const, value, error: null };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ ok: false as const, value: null, error: error.code }, { status: error.status });
  }
}

/** A malformed plain form: a 400 with the generic message key. */
export const invalidForm = (code = "errors.invalid") =>
  data({ ok: false as const, value: null, error: code }, { status: 400 });

/**
 * A plain form's fields checked by `schema`, then the domain call with what it parsed. A field it
 * refuses answers 400 with that field's message key (the generic one when it has none).
 */
export function attemptParsed<Input, Value>(
  form: Record<string, unknown>,
  schema: z.ZodType<Input>,
  work: (input: Input) => Promise<Value>,
) {
  const parsed = schema.safeParse(form);
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  return attempt(() => work(parsed.data));
}
