import { z } from "zod";

/** A row id as an address or a form field carries it: a positive whole number that fits an integer column. */
export const idParam = z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" });

/** The id in a page's address; anything that is not one is a page that is not there (404). */
export function pageIdOr404(raw: string | undefined): number {
  const id = idParam.safeParse(raw);
  if (!id.success) throw new Response(null, { status: 404 });
  return id.data;
}
