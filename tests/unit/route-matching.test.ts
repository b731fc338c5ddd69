import { matchRoutes } from "@remix-run/router";
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
