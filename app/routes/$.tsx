import { data, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "notFound");

/** Any URL no route claims: the localized 404 page. */
export async function loader() {
  throw data({ code: "errors.notFound" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
