import { createRequire } from "node:module";
import { matchPath, matchRoutes } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { rememberingMatchRoutes } from "~/lib/route-matching.server";

/** A tree like Remix's: root layout, pathless layouts, index routes, params, optional and splat segments. */
function tree() {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        {
          id: "routes/shops",
          path: "shops",
          children: [
            { id: "routes/shops._index", index: true },
            { id: "routes/shops.$id", path: ":id", children: [{ id: "routes/shops.$id._index", index: true }] },
            { id: "routes/shops.$id.edit", path: ":id/edit" },
          ],
        },
        { id: "routes/_auth", children: [{ id: "routes/_auth.login", path: "login" }] },
        { id: "routes/($lang).about", path: ":lang?/about" },
        { id: "routes/Case", path: "Case", caseSensitive: true },
        { id: "routes/api.v1.businesses.$id", path: "api/v1/businesses/:id" },
        { id: "routes/files.$", path: "files/*" },
        { id: "routes/$", path: "*" },
      ],
    },
  ];
}

const paths = [
  "/",
  "/shops",
  "/shops/",
  "/shops/12",
  "/shops/12/edit",
  "/shops/%E9%9D%A2",
  "/login",
  "/about",
  "/en/about",
  "/Case",
  "/case",
  "/api/v1/businesses/7",
  "/files/a/b/c.png",
  "/nowhere/at/all",
];

describe("remembered route matching", () => {
  it("answers as @remix-run/router does, with the caller's own route objects, again and again", () => {
    const remembering = rememberingMatchRoutes(matchRoutes as never);
    for (let round = 0; round < 3; round++) {
      const routes = tree(); // a new tree of the same shape, as Remix builds per render
      for (const path of paths) {
        for (const location of [path, { pathname: path }]) {
          const expected = matchRoutes(routes, location);
          const actual = remembering(routes, location);
          expect(actual).toEqual(expected);
          expect(actual?.map((m) => m.route)).toEqual(expected?.map((m) => m.route));
          actual?.forEach((m, i) => expect(m.route).toBe(expected![i].route));
          if (actual && actual.length > 1) expect(actual[0].params).toBe(actual[1].params);
        }
      }
    }
  });

  it("keeps answers apart by basename and by tree", () => {
    const remembering = rememberingMatchRoutes(matchRoutes as never);
    const routes = tree();
    expect(remembering(routes, "/app/shops/1", "/app")).toEqual(matchRoutes(routes, "/app/shops/1", "/app"));
    expect(remembering(routes, "/app/shops/1")).toEqual(matchRoutes(routes, "/app/shops/1"));
    expect(remembering(routes, "/shops/12")?.at(-1)?.params).toEqual({ id: "12" });
    const other = tree();
    other[0].children[1].children![1].path = ":slug"; // same ids, another path
    const expected = matchRoutes(other, "/shops/12");
    expect(remembering(other, "/shops/12")).toEqual(expected);
    expect(expected?.at(-1)?.params).toEqual({ slug: "12" });
  });

  it("gives each caller its own params, so a caller's change does not leak", () => {
    const remembering = rememberingMatchRoutes(matchRoutes as never);
    const first = remembering(tree(), "/shops/12")!;
    first[0].params.id = "99";
    expect(remembering(tree(), "/shops/12")![0].params.id).toBe("12");
  });
});

/**
 * patches/@remix-run+router+1.23.3.patch (docs/decisions/037): Remix's static handler matches its
 * one route tree on every request inside @remix-run/router, where the wrapper above cannot reach;
 * the patch ranks a tree once and compiles each path's expression once.
 */
describe("@remix-run/router as patched", () => {
  it("flattens and ranks a tree once, however often it is matched", () => {
    let walks = 0;
    const counted = new Proxy(tree(), {
      get(target, key, receiver) {
        if (key === "forEach") walks++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    for (const path of paths) matchRoutes(counted, path);
    expect(walks).toBe(1);
  });

  it("answers every path as a tree matched for the first time does", () => {
    const routes = tree();
    for (let round = 0; round < 3; round++)
      for (const path of paths) expect(matchRoutes(routes, path)).toEqual(matchRoutes(tree(), path));
  });

  it("keeps compiled paths apart by case sensitivity and by end", () => {
    for (let round = 0; round < 2; round++) {
      expect(matchPath({ path: "/Case", caseSensitive: true, end: true }, "/case")).toBeNull();
      expect(matchPath({ path: "/Case", caseSensitive: false, end: true }, "/case")?.pathname).toBe("/case");
      expect(matchPath({ path: "/shops", caseSensitive: false, end: true }, "/shops/12")).toBeNull();
      expect(matchPath({ path: "/shops", caseSensitive: false, end: false }, "/shops/12")?.pathnameBase).toBe("/shops");
      expect(matchPath("/shops/:id", "/shops/7")?.params).toEqual({ id: "7" });
      expect(matchPath("/shops/:id", "/shops/8")?.params).toEqual({ id: "8" });
    }
  });

  it("has the static handler match through the exports, where the server's remembered matching is installed", async () => {
    // The CommonJS build: the one Remix's server runtime loads.
    const router = createRequire(import.meta.url)("@remix-run/router") as {
      matchRoutes: typeof matchRoutes;
      createStaticHandler: (routes: unknown[]) => {
        query: (request: Request) => Promise<{ matches: { route: { id: string } }[] } | Response>;
      };
    };
    const original = router.matchRoutes;
    const asked: string[] = [];
    router.matchRoutes = ((routes, location, basename) => {
      asked.push(typeof location === "string" ? location : (location.pathname ?? ""));
      return original(routes, location, basename);
    }) as typeof matchRoutes;
    try {
      const handler = router.createStaticHandler(tree());
      const context = await handler.query(new Request("http://localhost/shops/12/edit?x=1"));
      if (context instanceof Response) throw new Error("unexpected response");
      expect(context.matches.map((m) => m.route.id)).toEqual(["root", "routes/shops", "routes/shops.$id.edit"]);
      expect(asked).toEqual(["/shops/12/edit"]);
    } finally {
      router.matchRoutes = original;
    }
  });
});
