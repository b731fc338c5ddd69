import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggest } from "~/domain/directory/search.server";

/** GET /shops/suggest?q=…: what the search box offers while a shopper types (names, categories, streets). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").replace(/\p{Cc}/gu, "").slice(0, 40);
  const suggestions = await suggest(context.db, q);
  const en = context.locale === "en";
  const words = [
    ...suggestions.names,
    ...suggestions.categories.map((c) => (en ? c.en : c.zh)),
    ...suggestions.streets.map((s) => (en ? s.en : s.zh)),
  ];
  return Response.json(
    { q, suggestions: [...new Set(words)] },
    { headers: { "Cache-Control": "public, max-age=60", Vary: "Cookie" } },
  );
}
