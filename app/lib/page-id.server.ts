import { data } from "@remix-run/node";
import { idParam } from "./ids";

/**
 * The record id in a page's address (`/shops/12/edit`): a positive whole number that fits an
 * integer column (`idParam`). Anything else is the 404 page, saying `code` (what is not there: a
 * shop, a product, an order).
 */
export function recordIdOr404(param: string | undefined, code = "errors.notFound"): number {
  const id = idParam.safeParse(param);
  if (!id.success) throw data({ code }, { status: 404 });
  return id.data;
}
