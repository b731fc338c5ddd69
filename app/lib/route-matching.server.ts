import { createRequire } from "node:module";

/**
 * Remix's route matching, remembered (docs/decisions/033).
 *
 * `matchRoutes` of @remix-run/router flattens the whole route tree, ranks every branch and
 * compiles each branch's path into a regular expression on every call, and a document request
 * calls it four times (the request handler, the static handler, React Router's render and the
 * lazy route discovery's partial manifest, once per parent path). With ~80 routes that was about
 * a tenth of the CPU of an uncached page.
 *
 * The answer depends only on the tree's shape (each route's id, path, index and caseSensitive,
 * and its children, in order) and on the pathname and basename, so it is remembered per shape
 * and location: the matched routes as positions in the tree (walked depth first), their params,
 * pathname and pathnameBase. A call with a tree of the same shape (Remix builds a new tree of new
 * route objects for every render) gets new match objects that point at its own route objects; as
 * in the original, all matches of one answer share one params object.
 */

interface RouteLike {
  id?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteLike[];
}

interface Match {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: RouteLike;
}

type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => Match[] | null;

interface Remembered {
  positions: number[];
  params: Record<string, string | undefined>;
  pathnames: Array<[string, string]>;
}

interface Shape {
  key: string;
  routes: RouteLike[];
}

const maxLocationsPerShape = 2000;
const maxShapes = 8;

/** The shape's key and the routes in depth-first order. */
function shapeOf(routes: RouteLike[]): Shape {
  const list: RouteLike[] = [];
  const parts: string[] = [];
  const walk = (level: RouteLike[]) => {
    parts.push("[");
    for (const route of level) {
      list.push(route);
      parts.push(
        JSON.stringify([route.id ?? null, route.path ?? null, route.index === true, route.caseSensitive === true]),
      );
      if (route.children?.length) walk(route.children);
    }
    parts.push("]");
  };
  walk(routes);
  return { key: parts.join(""), routes: list };
}

/** Wraps `original` (@remix-run/router's `matchRoutes`) with the memory described above. */
export function rememberingMatchRoutes(original: MatchRoutes): MatchRoutes {
  /** Shapes of route arrays seen (Remix's server routes are one array for the process). */
  const shapes = new WeakMap<RouteLike[], Shape>();
  /** Per shape key: per "basename\0location", the remembered answer (null: no match). */
  const answers = new Map<string, Map<string, Remembered | null>>();

  return function matchRoutes(routes, location, basename) {
    if (!Array.isArray(routes)) return original(routes, location, basename);
    const path = typeof location === "string" ? location : location?.pathname;
    if (typeof path !== "string") return original(routes, location, basename);
    let shape = shapes.get(routes);
    if (!shape) {
      shape = shapeOf(routes);
      shapes.set(routes, shape);
    }
    let byLocation = answers.get(shape.key);
    if (!byLocation) {
      byLocation = new Map();
      answers.set(shape.key, byLocation);
      if (answers.size > maxShapes) answers.delete(answers.keys().next().value!);
    }
    const key = `${basename ?? "/"}\0${path}`;
    let remembered = byLocation.get(key);
    if (remembered === undefined) {
      const matches = original(routes, typeof location === "string" ? location : { pathname: path }, basename);
      if (matches) {
        const positions = matches.map((m) => shape.routes.indexOf(m.route));
        // A route outside the tree (cannot happen with @remix-run/router): not remembered.
        if (positions.includes(-1)) return matches;
        remembered = {
          positions,
          params: { ...(matches.at(-1)?.params ?? {}) },
          pathnames: matches.map((m) => [m.pathname, m.pathnameBase]),
        };
      } else remembered = null;
      byLocation.set(key, remembered);
      if (byLocation.size > maxLocationsPerShape) byLocation.delete(byLocation.keys().next().value!);
    }
    if (remembered === null) return null;
    const params = { ...remembered.params };
    const list = shape.routes;
    return remembered.positions.map((position, i) => ({
      params,
      pathname: remembered.pathnames[i][0],
      pathnameBase: remembered.pathnames[i][1],
      route: list[position],
    }));
  };
}

const installedKey = Symbol.for("xinquan.rememberingMatchRoutes");

/**
 * Replaces `matchRoutes` on the CommonJS exports of @remix-run/router, which Remix's server
 * runtime, React Router and Remix's lazy route discovery call through at each call; the static
 * handler's own two calls go through them too (patched, docs/decisions/048: they were 6 % of a
 * page's main thread, matching ~80 ranked branches one by one). Once per process.
 */
export function installRememberingMatchRoutes(): void {
  const router = createRequire(import.meta.url)("@remix-run/router") as Record<string | symbol, unknown>;
  if (router[installedKey]) return;
  const original = router.matchRoutes as MatchRoutes;
  router.matchRoutes = rememberingMatchRoutes(original);
  router[installedKey] = true;
}
