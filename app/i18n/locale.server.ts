import { defaultLocale, isLocale, localeCookieName, type Locale } from "./locales";

/** The reader's language: the cookie set by the language switch, else Chinese. */
export function localeFromCookieHeader(cookieHeader: string | null | undefined): Locale {
  const match = (cookieHeader ?? "").match(new RegExp(`(?:^|;\\s*)${localeCookieName}=([^;]+)`));
  const value = match ? decodeURIComponent(match[1]) : undefined;
  return isLocale(value) ? value : defaultLocale;
}

export function localeCookie(locale: Locale): string {
  return `${localeCookieName}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
