import type { LoaderFunctionArgs } from "@remix-run/node";
import { pingDatabase } from "~/domain/health.server";

/** 200 when the database answers, 503 when it does not. */
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await pingDatabase(context.db);
    return new Response("ok", { status: 200, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch (error) {
    context.log.error({ err: error, requestId: context.requestId }, "health check: database unreachable");
    return new Response("database unreachable", {
      status: 503,
      headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" },
    });
  }
}
