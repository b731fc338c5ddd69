import type { LoaderFunctionArgs } from "@remix-run/node";
import { readComplaintPhoto } from "~/domain/feedback/complaints.server";
import { photoNotFound, privatePhotoResponse } from "~/lib/media.server";

/** A complaint's photo, for its filer and the desk not of the business (404 for everyone else). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const feedbackId = Number(params.id);
  const photoId = Number(params.photoId);
  if (![feedbackId, photoId].every((n) => Number.isSafeInteger(n) && n > 0 && n <= 2147483647)) return photoNotFound();
  return privatePhotoResponse(() => readComplaintPhoto(context.db, context.actor, feedbackId, photoId));
}
