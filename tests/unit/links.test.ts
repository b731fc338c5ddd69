import { createElement, type ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { Link as RemixLink, NavLink as RemixNavLink } from "@remix-run/react";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Link, LinkNavigation, NavLink } from "~/components/link";

/**
 * ~/components/link renders a site's own path without asking the router (docs/decisions/045). It
 * must render exactly the anchor Remix's Link and NavLink render, on every page the link can be
 * on: each case is rendered both ways at the same location and compared.
 */
async function render(pathname: string, element: () => ReactElement): Promise<string> {
  const routes = [{ id: "root", path: "*", Component: () => createElement(LinkNavigation, null, element()) }];
  const { query, dataRoutes } = createStaticHandler(routes);
  const context = await query(new Request(`http://localhost${pathname}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(
    createElement(StaticRouterProvider, { router: createStaticRouter(dataRoutes, context), context, hydrate: false }),
  );
}

/** Attribute order is React's business, not the page's: compare anchors with their attributes sorted. */
function sameAnchor(html: string): string {
  return html.replace(
    /<a ([^>]*)>/g,
    (_, attributes: string) => `<a ${(attributes.match(/[\w:-]+(="[^"]*")?/g) ?? []).sort().join(" ")}>`,
  );
}

const linkCases: [string, Record<string, unknown>][] = [
  ["/", {}],
  ["/shops", { className: "button" }],
  ["/shops/12", { className: "business-card__name", "data-testid": "card" }],
  ["/map?q=面&grid=G3", {}],
  ["/shops?q=%E9%9D%A2&page=2", { rel: "next" }],
  ["/verify/ABC#record", { "aria-label": "验证" }],
  ["/logout", { reloadDocument: true }],
  ["/files/a.pdf", { target: "_blank", rel: "noreferrer" }],
  ["/cart", { discover: "none" }],
];

const navCases: [string, Record<string, unknown>][] = [
  ["/", { end: true }],
  ["/", {}],
  ["/shops", {}],
  ["/shops", { end: true }],
  ["/Shops", {}],
  ["/Shops", { caseSensitive: true }],
  ["/shops/", {}],
  ["/alliance", { className: "tab" }],
  ["/login?redirectTo=%2Fshops%2F1", {}],
  ["/cart", { className: ({ isActive }: { isActive: boolean }) => `tab${isActive ? " on" : ""}` }],
  ["/cart", { "aria-current": "location" }],
  ["/orders", { style: ({ isActive }: { isActive: boolean }) => ({ fontWeight: isActive ? 700 : 400 }) }],
];

const locations = ["/", "/shops", "/shops/12", "/shopsx", "/alliance/proposals/3", "/cart", "/orders"];

describe("the fast links render what Remix's do", () => {
  for (const location of locations) {
    it(`Link at ${location}`, async () => {
      for (const [to, props] of linkCases) {
        const ours = await render(location, () => createElement(Link, { to, ...props }, "x"));
        const remix = await render(location, () => createElement(RemixLink, { to, ...props }, "x"));
        expect(sameAnchor(ours), `${to} ${JSON.stringify(props)}`).toBe(sameAnchor(remix));
      }
    });

    it(`NavLink at ${location}`, async () => {
      for (const [to, props] of navCases) {
        const ours = await render(location, () => createElement(NavLink, { to, ...props }, "x"));
        const remix = await render(location, () => createElement(RemixNavLink, { to, ...props }, "x"));
        expect(sameAnchor(ours), `${to} ${JSON.stringify(props)}`).toBe(sameAnchor(remix));
      }
    });
  }

  it("hands what it does not take to Remix: relative paths, objects, prefetching", async () => {
    const cases: [unknown, Record<string, unknown>][] = [
      ["edit", {}],
      ["../products", {}],
      ["/shops/../map", {}],
      [{ pathname: "/shops", search: "?q=茶" }, {}],
      ["/shops", { prefetch: "intent" }],
    ];
    for (const [to, props] of cases) {
      for (const [Ours, Theirs] of [
        [Link, RemixLink],
        [NavLink, RemixNavLink],
      ] as const) {
        const ours = await render("/shops/12", () =>
          createElement(Ours as typeof Link, { to: to as string, ...props }, "x"),
        );
        const remix = await render("/shops/12", () =>
          createElement(Theirs as typeof Link, { to: to as string, ...props }, "x"),
        );
        expect(sameAnchor(ours), JSON.stringify(to)).toBe(sameAnchor(remix));
      }
    }
  });

  it("marks the current page, as NavLink does", async () => {
    const html = await render("/shops/12", () => createElement(NavLink, { to: "/shops" }, "x"));
    expect(html).toContain('aria-current="page"');
    expect(html).toContain('class="active"');
  });
});
