import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarBookings } from "~/domain/studio/bookings.server";
import { calendarResponse, feedCode } from "~/lib/ical.server";
import { orErrorPage } from "~/lib/http.server";

/** One studio's schedule as an iCal feed. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const rows = await orErrorPage(() => calendarBookings(context.db, { studioCode: feedCode(params.code) }));
  return calendarResponse(request, `信圈 ${rows[0]?.studioNameZh ?? feedCode(params.code)}`, rows);
}
