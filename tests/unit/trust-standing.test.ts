import { describe, expect, it } from "vitest";
import {
  formatCaseNumber,
  median,
  normalizeCaseNumber,
  OVERDUE_DAYS,
  standingOf,
  UPHELD_LIMIT,
} from "~/domain/feedback/standing";

describe("the trust record's standing (ADR 020)", () => {
  it("is good with nothing against the shop", () => {
    const { standing, checks } = standingOf({ revoked: 0, upheld: 0, overdue: 0 });
    expect(standing).toBe("good");
    expect(checks.map((c) => [c.rule, c.tripped])).toEqual([
      ["revoked", false],
      ["upheld", false],
      ["overdue", false],
    ]);
  });

  it("stays good just under the upheld limit, needs attention at it", () => {
    expect(UPHELD_LIMIT).toBe(3);
    expect(standingOf({ revoked: 0, upheld: UPHELD_LIMIT - 1, overdue: 0 }).standing).toBe("good");
    const at = standingOf({ revoked: 0, upheld: UPHELD_LIMIT, overdue: 0 });
    expect(at.standing).toBe("attention");
    expect(at.checks.find((c) => c.rule === "upheld")).toMatchObject({ value: 3, limit: 3, tripped: true });
  });

  it("needs attention after one revocation or one overdue answer, whatever else", () => {
    expect(standingOf({ revoked: 1, upheld: 0, overdue: 0 }).standing).toBe("attention");
    expect(standingOf({ revoked: 0, upheld: 0, overdue: 1 }).standing).toBe("attention");
    expect(OVERDUE_DAYS).toBe(14);
    const all = standingOf({ revoked: 2, upheld: 5, overdue: 1 });
    expect(all.checks.filter((c) => c.tripped).map((c) => c.rule)).toEqual(["revoked", "upheld", "overdue"]);
  });
});

describe("median days", () => {
  it("takes the middle value, or the mean of the two middle ones, to one decimal", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 4])).toBe(4);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([0.04, 0.1])).toBe(0.1);
  });
});

describe("case numbers", () => {
  it("are XQ-year-six digits, and typed ones are forgiven spaces, case and missing zeros", () => {
    expect(formatCaseNumber(2026, 123)).toBe("XQ-2026-000123");
    expect(formatCaseNumber(2027, 1234567)).toBe("XQ-2027-1234567");
    expect(normalizeCaseNumber(" xq 2026 123 ")).toBe("XQ-2026-000123");
    expect(normalizeCaseNumber("XQ-2026-000123")).toBe("XQ-2026-000123");
    expect(normalizeCaseNumber("XQ-26-1")).toBeNull();
    expect(normalizeCaseNumber("2026-000123")).toBeNull();
    expect(normalizeCaseNumber("XQ-2026-00012a")).toBeNull();
  });
});
