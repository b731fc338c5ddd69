import ical, { ICalEventStatus } from "ical-generator";

interface FeedBooking {
  publicId: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  businessName: string;
  studioNameZh: string;
  status: string;
}

/** A feed's address: `/live/ical/studio/<code>.ics` (the `.ics` is optional; calendar apps like it). */
export const feedCode = (param: string | undefined) => (param ?? "").replace(/\.ics$/i, "");

/** An iCal feed of studio bookings (ical-generator: folding, escaping and UIDs done right). */
export function calendarResponse(request: Request, name: string, rows: FeedBooking[]): Response {
  const origin = new URL(request.url).origin;
  const calendar = ical({ name, prodId: { company: "Xinquan", product: "studio" }, ttl: 60 * 30 });
  for (const b of rows) {
    calendar.createEvent({
      id: `${b.publicId}@xinquan`,
      start: b.startsAt,
      end: b.endsAt,
      summary: `${b.title}（${b.businessName}）`,
      description: b.description,
      location: b.studioNameZh,
      url: `${origin}/live/${b.publicId}`,
      // A cancelled show stays in the feed as cancelled, so subscribed calendars drop or strike it
      // (a vanished event stays in most of them); the higher SEQUENCE makes them take the change.
      status: b.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: b.status === "cancelled" ? 1 : 0,
    });
  }
  return new Response(calendar.toString(), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
