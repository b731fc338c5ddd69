import { describe, expect, it } from "vitest";
import { bodyLimitFor, formBodyLimit } from "~/lib/request-limits.server";

describe("request body limits per route", () => {
  it("gives an upload route the same allowance whether the form posts with JavaScript (.data) or without", () => {
    for (const path of ["/disputes/new", "/shops/1/edit", "/products/7/edit", "/admin/roster"]) {
      expect(bodyLimitFor(path), path).toBeGreaterThan(5 * 1024 * 1024);
      expect(bodyLimitFor(`${path}.data`), `${path}.data`).toBe(bodyLimitFor(path));
    }
  });

  it("keeps every other form, with or without JavaScript, to the small form limit", () => {
    for (const path of ["/login", "/login.data", "/cart.data", "/shops/1/editor.data", "/admin/roster/new.data"])
      expect(bodyLimitFor(path), path).toBe(formBodyLimit);
  });
});
