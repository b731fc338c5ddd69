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
