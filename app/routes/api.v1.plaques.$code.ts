import type { LoaderFunctionArgs } from "@remix-run/node";
import { verifyPlaque } from "~/domain/badges/verify.server";
import { apiError, apiJson } from "~/lib/api.server";

/** GET /api/v1/plaques/:code: is this plaque genuine, current, expired or revoked? */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const plaque = await verifyPlaque(context.db, params.code ?? "");
  if (!plaque) return apiError(request, context, 404, "directory.verify.notGenuineTitle");
  const origin = new URL(request.url).origin;
  return apiJson({
    code: plaque.code,
    verdict: plaque.verdict,
    kind: plaque.kind,
    year: plaque.year,
    issuer: plaque.issuer,
    citation: plaque.citation,
    awardedAt: plaque.awardedAt,
    revokedAt: plaque.revokedAt,
    revokeReason: plaque.revokeReason,
    business: {
      id: plaque.businessId,
      code: plaque.businessCode,
      name: plaque.businessName,
      url: `${origin}/shops/${plaque.businessId}`,
    },
  });
}
