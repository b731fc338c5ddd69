import { describe, expect, it } from "vitest";
import { recordIdOr404 } from "~/lib/page-id.server";

/** What a record page's loader gets from its address; anything but an id an integer column holds is a 404. */
async function statusOf(param: string | undefined): Promise<number | "id"> {
  try {
    recordIdOr404(param, "errors.shopNotFound");
    return "id";
  } catch (thrown) {
    return (thrown as { init?: { status?: number } }).init?.status ?? -1;
  }
}

describe("recordIdOr404", () => {
  it("takes a positive id that fits an integer column", () => {
    expect(recordIdOr404("12")).toBe(12);
    expect(recordIdOr404("2147483647")).toBe(2147483647);
  });

  it("answers 404 for what is not one, ids above 2^31 − 1 included (no integer column holds them)", async () => {
    for (const param of [undefined, "", "0", "-3", "1.5", "abc", "2147483648", "99999999999"]) {
      expect(await statusOf(param), String(param)).toBe(404);
    }
  });
});
