/**
 * The studio's clock rules, without database imports, so forms in the browser share them.
 * The district is on China Standard Time (UTC+8, no daylight saving).
 */
import { districtDate, districtInstant, districtMinute, OFFSET_MS } from "../../../shared/district-time";

export const SLOT_STEP_MINUTES = 30;
export const MIN_SLOT_MINUTES = 30;
export const MAX_SLOT_MINUTES = 180;
/** An encoder may connect this long before its slot starts (to check the picture). */
export const PUBLISH_LEAD_MINUTES = 10;
/** A stream still running this long after its slot ends is cut off. */
export const CUTOFF_GRACE_MINUTES = 5;
/** A merchant may cancel their own booking up to this long before it starts. */
export const CANCEL_NOTICE_MINUTES = 60;
export const DEFAULT_WEEKLY_MINUTES = 6 * 60;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export { districtDate, districtInstant, districtMinute };

/** "HH:MM" → minutes after midnight; NaN when malformed. */
export function parseClock(value: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return Number.NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 && Number(m[2]) < 60 ? minutes : Number.NaN;
}

export function formatClock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

/** Monday 00:00 in the district of the week holding the instant. */
export function weekStartOf(at: Date): Date {
  const local = new Date(at.getTime() + OFFSET_MS);
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  return districtInstant(districtDate(new Date(at.getTime() - daysSinceMonday * DAY)), 0);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * MINUTE);
}

/** The start of the 30-minute step holding the instant: the earliest start one may still book. */
export function currentStep(at: Date): Date {
  const step = SLOT_STEP_MINUTES * MINUTE;
  return new Date(Math.floor(at.getTime() / step) * step);
}

/** "00:00", "00:30", ... "24:00": the clock times a slot may start or end at. */
export function stepClocks(opensAt = 0, closesAt = 24 * 60): string[] {
  const clocks: string[] = [];
  for (let m = opensAt; m <= closesAt; m += SLOT_STEP_MINUTES) clocks.push(formatClock(m));
  return clocks;
}

export type StreamState = "upcoming" | "live" | "ended" | "cancelled";

export function streamState(
  booking: {
    status: string;
    endsAt: Date | string;
    liveSince: Date | string | null;
    liveEndedAt: Date | string | null;
  },
  now: Date,
): StreamState {
  if (booking.status === "cancelled") return "cancelled";
  const cutOff = addMinutes(new Date(booking.endsAt), CUTOFF_GRACE_MINUTES + 1);
  if (booking.liveSince && !booking.liveEndedAt && now < cutOff) return "live";
  if (booking.liveEndedAt || new Date(booking.endsAt).getTime() <= now.getTime()) return "ended";
  return "upcoming";
}
