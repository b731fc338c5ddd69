import type { LoaderFunctionArgs } from "@remix-run/node";
import { readBusinessPhoto } from "~/domain/directory/business.server";
import { publicPhotoResponse } from "~/lib/media.server";

/** Shop photos from the data folder, with the type their bytes show. Names carry a content hash. */
export async function loader({ params }: LoaderFunctionArgs) {
  return publicPhotoResponse(await readBusinessPhoto(params.name ?? ""));
}
