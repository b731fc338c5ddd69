import ical from "ical-generator";

interface FeedBooking {
  publicId: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  businessName: string;
  studioNameZh: string;
}

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
    });
  }
  return new Response(calendar.toString(), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
