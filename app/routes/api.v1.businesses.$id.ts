import type { LoaderFunctionArgs } from "@remix-run/node";
import { directoryEntry } from "~/domain/directory/search.server";
import { apiError, apiJson } from "~/lib/api.server";
import { publicBusiness, publishedBusinessDetails } from "~/domain/directory/open-data.server";
import { trustRecord } from "~/domain/feedback/trust-record.server";
import { clockNow } from "~/lib/clock.server";

/**
 * GET /api/v1/businesses/:id: one business; the phone only where its owner published it; its
 * trust record (诚信档案, ADR 020) as counts.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!/^\d+$/.test(params.id ?? "") || !Number.isSafeInteger(id))
    return apiError(request, context, 400, "directory.errors.notFound", "id");
  const entry = await directoryEntry(context.db, id);
  if (!entry) return apiError(request, context, 404, "directory.errors.notFound");
  const { status, ...details } = await publishedBusinessDetails(context.db, id);
  return apiJson({
    ...publicBusiness(entry, new URL(request.url).origin, details),
    status,
    trustRecord: await trustRecord(context.db, id, clockNow()),
  });
}
