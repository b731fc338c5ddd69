import { data } from "@remix-run/node";
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
