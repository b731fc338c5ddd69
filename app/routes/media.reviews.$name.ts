import type { LoaderFunctionArgs } from "@remix-run/node";
import { readReviewPhoto } from "~/domain/reviews/reviews.server";

/** Review photos from the data folder, with the type their bytes show. Names carry a content hash. */
export async function loader({ params }: LoaderFunctionArgs) {
  const photo = await readReviewPhoto(params.name ?? "");
  if (!photo) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  return new Response(photo.bytes, {
    headers: {
      "Content-Type": photo.type,
      "Content-Length": String(photo.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
