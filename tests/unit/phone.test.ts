import { describe, expect, it } from "vitest";
import { isMainlandMobile, maskPhone, normalizePhoneInput } from "~/lib/phone";

describe("phone numbers as people type them", () => {
  it.each([
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    ["+86 138 1234 5678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
    ["8613812345678", "13812345678"],
  ])("normalizes %s", (input, expected) => {
    expect(normalizePhoneInput(input)).toBe(expected);
  });

  it("accepts mainland mobiles only", () => {
    expect(isMainlandMobile("13812345678")).toBe(true);
    expect(isMainlandMobile("19912345678")).toBe(true);
    expect(isMainlandMobile("12812345678")).toBe(false);
    expect(isMainlandMobile("1381234567")).toBe(false);
    expect(isMainlandMobile("138123456789")).toBe(false);
    expect(isMainlandMobile("0374-1234567")).toBe(false);
  });

  it("masks the middle four digits", () => {
    expect(maskPhone("13812341234")).toBe("138****1234");
  });
});
