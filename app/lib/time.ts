import type { Locale } from "~/i18n/locales";

export const districtTimeZone = "Asia/Shanghai";

// Building an Intl.DateTimeFormat costs about a tenth of a millisecond; format() on a built one is
// cheap. Lists format hundreds of dates, so each formatter is built once.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991 (districtDayStart relies on
// it too), so its clock and calendar day are plain arithmetic on the instant. The Intl formatters
// they replaced cost a few microseconds a call, on every listed business of every search.
const districtOffsetMs = 8 * 3_600_000;
const dayMs = 86_400_000;

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

/** Minutes after midnight in Asia/Shanghai for an instant. */
export function districtMinuteOfDay(at: Date): number {
  const ms = at.getTime() + districtOffsetMs;
  if (Number.isNaN(ms)) throw new RangeError("Invalid time value");
  return Math.floor((((ms % dayMs) + dayMs) % dayMs) / 60_000);
}

/** The calendar date in Asia/Shanghai, as YYYY-MM-DD (for file names). */
export function districtDate(at: Date): string {
  return new Date(at.getTime() + districtOffsetMs).toISOString().slice(0, 10);
}

/** The instant a calendar day (YYYY-MM-DD) begins in Asia/Shanghai (UTC+8, no daylight saving). */
export function districtDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The value of a datetime-local input for an instant, in the district's time (UTC+8, no daylight saving). */
export function districtInputValue(at: Date | string): string {
  return new Date(new Date(at).getTime() + districtOffsetMs).toISOString().slice(0, 16);
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
