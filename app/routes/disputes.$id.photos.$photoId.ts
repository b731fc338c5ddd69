import type { LoaderFunctionArgs } from "@remix-run/node";
import { readDisputePhoto } from "~/domain/disputes/disputes.server";
import { isDomainError } from "~/domain/errors";

/** A dispute's photo, only for those who may see the dispute (404 for everyone else). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const disputeId = Number(params.id);
  const photoId = Number(params.photoId);
  const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  if (!Number.isSafeInteger(disputeId) || !Number.isSafeInteger(photoId) || disputeId <= 0 || photoId <= 0)
    return notFound();
  try {
    const photo = await readDisputePhoto(context.db, context.actor, disputeId, photoId);
    return new Response(photo.bytes, { headers: { "Content-Type": photo.type, "Cache-Control": "private, no-store" } });
  } catch (error) {
    if (isDomainError(error)) return notFound();
    throw error;
  }
}
