import { describe, expect, it } from "vitest";
import { districtMinuteOfDay, formatDateTime } from "~/lib/time";

describe("district times", () => {
  // Half past midnight in the district (16:30 UTC). With `hour12: false`, Node's ICU writes the
  // English time as "24:30" where Chromium writes "00:30", so a page rendered on the server did not
  // match the browser's render after district midnight (React hydration errors #418/#425).
  const halfPastMidnight = new Date("2026-12-06T16:30:00Z");

  it("writes the hour after midnight as 00 in both languages", () => {
    expect(formatDateTime(halfPastMidnight, "en")).toBe("12/07/2026, 00:30");
    expect(formatDateTime(halfPastMidnight, "zh-CN")).toBe("2026/12/07 00:30");
  });

  it("counts minutes of the day from midnight", () => {
    expect(districtMinuteOfDay(halfPastMidnight)).toBe(30);
    expect(districtMinuteOfDay(new Date("2026-12-06T15:59:00Z"))).toBe(23 * 60 + 59);
  });
});
