import type { LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError } from "~/domain/errors";
import { readComplaintPhoto } from "~/domain/feedback/complaints.server";

/** A complaint's photo, for its filer and the desk not of the business (404 for everyone else). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const feedbackId = Number(params.id);
  const photoId = Number(params.photoId);
  const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  if (![feedbackId, photoId].every((n) => Number.isSafeInteger(n) && n > 0 && n <= 2147483647)) return notFound();
  try {
    const photo = await readComplaintPhoto(context.db, context.actor, feedbackId, photoId);
    return new Response(photo.bytes, { headers: { "Content-Type": photo.type, "Cache-Control": "private, no-store" } });
  } catch (error) {
    if (isDomainError(error)) return notFound();
    throw error;
  }
}
