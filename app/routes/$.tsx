import { data } from "@remix-run/node";

/** Any URL no route claims: the localized 404 page. */
export async function loader() {
  throw data({ code: "errors.notFound" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
