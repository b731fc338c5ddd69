import type { LoaderFunctionArgs } from "@remix-run/node";
import { readReviewPhoto } from "~/domain/reviews/reviews.server";
import { publicPhotoResponse } from "~/lib/media.server";

/** Review photos from the data folder, with the type their bytes show. Names carry a content hash. */
export async function loader({ params }: LoaderFunctionArgs) {
  return publicPhotoResponse(await readReviewPhoto(params.name ?? ""));
}
