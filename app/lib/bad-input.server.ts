import { data, type ServerBuild } from "@remix-run/node";

/**
 * A value the database refuses to store or compare (SQLSTATE class 22, "data exception": a NUL
 * byte in text, a number out of its column's range, text that is not a number) can only have come
 * from the request; schemas refuse what they know of, and this is the net under them.
 */
export function isBadInputError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
    // undici's FormData parser on a body that does not match its content type.
    if (e instanceof TypeError && /FormData|multipart|boundary/i.test(e.message)) return true;
  }
  return false;
}

type Handler = (args: never) => unknown;

export function guard<T extends Handler | undefined>(handler: T): T {
  if (!handler) return handler;
  const guarded = async (args: never) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isBadInputError(error)) throw data({ code: "errors.invalid" }, { status: 400 });
      throw error;
    }
  };
  return guarded as unknown as T;
}

/** Every route's loader and action, with bad input answered 400 (the error page says why) instead of 500. */
export function guardBuild(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => [
      id,
      {
        ...route,
        module: { ...route.module, loader: guard(route.module.loader), action: guard(route.module.action) },
      },
    ]),
  ) as ServerBuild["routes"];
  return { ...build, routes };
}
