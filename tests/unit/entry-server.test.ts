import { createElement } from "react";
import { Outlet } from "@remix-run/react";
import type { AppLoadContext } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import handleRequest from "~/entry.server";
import { entryContext } from "../helpers/remix-context";

/**
 * The server entry answers a page as one body (docs/decisions/048). Once the page is answered,
 * nothing of it is left waiting: the timer that ends a render that never finishes is cleared
 * (a timer per page held each page for six seconds, thousands at a time under load).
 */
const modules = {
  root: { default: () => createElement("main", null, createElement(Outlet)) },
  "routes/_index": { default: () => createElement("p", null, "home") },
  "routes/shops": { default: () => createElement("p", null, "shops") },
};
const streetNames = Array.from({ length: 600 }, (_, i) => `${"东西南北中".slice(0, (i % 5) + 1)}大街${i}号诚信商户`);
const loadContext = {
  nonce: "n0nce",
  requestId: "r1",
  log: { error: vi.fn() },
} as unknown as AppLoadContext;

afterEach(() => {
  vi.useRealTimers();
});

describe("the server entry", () => {
  it("answers each page whole, with its status and type, and leaves no timer behind", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pages = await Promise.all(
      ["/", "/shops", "/shops"].map((path) =>
        handleRequest(
          new Request(`http://localhost${path}`),
          200,
          new Headers(),
          entryContext(path, modules),
          loadContext,
        ),
      ),
    );
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    }
    const [home, shops, again] = await Promise.all(pages.map((page) => page.text()));
    expect(home).toContain("<main><p>home</p></main>");
    expect(shops).toContain("<main><p>shops</p></main>");
    expect(again).toBe(shops);
    expect(vi.getTimerCount()).toBe(0);
  });

  // React 18.3's Node renderer wrote a whole 2 KB piece when a character did not fit in what
  // was left of it, NUL bytes and all (react/react#31134): 138 of 300 of the demo district's
  // pages had them. In a <script> a browser reads NUL as U+FFFD; crawlers cut the page there.
  it("writes Chinese text whole: no NUL bytes where a character crosses React's 2 KB pieces", async () => {
    const page = await handleRequest(
      new Request("http://localhost/shops"),
      200,
      new Headers(),
      // Chinese text of lengths that fall differently on React's 2 KB pieces.
      entryContext("/shops", {
        ...modules,
        "routes/shops": {
          default: () =>
            createElement(
              "ul",
              null,
              streetNames.map((name) => createElement("li", { key: name }, name)),
            ),
        },
      }),
      loadContext,
    );
    const bytes = new Uint8Array(await page.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(10 * 2048);
    expect(bytes.indexOf(0)).toBe(-1);
    const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    expect(html).toContain(`<ul>${streetNames.map((name) => `<li>${name}</li>`).join("")}</ul>`);
  });
});
