import { describe, expect, it } from "vitest";
import { districtDate, districtMinuteOfDay, formatDateTime } from "~/lib/time";

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

describe("district clock and calendar as arithmetic on UTC+8", () => {
  // The answers Intl gives for Asia/Shanghai, which these functions used to ask for each call.
  const clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const calendar = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  // Every 23 h 13 min 17 s from 1992 to 2060: every minute of the day and every day of the month
  // comes round, on both sides of the district's and UTC's midnight, leap days included.
  const instants: Date[] = [];
  for (let t = Date.UTC(1992, 0, 1); t < Date.UTC(2060, 0, 1); t += (23 * 3600 + 13 * 60 + 17) * 1000)
    instants.push(new Date(t));

  it("gives the minute of the day and the date Intl gives for Asia/Shanghai", () => {
    for (const at of instants) {
      const [hour, minute] = clock.format(at).split(":").map(Number);
      expect(districtMinuteOfDay(at), at.toISOString()).toBe(hour * 60 + minute);
      expect(districtDate(at), at.toISOString()).toBe(calendar.format(at));
    }
  });

  it("refuses an invalid date as Intl did", () => {
    expect(() => districtMinuteOfDay(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => districtDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
