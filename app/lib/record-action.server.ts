import type { ActionFunctionArgs } from "@remix-run/node";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { idParam } from "~/lib/ids";

/**
 * What the action of one record's page (a proposal, a dispute) works from: the signed-in user
 * (else the sign-in page), the record's id from the address, the plain form's fields, the
 * database and the time. `null` when the id in the address is not one.
 */
export async function recordActionInput({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = idParam.safeParse(params.id);
  if (!id.success) return null;
  const form = Object.fromEntries(await request.formData());
  return { user, id: id.data, form, db: context.db, now: clockNow() };
}
