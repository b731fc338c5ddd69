/**
 * The studio's calendar feeds, read by a real iCalendar parser (ical.js): `.ics` addresses (and
 * the plain ones), every show with its time, title and link, a cancelled show kept as
 * STATUS:CANCELLED with a higher SEQUENCE (not dropped), and webcal:// subscribe links on the pages.
 */
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { User } from "~/domain/accounts/actor";
import { cancelBooking } from "~/domain/studio/bookings.server";
import { loader as businessFeed } from "~/routes/live.ical.business.$code";
import { loader as studioFeed } from "~/routes/live.ical.studio.$code";
import { loader as livePage } from "~/routes/live._index";
import { useTestDatabase } from "../helpers/kit";

const kit = useTestDatabase();
let officer: User;

beforeAll(async () => {
  officer = await kit.demo("president");
});

/** The feed's events by UID, parsed by ical.js. */
async function events(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/calendar");
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  expect(calendar.name).toBe("vcalendar");
  return new Map(
    calendar.getAllSubcomponents("vevent").map((v) => {
      const e = new ICAL.Event(v);
      return [
        e.uid,
        {
          summary: e.summary,
          start: e.startDate.toJSDate().toISOString(),
          end: e.endDate.toJSDate().toISOString(),
          status: String(v.getFirstPropertyValue("status")),
          sequence: e.sequence,
          url: String(v.getFirstPropertyValue("url")),
        },
      ];
    }),
  );
}

const studioCode = async () => {
  const args = kit.routeArgs("/live", null) as { context: Record<string, unknown> };
  args.context.ingest = { online: () => false };
  const data = await livePage(args as never);
  return { code: data.studios[0].code, host: data.calendarHost };
};

describe("calendar feeds", () => {
  it("serve a business's and a studio's shows at .ics addresses, a cancelled one as CANCELLED", async () => {
    // Midnight in the district (16:00 UTC), a day or more ahead (newStream adds days): on the hour as slots
    // are, and clear of the seeded daytime shows whatever the hour the test runs.
    const now = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 16 * 3_600_000);
    const kept = await kit.newStream({ startsAt: now, businessCode: "S0001", title: "老王直播" });
    const dropped = await kit.newStream({ startsAt: now, businessCode: "S0001", title: "取消的直播" });
    await cancelBooking(kit.db(), officer, dropped.publicId, "场地维修");

    for (const url of ["/live/ical/business/S0001.ics", "/live/ical/business/s0001", "/live/ical/business/S0001"]) {
      const feed = await events(await businessFeed(kit.routeArgs(url, null, { code: url.split("/").pop()! })));
      expect(feed.get(`${kept.publicId}@xinquan`)).toMatchObject({
        summary: expect.stringContaining("老王直播"),
        start: kept.startsAt.toISOString(),
        end: new Date(kept.startsAt.getTime() + 3_600_000).toISOString(),
        status: "CONFIRMED",
        sequence: 0,
        url: `http://localhost/live/${kept.publicId}`,
      });
      expect(feed.get(`${dropped.publicId}@xinquan`)).toMatchObject({
        summary: expect.stringContaining("取消的直播"),
        status: "CANCELLED",
        sequence: 1,
      });
    }

    const { code } = await studioCode();
    const studio = await events(
      await studioFeed(kit.routeArgs(`/live/ical/studio/${code}.ics`, null, { code: `${code}.ics` })),
    );
    expect(studio.get(`${kept.publicId}@xinquan`)?.status).toBe("CONFIRMED");
    expect(studio.get(`${dropped.publicId}@xinquan`)?.status).toBe("CANCELLED");
  });

  it("answer 404 for a studio or business that does not exist", async () => {
    await expect(
      studioFeed(kit.routeArgs("/live/ical/studio/nowhere.ics", null, { code: "nowhere.ics" })),
    ).rejects.toMatchObject({ init: { status: 404 } });
    await expect(
      businessFeed(kit.routeArgs("/live/ical/business/X9999.ics", null, { code: "X9999.ics" })),
    ).rejects.toMatchObject({ init: { status: 404 } });
  });

  it("give the pages the host for webcal:// subscribe links", async () => {
    expect((await studioCode()).host).toBe("localhost");
  });
});
