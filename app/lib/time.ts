import type { Locale } from "~/i18n/locales";
import { districtDate, districtMinute, OFFSET_MS } from "../../shared/district-time";

export const districtTimeZone = "Asia/Shanghai";

// Building an Intl.DateTimeFormat costs about a tenth of a millisecond; format() on a built one is
// cheap. Lists format hundreds of dates, so each formatter is built once.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A date and time as people in the district read it (Asia/Shanghai). */
export function formatDateTime(value: Date | string, locale: Locale): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: districtTimeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    dateTimeFormats.set(locale, format);
  }
  return format.format(new Date(value));
}

// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so its clock and calendar day
// are the arithmetic of shared/district-time.ts that the studio's rules use. The Intl formatters
// these used to ask cost a few microseconds a call, on every listed business of every search
// (docs/decisions/055).
export { districtDate };

/** Minutes after midnight in Asia/Shanghai for an instant. */
export function districtMinuteOfDay(at: Date): number {
  const minute = districtMinute(at);
  if (Number.isNaN(minute)) throw new RangeError("Invalid time value");
  return minute;
}

/** The instant a calendar day (YYYY-MM-DD) begins in Asia/Shanghai (UTC+8, no daylight saving). */
export function districtDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The value of a datetime-local input for an instant, in the district's time (UTC+8, no daylight saving). */
export function districtInputValue(at: Date | string): string {
  return new Date(new Date(at).getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/** The calendar day (YYYY-MM-DD) after `day`. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The day before the instant, in Asia/Shanghai: the last day of a window that closes at `closesAt`. */
export function lastDistrictDay(closesAt: Date | string): string {
  return districtDate(new Date(new Date(closesAt).getTime() - 1));
}
