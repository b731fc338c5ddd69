import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { saveLocale } from "~/domain/accounts/accounts.server";
import { localeCookie } from "~/i18n/locale.server";
import { defaultLocale, isLocale } from "~/i18n/locales";
import { safeRedirectTarget } from "~/lib/http.server";

/** The language switch: a cookie for everyone, and the account's preference when signed in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const requested = form.get("locale");
  const locale = isLocale(requested) ? requested : defaultLocale;
  if (context.actor) await saveLocale(context.db, context.actor.userId, locale);
  return redirect(safeRedirectTarget(form.get("redirectTo")), { headers: { "Set-Cookie": localeCookie(locale) } });
}

export async function loader() {
  return redirect("/");
}
