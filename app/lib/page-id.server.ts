import { data } from "@remix-run/node";

/**
 * The record id in a page's address (`/shops/12/edit`): a positive whole number. Anything else is
 * the 404 page, saying `code` (what is not there: a shop, a product, an order).
 */
export function recordIdOr404(param: string | undefined, code = "errors.notFound"): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw data({ code }, { status: 404 });
  return id;
}
