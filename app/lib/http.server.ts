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

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeRedirectTarget(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  return target;
}
