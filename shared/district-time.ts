/**
 * The district's calendar: China Standard Time (UTC+8, no daylight saving). Plain arithmetic with
 * no imports, shared by the studio's rules (app/domain/studio/slots.ts) and the demo seed.
 */
export const OFFSET_MS = 8 * 60 * 60 * 1000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The instant of a district date ("2026-01-18") and minute of that day (may be 1440). */
export function districtInstant(date: string, minuteOfDay: number): Date {
  const midnight = Date.parse(`${date}T00:00:00Z`) - OFFSET_MS;
  return new Date(midnight + minuteOfDay * MINUTE);
}

/** The district date of an instant, "YYYY-MM-DD". */
export function districtDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes after the district midnight that begins the instant's day. */
export function districtMinute(at: Date): number {
  return Math.floor(((((at.getTime() + OFFSET_MS) % DAY) + DAY) % DAY) / MINUTE);
}
