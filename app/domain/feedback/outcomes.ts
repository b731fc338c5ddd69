/** Where a complaint about a business ended, for its record (shared with the review page). */
export const complaintOutcomes = ["upheld", "resolved", "unfounded", "withdrawn", "open"] as const;
export type ComplaintOutcome = (typeof complaintOutcomes)[number];
