import type { EntryContext } from "@remix-run/node";

/**
 * What Remix hands a server entry for a page of a tiny app (root, "/" and "/shops"), for tests of
 * the server's rendering without a build.
 */
export function entryContext(pathname: string, modules: Record<string, unknown>): EntryContext {
  const route = (id: string, parentId: string | undefined, path: string | undefined, index?: boolean) => ({
    id,
    parentId,
    path,
    index,
    module: `/${id}.js`,
    hasAction: false,
    hasLoader: false,
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: false,
  });
  const manifestRoutes = {
    root: route("root", undefined, ""),
    "routes/_index": route("routes/_index", "root", undefined, true),
    "routes/shops": route("routes/shops", "root", "shops"),
  };
  const matchIds = pathname === "/" ? ["root", "routes/_index"] : ["root", "routes/shops"];
  const matches = matchIds.map((id) => ({
    params: {},
    pathname,
    pathnameBase: pathname,
    route: { id, path: manifestRoutes[id as keyof typeof manifestRoutes].path },
  }));
  return {
    manifest: {
      routes: manifestRoutes,
      entry: { module: "/entry.js", imports: [] },
      url: "/manifest.js",
      version: "1",
    },
    routeModules: modules,
    staticHandlerContext: {
      basename: "/",
      location: { pathname, search: "", hash: "", state: null, key: "default" },
      matches,
      loaderData: {},
      actionData: null,
      errors: null,
      statusCode: 200,
      loaderHeaders: {},
      actionHeaders: {},
      activeDeferreds: null,
    },
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: false },
    isSpaMode: false,
    serverHandoffString: "{}",
    renderMeta: {},
  } as unknown as EntryContext;
}
