import type { DisputeLevel } from "../../../db/schema/enums";

/** Days a dispute stays at each level before it moves up by itself (grid 3, alliance 7, community 15). */
export const LEVEL_DAYS: Record<DisputeLevel, number> = { grid: 3, alliance: 7, community: 15 };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The level above, or null at the community (nothing is passed up from there). */
export function nextLevel(level: DisputeLevel): DisputeLevel | null {
  return level === "grid" ? "alliance" : level === "alliance" ? "community" : null;
}

export function dueAtFor(level: DisputeLevel, startedAt: Date): Date {
  return new Date(startedAt.getTime() + LEVEL_DAYS[level] * DAY_MS);
}

/** Whole and fractional days between two instants. */
export const daysBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY_MS;

/** The median of a list of numbers (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const DISPUTE_LIMITS = {
  descriptionMax: 4000,
  noteMax: 4000,
  agreementMax: 4000,
  commentMax: 1000,
  photosMax: 4,
} as const;
export const FEEDBACK_LIMITS = { bodyMax: 2000, replyMax: 2000 } as const;
