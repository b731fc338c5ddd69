import type { LoaderFunctionArgs } from "@remix-run/node";
import { readDisputePhoto } from "~/domain/disputes/disputes.server";
import { photoNotFound, privatePhotoResponse } from "~/lib/media.server";

/** A dispute's photo, only for those who may see the dispute (404 for everyone else). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const disputeId = Number(params.id);
  const photoId = Number(params.photoId);
  if (!Number.isSafeInteger(disputeId) || !Number.isSafeInteger(photoId) || disputeId <= 0 || photoId <= 0)
    return photoNotFound();
  return privatePhotoResponse(() => readDisputePhoto(context.db, context.actor, disputeId, photoId));
}
