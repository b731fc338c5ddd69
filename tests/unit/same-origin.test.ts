import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "~/lib/same-origin.server";

describe("cross-site write check", () => {
  const host = { host: "xinquan.example:3000" };
  it("lets reads through whatever their origin", () => {
    expect(isCrossSiteWrite("GET", { ...host, origin: "https://evil.example", "sec-fetch-site": "cross-site" })).toBe(
      false,
    );
  });
  it("refuses a form posted from another site", () => {
    expect(isCrossSiteWrite("POST", { ...host, "sec-fetch-site": "cross-site" })).toBe(true);
    expect(isCrossSiteWrite("POST", { ...host, "sec-fetch-site": "same-site" })).toBe(true);
    expect(isCrossSiteWrite("POST", { ...host, origin: "https://evil.example" })).toBe(true);
    expect(isCrossSiteWrite("POST", { ...host, origin: "null" })).toBe(true);
  });
  it("accepts the site's own forms", () => {
    expect(
      isCrossSiteWrite("POST", { ...host, origin: "http://xinquan.example:3000", "sec-fetch-site": "same-origin" }),
    ).toBe(false);
    expect(isCrossSiteWrite("DELETE", { ...host, origin: "http://xinquan.example:3000" })).toBe(false);
  });
  it("accepts requests that no browser page sent (no Origin, no Sec-Fetch-Site)", () => {
    expect(isCrossSiteWrite("POST", host)).toBe(false);
  });
});
