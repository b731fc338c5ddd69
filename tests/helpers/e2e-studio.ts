/**
 * The setting of a live-show journey: the production server with every studio open all day and
 * S0001's shows booked, a phone browser, and the owner going live.
 *
 *     const { app, goLive } = useShows(KEY, [{ publicId: LIVE, studio: "studio_a", from: -1, to: 60, title: "…" }]);
 *     const { merchant, errors, url } = await goLive(LIVE);
 */
import type { Page } from "playwright-core";
import { hashStreamKey } from "../../shared/secrets.server";
import { useApp, useBrowser } from "./journey";
import { openGoLive } from "./live";

/** One of S0001's shows: its studio, and when it starts and ends in minutes from now. */
export interface Show {
  publicId: string;
  studio: string;
  from: number;
  to: number;
  title: string;
}

/** Minutes from now, as a date. */
export const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

/**
 * The SQL that books S0001 a show in `studio` from `startsAt` to `endsAt`, streamed with the key
 * whose hash is `keyHash`: for a journey's `useApp({ prepare })`.
 */
export function bookingInsert(show: {
  publicId: string;
  studio: string;
  startsAt: Date;
  endsAt: Date;
  title: string;
  keyHash: string;
}) {
  return `insert into bookings (public_id, studio_id, business_id, starts_at, ends_at, title, stream_key_hash)
    values ('${show.publicId}', (select id from studios where code = '${show.studio}'),
            (select id from businesses where code = 'S0001'), '${show.startsAt.toISOString()}',
            '${show.endsAt.toISOString()}', '${show.title}', '${show.keyHash}');`;
}

/**
 * The app and a phone browser for this file (or describe block), the shows booked on the app's
 * copy of the district, each streamed with `key` (only its hash is stored). `goLive(publicId)`
 * opens the show's go-live page as the owner (in `browser`, or the profile given) and gives the
 * encoder's URL.
 */
export function useShows(key: string, shows: Show[], options: { env?: Record<string, string> } = {}) {
  const bookings = shows.map((s) =>
    bookingInsert({
      ...s,
      startsAt: minutesFromNow(s.from),
      endsAt: minutesFromNow(s.to),
      keyHash: hashStreamKey(key),
    }),
  );
  const app = useApp({
    // The ingest's verdicts (publish allowed or refused, ended, cut off) are info lines: a failed
    // live journey reports them (useApp), and a journey that checks the key never reaches the log
    // checks it against them.
    env: { LOG_LEVEL: "info", ...options.env },
    prepare: ["update studios set opens_at = 0, closes_at = 1440;", ...bookings].join("\n"),
  });
  const browser = useBrowser();
  const goLive = (publicId: string, on: { newPage(): Promise<Page> } = browser) =>
    openGoLive(on, app.url, publicId, key);
  return { app, browser, goLive };
}
