import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseDirectoryFilters } from "~/domain/directory/filters";
import { searchDirectory } from "~/domain/directory/search.server";
import { apiError, apiJsonValidated } from "~/lib/api.server";
import { directoryEtag, publicBusiness } from "~/domain/directory/open-data.server";

/**
 * GET /api/v1/businesses: the same filters, search and paging as /shops. The ETag follows the
 * directory version: a client that sends it back gets a 304 without a search until a write.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = parseDirectoryFilters(url.searchParams);
  if (!parsed.ok) return apiError(request, context, 400, parsed.message, parsed.parameter);
  const now = new Date();
  return apiJsonValidated(request, await directoryEtag(context.db, now), async () => {
    const result = await searchDirectory(context.db, parsed.filters, now);
    return {
      total: result.total,
      page: result.page,
      perPage: result.perPage,
      pages: result.pages,
      items: result.items.map((entry) => publicBusiness(entry, url.origin)),
    };
  });
}
