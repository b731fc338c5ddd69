import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarBookings } from "~/domain/studio/bookings.server";
import { calendarResponse, feedCode } from "~/lib/ical.server";
import { orErrorPage } from "~/lib/http.server";

/** One merchant's shows as an iCal feed, for a shopper's phone calendar. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const rows = await orErrorPage(() => calendarBookings(context.db, { businessCode: feedCode(params.code) }));
  return calendarResponse(request, `信圈直播 ${rows[0]?.businessName ?? feedCode(params.code)}`, rows);
}
