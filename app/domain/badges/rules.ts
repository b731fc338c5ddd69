/** The issuing body printed on every plaque and shown on its verify page (shared/plaques.ts). */
export { PLAQUE_ISSUER } from "../../../shared/plaques";

/** Limits of the selection's free texts (characters). */
export const PLAQUE_LIMITS = {
  criteriaMax: 2000,
  reasonMax: 500,
  commentMax: 1000,
  revokeReasonMax: 500,
} as const;

/** Where a round stands at an instant: before nominations, nominating, reviewing, or closed. */
export type RoundPhase = "upcoming" | "nominating" | "reviewing" | "closed";

export interface RoundWindows {
  nominationOpensAt: Date;
  nominationClosesAt: Date;
  reviewOpensAt: Date;
  reviewClosesAt: Date;
}

export const nominationOpen = (r: RoundWindows, now: Date) => r.nominationOpensAt <= now && now < r.nominationClosesAt;
export const reviewOpen = (r: RoundWindows, now: Date) => r.reviewOpensAt <= now && now < r.reviewClosesAt;

/** Nominating wins where the windows overlap: the round still takes nominations. */
export function roundPhase(r: RoundWindows, now: Date): RoundPhase {
  if (now < r.nominationOpensAt) return "upcoming";
  if (nominationOpen(r, now)) return "nominating";
  if (now < r.reviewClosesAt) return "reviewing";
  return "closed";
}
