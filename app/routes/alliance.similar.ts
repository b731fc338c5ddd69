import type { LoaderFunctionArgs } from "@remix-run/node";
import { similarProposals } from "~/domain/alliance/proposals.server";

/** GET /alliance/similar?title=... : proposals with similar titles, for the form as the title is typed. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get("title") ?? "").slice(0, 60);
  const similar = await similarProposals(context.db, title);
  return Response.json({ similar: similar.map(({ id, title, status }) => ({ id, title, status })) });
}
