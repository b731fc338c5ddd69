import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { Outlet, RemixServer } from "@remix-run/react";
import { createStaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { entryContext } from "../helpers/remix-context";

/**
 * @remix-run/react and react-router-dom patched (docs/decisions/042): the route tree of a build is
 * made once, not for every page. A route module whose `handle` counts its reads tells how often
 * Remix built the server routes (it reads each module's handle once per build of the tree).
 */
describe("the server's route tree, made once per build (docs/decisions/042)", () => {
  it("builds Remix's server routes once for many pages, and renders each page's own route", () => {
    let handleReads = 0;
    const page = (text: string) => ({
      default: () => createElement("p", null, text),
      get handle() {
        handleReads++;
        return undefined;
      },
    });
    const modules = {
      root: { default: () => createElement("main", null, createElement(Outlet)) },
      "routes/_index": page("home"),
      "routes/shops": page("shops"),
    };
    const first = entryContext("/", modules);
    // Remix gives every request a new context and a new routeModules object for the same build.
    const contexts = [first, entryContext("/shops", { ...modules }), entryContext("/", { ...modules })];
    contexts[1].manifest = first.manifest;
    contexts[2].manifest = first.manifest;
    const html = contexts.map((context) =>
      renderToString(
        createElement(RemixServer, {
          context,
          url: `http://localhost${context.staticHandlerContext.location.pathname}`,
        }),
      ),
    );
    expect(html[0]).toContain("<p>home</p>");
    expect(html[1]).toContain("<p>shops</p>");
    expect(html[1]).not.toContain("home");
    expect(html[2]).toBe(html[0]);
    // Two route modules with a handle, read once each for the one tree (six times unpatched).
    expect(handleReads).toBe(2);

    // Another build (a module replaced, as a development reload does): built again.
    const reloaded = entryContext("/", { ...modules, "routes/_index": page("home again") });
    reloaded.manifest = first.manifest;
    expect(renderToString(createElement(RemixServer, { context: reloaded, url: "http://localhost/" }))).toContain(
      "<p>home again</p>",
    );
    expect(handleReads).toBe(4);
  });

  it("makes a route tree's data routes once, and a new tree's anew", () => {
    const tree = [{ id: "root", path: "/", children: [{ id: "shops", path: "shops" }] }];
    const context = {
      basename: "/",
      location: { pathname: "/", search: "", hash: "", state: null, key: "default" },
      matches: [],
      loaderData: {},
      actionData: null,
      errors: null,
      statusCode: 200,
      loaderHeaders: {},
      actionHeaders: {},
      activeDeferreds: null,
    } as unknown as Parameters<typeof createStaticRouter>[1];
    const a = createStaticRouter(tree, context).routes;
    expect(createStaticRouter(tree, context).routes).toBe(a);
    expect(a[0].children?.[0]).toMatchObject({ id: "shops", path: "shops" });
    const other = createStaticRouter([{ id: "root", path: "/" }], context).routes;
    expect(other).not.toBe(a);
    expect(other[0].children).toBeUndefined();
  });
});
