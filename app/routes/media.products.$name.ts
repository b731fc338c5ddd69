import type { LoaderFunctionArgs } from "@remix-run/node";
import { readProductPhoto } from "~/domain/market/products.server";
import { publicPhotoResponse } from "~/lib/media.server";

/** Product photos from the data folder, with the type their bytes show. Names carry a content hash. */
export async function loader({ params }: LoaderFunctionArgs) {
  return publicPhotoResponse(await readProductPhoto(params.name ?? ""));
}
