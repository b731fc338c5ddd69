import { redirect } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { isDomainError } from "~/lib/errors";

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(context: AppLoadContext, request: Request): NonNullable<AppLoadContext["actor"]> {
  if (context.actor) return context.actor;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * Runs a domain call from a loader; a refusal becomes the matching error page (403, 404, 400).
 * Anything else is a real failure and goes on to the 500 page and the log.
 */
export async function orErrorPage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDomainError(error)) throw data({ code: error.code }, { status: error.status });
    throw error;
  }
}

const redirectBase = "http://xinquan.invalid";

/**
 * Only pages of this site may be redirect targets (no open redirects). The target is resolved the
 * way a browser would resolve it against the site (browsers drop tabs and newlines and read a
 * backslash as a slash, so `/%09/evil.example` is `//evil.example`), so anything holding a
 * control character or a backslash is refused outright, and what is left must stay on the same
 * origin. The answer is the path, query and hash, percent-encoded: always a valid Location header.
 */
export function safeRedirectTarget(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(target)) return fallback;
  if (target.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(target, redirectBase);
  } catch {
    return fallback;
  }
  if (url.origin !== redirectBase) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") ? fallback : path;
}
