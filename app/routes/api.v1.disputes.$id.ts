import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDispute } from "~/domain/disputes/disputes.server";
import { isDomainError } from "~/domain/errors";
import { apiError } from "~/lib/api.server";

/**
 * GET /api/v1/disputes/:id: one dispute for its parties, mediators, officers and staff (session
 * cookie); everyone else gets the same 404 as for a dispute that does not exist.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!/^\d+$/.test(params.id ?? "") || !Number.isSafeInteger(id))
    return apiError(request, context, 404, "errors.notFound");
  try {
    const view = await getDispute(context.db, context.actor, id);
    const d = view.dispute;
    return new Response(
      JSON.stringify({
        id: d.id,
        category: d.category,
        level: d.level,
        status: d.status,
        outcome: d.outcome,
        dueAt: d.dueAt,
        createdAt: d.createdAt,
        closedAt: d.closedAt,
        description: d.description,
        filer: view.filer,
        respondent: view.respondentBusiness ?? view.respondentPerson,
        mediator: view.assignee,
        agreement: d.agreementText,
        events: view.events.map((e) => ({ kind: e.kind, body: e.body, params: e.params, at: e.createdAt })),
      }),
      { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" } },
    );
  } catch (error) {
    if (isDomainError(error)) return apiError(request, context, error.status, error.code);
    throw error;
  }
}
