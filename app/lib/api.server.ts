import type { AppLoadContext } from "@remix-run/node";
import { createI18n } from "~/i18n/i18n";
import { localeCookieName, type Locale } from "~/i18n/locales";

/** Open-data responses: JSON, readable from any origin, briefly cacheable. */
export function apiJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": status === 200 ? "public, max-age=30" : "no-store",
    },
  });
}

/**
 * An answer with a validator (`etag`): any cache may keep it but must ask again before each use
 * (`no-cache`), and asking again with the tag (If-None-Match) costs a 304 with no body while
 * nothing changed. `body` is only built when the tag does not match.
 */
export async function apiJsonValidated(request: Request, etag: string | undefined, body: () => Promise<unknown>) {
  const headers = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
    "Cache-Control": "public, no-cache",
    ...(etag ? { ETag: etag } : {}),
  };
  if (etag && matchesEtag(request.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers });
  return new Response(JSON.stringify(await body()), {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
  });
}

/** If-None-Match compares weakly: `W/"x"` and `"x"` match, and `*` matches anything. */
function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/** The API answers in the language the cookie or Accept-Language names (English otherwise). */
export function apiLocale(request: Request, context: AppLoadContext): Locale {
  if ((request.headers.get("cookie") ?? "").includes(`${localeCookieName}=`)) return context.locale;
  return /^zh\b/i.test(request.headers.get("accept-language") ?? "") ? "zh-CN" : "en";
}

export function apiError(
  request: Request,
  context: AppLoadContext,
  status: number,
  messageKey: string,
  parameter?: string,
) {
  const t = createI18n(apiLocale(request, context)).t;
  return apiJson({ error: { ...(parameter ? { parameter } : {}), message: t(messageKey) } }, status);
}
