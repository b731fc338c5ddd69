import type { Locale } from "~/i18n/locales";

export const districtTimeZone = "Asia/Shanghai";

/** A date and time as people in the district read it (Asia/Shanghai). */
export function formatDateTime(value: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: districtTimeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(value));
}

/** Minutes after midnight in Asia/Shanghai for an instant. */
export function districtMinuteOfDay(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: districtTimeZone,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0) % 24;
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

/** The calendar date in Asia/Shanghai, as YYYY-MM-DD (for file names). */
export function districtDate(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: districtTimeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}
