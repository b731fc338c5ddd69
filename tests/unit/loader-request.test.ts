import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/**
 * @remix-run/server-runtime as patched (docs/decisions/048): a loader gets the page's own request
 * when Remix's stripping of `index` and `_routes` would not change its URL, and the stripped copy
 * otherwise. Either way the loader sees the URL Remix meant it to see.
 */
type CallRouteLoader = (args: {
  loadContext: unknown;
  loader: (args: { request: Request }) => unknown;
  params: Record<string, string>;
  request: Request;
  routeId: string;
  singleFetch: boolean;
}) => Promise<unknown>;

// The CommonJS build: the one the server loads (through @remix-run/express).
const { callRouteLoader } = createRequire(import.meta.url)("@remix-run/server-runtime/dist/data.js") as {
  callRouteLoader: CallRouteLoader;
};

/** What Remix's stripping makes of a URL: empty `index` values and every `_routes` removed. */
function stripped(href: string): string {
  const url = new URL(href);
  const kept = url.searchParams.getAll("index").filter(Boolean);
  url.searchParams.delete("index");
  for (const value of kept) url.searchParams.append("index", value);
  url.searchParams.delete("_routes");
  return url.href;
}

async function seenByLoader(request: Request): Promise<Request> {
  let seen: Request | undefined;
  await callRouteLoader({
    loadContext: {},
    loader: ({ request }) => {
      seen = request;
      return null;
    },
    params: {},
    request,
    routeId: "routes/x",
    singleFetch: true,
  });
  return seen!;
}

describe("the request a loader gets", () => {
  it("is the page's own when stripping changes nothing, and a stripped copy otherwise", async () => {
    const base = "http://localhost/shops";
    const own = [
      base,
      `${base}/12`,
      `${base}?q=%E9%9D%A2&page=2`,
      `${base}?q=a%2Bb`,
      `${base}?q=%E4%B8%AD+%E6%96%87`,
      `${base}?a=1#frag`,
    ];
    const copied = [
      `${base}?index`,
      `${base}?index=&q=1`,
      `${base}?index=1`,
      `${base}?_routes=root`,
      `${base}?q=a%20b`,
      `${base}?q=~x`,
      `${base}?`,
    ];
    for (const href of [...own, ...copied]) {
      const request = new Request(href);
      const seen = await seenByLoader(request);
      expect(seen.url, href).toBe(stripped(href));
      expect(seen === request, href).toBe(own.includes(href));
    }
  });

  it("carries the method, headers and abort signal either way", async () => {
    const controller = new AbortController();
    for (const href of ["http://localhost/cart", "http://localhost/cart?index"]) {
      const request = new Request(href, { headers: { cookie: "xq_session=s" }, signal: controller.signal });
      const seen = await seenByLoader(request);
      expect(seen.method).toBe("GET");
      expect(seen.headers.get("cookie")).toBe("xq_session=s");
      expect(seen.signal.aborted).toBe(false);
    }
  });
});
