/**
 * The trust record's summary standing (诚信档案: 良好 / 需关注), docs/decisions/020-trust-record.md.
 * Browser-safe: the page shows the same rules it was computed with.
 *
 * A shop "needs attention" when, over the 12 months of the record, any one of these holds:
 * - a plaque of it was revoked (摘牌);
 * - UPHELD_LIMIT or more complaints were upheld (unfounded, withdrawn, resolved by agreement and
 *   open complaints never count);
 * - a complaint the desk sent it has waited more than OVERDUE_DAYS days for its answer.
 * Otherwise it is "good". Nothing is weighted or scored: each rule is a count shown beside it.
 */
export const UPHELD_LIMIT = 3;
export const OVERDUE_DAYS = 14;

export type Standing = "good" | "attention";
export type StandingRule = "revoked" | "upheld" | "overdue";

export interface StandingFacts {
  /** Plaques revoked in the 12 months. */
  revoked: number;
  /** Complaints upheld in the 12 months. */
  upheld: number;
  /** Complaints the desk sent the merchant, still unanswered after OVERDUE_DAYS days. */
  overdue: number;
}

export interface StandingCheck {
  rule: StandingRule;
  value: number;
  /** The count at which the rule marks the shop. */
  limit: number;
  tripped: boolean;
}

export function standingOf(facts: StandingFacts): { standing: Standing; checks: StandingCheck[] } {
  const checks: StandingCheck[] = [
    { rule: "revoked", value: facts.revoked, limit: 1, tripped: facts.revoked >= 1 },
    { rule: "upheld", value: facts.upheld, limit: UPHELD_LIMIT, tripped: facts.upheld >= UPHELD_LIMIT },
    { rule: "overdue", value: facts.overdue, limit: 1, tripped: facts.overdue >= 1 },
  ];
  return { standing: checks.some((c) => c.tripped) ? "attention" : "good", checks };
}

/** The median of a list of numbers (null when empty), rounded to one decimal. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(m * 10) / 10;
}

/** Case numbers: XQ-<year filed, district time>-<6+ digit serial>. */
export const CASE_NUMBER_PATTERN = /^XQ-(\d{4})-(\d{6,})$/;

export function formatCaseNumber(year: number, serial: number): string {
  return `XQ-${year}-${String(serial).padStart(6, "0")}`;
}

/** A typed case number, forgiving case and spaces ("xq 2026 123" → XQ-2026-000123); null when it is not one. */
export function normalizeCaseNumber(input: string): string | null {
  const m = /^\s*xq[\s-]*(\d{4})[\s-]*(\d{1,12})\s*$/i.exec(input);
  if (!m) return null;
  return formatCaseNumber(Number(m[1]), Number(m[2]));
}
