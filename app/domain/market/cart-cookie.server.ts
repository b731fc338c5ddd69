import type { AppLoadContext } from "@remix-run/node";
import { accountCartLines, parseCookieCart, serializeCookieCart, type CookieLine } from "./cart.server";

const COOKIE = "xq_cart";

/** The visitor's cart cookie, parsed and checked (never trusted: prices always come from the database). */
export function cookieCartLines(request: Request): CookieLine[] {
  const header = request.headers.get("cookie") ?? "";
  const raw = header
    .split(";")
    .map((p) => p.trim())
    .find((p) => p.startsWith(`${COOKIE}=`));
  return parseCookieCart(raw?.slice(COOKIE.length + 1));
}

export function cartCookie(lines: CookieLine[], context: AppLoadContext): string {
  const secure = context.env.cookieSecure ? "; Secure" : "";
  if (lines.length === 0) return `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
  return `${COOKIE}=${serializeCookieCart(lines)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${30 * 24 * 3600}${secure}`;
}

/** The cart of whoever asks: the account's when signed in, else the cookie's. */
export async function currentCartLines(context: AppLoadContext, request: Request): Promise<CookieLine[]> {
  return context.actor ? accountCartLines(context.db, context.actor.userId) : cookieCartLines(request);
}

/** How many items the cart of whoever asks holds (the header's and the tab bar's badge). */
export async function cartItemCount(context: AppLoadContext, request: Request): Promise<number> {
  const lines = await currentCartLines(context, request);
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}
