import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, bookings, studios } from "../../db/schema";
import {
  authorizePublish,
  bookSlot,
  endPublish,
  endQuietShows,
  endShow,
  hashStreamKey,
  mayKeepPublishing,
  newPublicId,
  newStreamKey,
  previewToken,
} from "~/domain/studio/bookings.server";
import { addMinutes, districtInstant, streamState } from "~/domain/studio/slots";
import { createLogger } from "~/lib/log.server";
import { hlsFiles, playbackStates, rtmpCallbacks } from "../../livestream/ingest/http";
import { ReplayRecorder } from "../../livestream/ingest/replay";
import { secondsAfter } from "../helpers/kit";
import { onlineIngest, useIngestServer } from "../helpers/ingest";
import { useStudioDatabase } from "../helpers/studio";

const { kit, db, actors, row } = useStudioDatabase();
const IDLE = 10;

const at = (day: string, clock: string) =>
  districtInstant(day, Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3)));

beforeAll(async () => {
  await db().execute(sql`update studios set opens_at = 0, closes_at = 1440`);
});

/**
 * A 10:00–11:00 show on `day` (district time), booked a week ahead: the booking, its public id,
 * `publish(at, clientId)`, an encoder with its key connecting at `at` as nginx's client
 * `clientId`, and `time(clock, seconds)`, an instant of that day.
 */
async function book(day: string) {
  const { booking, streamKey } = await bookSlot(
    db(),
    actors.owner,
    {
      businessId: actors.owner.memberships[0].businessId,
      studioCode: "studio_a",
      startsAt: at(day, "10:00"),
      endsAt: at(day, "11:00"),
      title: "会话测试",
      description: "",
    },
    addMinutes(at(day, "10:00"), -7 * 24 * 60),
  );
  const id = booking.publicId;
  /** `clock` on the show's day (district time), `seconds` later. */
  const time = (clock: string, seconds = 0) => secondsAfter(at(day, clock), seconds);
  const publish = (when: Date, clientId: string) => authorizePublish(db(), id, streamKey, when, clientId);
  return { booking, id, publish, time };
}

describe("a show is one session, not one RTMP connection", () => {
  it("continues across a reconnect with the same key; a second encoder nginx refuses changes nothing", async () => {
    const { id, publish, time } = await book("2030-05-06");
    expect(await publish(time("10:01"), "7")).toEqual({ ok: true, state: "live", reconnect: false });
    expect(await mayKeepPublishing(db(), id, time("10:01", 10), "7")).toBe(true);

    // A second encoder with the same key while the first one publishes: refused, nothing written,
    // and its close (nginx reports it) is not the show's.
    const before = await row(id);
    const second = time("10:01", 25);
    expect(await publish(second, "8")).toEqual({ ok: false, reason: "busy" });
    expect(await endPublish(db(), id, second, "8")).toBe(false);
    expect(await row(id)).toEqual(before);

    // The first encoder drops: the show goes on, waiting for it.
    expect(await endPublish(db(), id, time("10:03"), "7")).toBe(true);
    const waiting = await row(id);
    expect(waiting.liveEndedAt).toBeNull();
    expect(streamState(waiting, time("10:04"))).toBe("live");
    expect(await endQuietShows(db(), time("10:12"), IDLE)).not.toContain(id);

    // It comes back 20 s later with the same key: the same show, from the same start.
    expect(await publish(time("10:03", 20), "9")).toEqual({ ok: true, state: "live", reconnect: true });
    const back = await row(id);
    expect(back.liveSince).toEqual(time("10:01"));
    expect(back.encoderClient).toBe("9");
  });

  it("lets the same key take over from an encoder not heard from in 30 s (its close was lost)", async () => {
    const { publish, time } = await book("2030-05-07");
    await publish(time("10:01"), "1");
    expect(await publish(time("10:01", 20), "2")).toMatchObject({ ok: false, reason: "busy" });
    expect(await publish(time("10:01", 31), "2")).toMatchObject({ ok: true, reconnect: true });
  });

  it("treats a test push before the slot as a preview: the show begins at the slot's start", async () => {
    const { id, publish, time } = await book("2030-05-08");
    expect(await publish(time("09:51"), "1")).toEqual({ ok: true, state: "preview", reconnect: false });
    expect(await endPublish(db(), id, time("09:51", 15), "1")).toBe(true);
    let now = await row(id);
    expect(now.liveSince).toBeNull();
    expect(streamState(now, time("09:53"))).toBe("upcoming");
    // A preview is no show: nothing ends it, and its pause is no break.
    expect(await endQuietShows(db(), time("09:59"), 0.5)).not.toContain(id);
    expect(streamState(await row(id), time("09:59"))).toBe("upcoming");

    // The merchant starts the encoder again before the slot and leaves it running: the show
    // begins at the slot's start, on nginx's next update.
    await publish(time("09:58"), "2");
    expect(await mayKeepPublishing(db(), id, time("09:59"), "2")).toBe(true);
    expect((await row(id)).liveSince).toBeNull();
    expect(await mayKeepPublishing(db(), id, time("10:00", 4), "2")).toBe(true);
    now = await row(id);
    expect(now.liveSince).toEqual(time("10:00"));
    expect(streamState(now, time("10:00", 5))).toBe("live");
  });

  it(`ends after ${IDLE} minutes with no encoder, and then refuses the key`, async () => {
    const { id, publish, time } = await book("2030-05-09");
    await publish(time("10:01"), "1");
    await endPublish(db(), id, time("10:05"), "1");
    expect(await endQuietShows(db(), time("10:14"), IDLE)).not.toContain(id);
    expect(await endQuietShows(db(), time("10:15", 1), IDLE)).toEqual([id]);
    const ended = await row(id);
    expect(ended).toMatchObject({ endReason: "idle", liveEndedAt: time("10:15", 1) });
    expect(streamState(ended, time("10:16"))).toBe("ended");
    expect(await publish(time("10:16"), "2")).toEqual({ ok: false, reason: "ended" });
    expect(await mayKeepPublishing(db(), id, time("10:16"), "1")).toBe(false);
    // Idempotent: a second sweep ends nothing more.
    expect(await endQuietShows(db(), time("10:20"), IDLE)).not.toContain(id);
  });

  it("lets a dropped encoder back in after the slot's end, and ends the show at the cut-off", async () => {
    const { id, publish, time } = await book("2030-05-10");
    await publish(time("10:01"), "1");
    await endPublish(db(), id, time("11:01"), "1");
    expect(await publish(time("11:02"), "2")).toMatchObject({ ok: true });
    expect(await mayKeepPublishing(db(), id, time("11:05"), "2")).toBe(true);
    expect(await mayKeepPublishing(db(), id, time("11:05", 1), "2")).toBe(false);
    expect(await endQuietShows(db(), time("11:05"), IDLE)).not.toContain(id);
    expect(await endQuietShows(db(), time("11:06"), IDLE)).toEqual([id]);
    expect(await row(id)).toMatchObject({ endReason: "cutoff", liveEndedAt: time("11:05") });

    // A show never begun is not ended by the sweep (there is nothing to replay).
    const { booking: never } = await book("2030-05-13");
    expect(await endQuietShows(db(), at("2030-05-13", "12:00"), IDLE)).not.toContain(never.publicId);
  });

  it("ends when the merchant presses end; nobody else may, and not before it began", async () => {
    const { id, publish, time } = await book("2030-05-14");
    const snapshot = () => row(id);
    await kit.expectRefused(
      snapshot,
      () => endShow(db(), actors.owner, id, time("09:55")),
      "studio.errors.notLive",
      409,
    );
    await publish(time("10:01"), "1");
    for (const who of [actors.stallOwner, actors.resident, actors.president]) {
      await kit.expectRefused(snapshot, () => endShow(db(), who, id, time("10:20")), "errors.forbidden", 403);
    }
    await kit.expectRefused(snapshot, () => endShow(db(), null, id, time("10:20")), "errors.forbidden", 403);

    await endShow(db(), actors.owner, id, time("10:30"));
    expect(await row(id)).toMatchObject({ endReason: "merchant", liveEndedAt: time("10:30") });
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "studio.endShow"), eq(auditLog.subjectId, id)));
    expect(audit.actorId).toBe(actors.owner.userId);
    // The encoder is cut on nginx's next update, and the key publishes no more.
    expect(await mayKeepPublishing(db(), id, time("10:30"), "1")).toBe(false);
    expect(await publish(time("10:31"), "2")).toEqual({ ok: false, reason: "ended" });
    await kit.expectRefused(
      snapshot,
      () => endShow(db(), actors.owner, id, time("10:32")),
      "studio.errors.notLive",
      409,
    );
  });
});

describe("the callbacks as nginx-rtmp sends them, and the playlists", () => {
  let replays: ReplayRecorder;
  const token = "session-test-token";

  const served = useIngestServer("xq-sessions-", (hlsDir) => {
    const ingest = onlineIngest(hlsDir, token);
    replays = new ReplayRecorder(
      { db: db(), hlsDir, log: createLogger("silent") },
      { idleEndMinutes: IDLE, keepDays: 30, maxBytes: 0 },
    );
    return [
      rtmpCallbacks({ db: db(), ingest, log: createLogger("silent"), replays }),
      // Each request reads the state afresh (no 2 s cache): the test moves the clock across phases.
      hlsFiles({ db: db(), ingest, states: playbackStates(db(), 0) }),
    ];
  });

  /** What nginx-rtmp posts (its notify module's form fields), with the key from the publish URL. */
  const nginx = (event: string, form: Record<string, string>) =>
    fetch(`${served.base}/internal/rtmp/${token}/${event}`, {
      method: "POST",
      body: new URLSearchParams({ app: "live", tcurl: "rtmp://127.0.0.1:1935/live", addr: "127.0.0.1", ...form }),
    });
  const get = (file: string) => fetch(`${served.base}/hls/${file}`);
  /** nginx's sliding window after fragment `last` (of `count`), with a break before `breakAt`. */
  const slide = (id: string, last: number, count = 6, breakAt = -1) => {
    let text = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:${last - count + 1}\n#EXT-X-TARGETDURATION:1\n`;
    for (let n = last - count + 1; n <= last; n++) {
      text += `${n === breakAt ? "#EXT-X-DISCONTINUITY\n" : ""}#EXTINF:1.000,\n${id}-${n}.ts\n`;
      fs.writeFileSync(path.join(served.hlsDir, `${id}-${n}.ts`), Buffer.alloc(188, n));
    }
    fs.writeFileSync(path.join(served.hlsDir, `${id}.m3u8`), text);
  };

  it("shows a preview only with the merchant's link, keeps the show open across a refused encoder and a drop, and records one replay", async () => {
    // A slot starting in 5 minutes (written straight to the table: bookings keep half-hour steps).
    const [studio] = await db().select({ id: studios.id }).from(studios).where(eq(studios.code, "studio_b"));
    const key = newStreamKey();
    const startsAt = addMinutes(new Date(), 5);
    const [booking] = await db()
      .insert(bookings)
      .values({
        publicId: newPublicId(),
        studioId: studio.id,
        businessId: actors.owner.memberships[0].businessId,
        startsAt,
        endsAt: addMinutes(startsAt, 60),
        title: "预览测试",
        streamKeyHash: hashStreamKey(key),
      })
      .returning();
    const id = booking.publicId;
    const preview = previewToken(booking.streamKeyHash);

    expect((await nginx("publish", { call: "publish", name: id, key, type: "live", clientid: "11" })).status).toBe(200);
    slide(id, 5);
    await replays.copy(id);
    // The public sees nothing yet; the merchant's link plays it, fragments included.
    expect((await get(`${id}.m3u8`)).status).toBe(404);
    expect((await get(`${id}-5.ts`)).status).toBe(404);
    const previewList = await (await get(`${id}.m3u8?preview=${preview}`)).text();
    expect(previewList).toContain(`${id}-5.ts?preview=${preview}\n`);
    expect((await get(`${id}-5.ts?preview=${preview}`)).status).toBe(200);
    expect((await get(`${id}.m3u8?preview=wrong`)).status).toBe(404);
    expect((await get(`${id}.vod.m3u8`)).status).toBe(404);

    // The slot begins (moved to now) while the encoder runs: nginx's next update starts the show.
    await db()
      .update(bookings)
      .set({ startsAt: addMinutes(new Date(), -1) })
      .where(eq(bookings.id, booking.id));
    expect((await nginx("update", { call: "update_publish", name: id, clientid: "11" })).status).toBe(200);
    slide(id, 9);
    await replays.copy(id);
    expect((await get(`${id}.m3u8`)).status).toBe(200);

    // A second encoder with the same key: refused; nginx reports its close; nothing changes.
    const before = await row(id);
    expect((await nginx("publish", { call: "publish", name: id, key, type: "live", clientid: "12" })).status).toBe(403);
    expect((await nginx("publish-done", { call: "publish_done", name: id, clientid: "12" })).status).toBe(200);
    expect(await row(id)).toEqual(before);
    expect(await (await get(`${id}.m3u8`)).text()).not.toContain("#EXT-X-ENDLIST");

    // The encoder drops and comes back: the live playlist stays open, the replay notes the break.
    expect((await nginx("publish-done", { call: "publish_done", name: id, clientid: "11" })).status).toBe(200);
    expect(await (await get(`${id}.m3u8`)).text()).not.toContain("#EXT-X-ENDLIST");
    expect(streamState(await row(id), new Date())).toBe("live");
    expect((await nginx("publish", { call: "publish", name: id, key, type: "live", clientid: "13" })).status).toBe(200);
    // nginx may report an old connection's close after the new publish: the new one stays recorded.
    await replays.published(id, "11");
    slide(id, 14, 6, 10);
    await replays.copy(id);

    const vod = await (await get(`${id}.vod.m3u8`)).text();
    // Only the show's fragments (6–14; 0–5 were the preview), each once, with one break before 10.
    const uris = vod.split("\n").filter((l) => l.endsWith(".ts"));
    expect(uris).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => `${id}-${n}.ts`));
    expect(vod.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(vod).toMatch(/#EXT-X-DISCONTINUITY\n#EXTINF:1.000,\n\w+-10\.ts/);
    expect(vod).not.toContain("#EXT-X-ENDLIST");

    // The merchant ends it: both playlists are closed; the replay is a VOD.
    await endShow(db(), actors.owner, id);
    expect(await (await get(`${id}.m3u8`)).text()).toMatch(/#EXT-X-ENDLIST\n$/);
    expect(await (await get(`${id}.vod.m3u8`)).text()).toMatch(/#EXT-X-ENDLIST\n$/);
  });

  it("removes replays past their age, then the oldest while all of them take more than the cap", async () => {
    const day = "2030-06-03";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-replays-"));
    const ids: string[] = [];
    for (const [i, clock] of ["10:00", "12:00", "14:00"].entries()) {
      const { booking } = await bookSlot(
        db(),
        actors.owner,
        {
          businessId: actors.owner.memberships[0].businessId,
          studioCode: "studio_b",
          startsAt: at(day, clock),
          endsAt: addMinutes(at(day, clock), 60),
          title: `回放${i}`,
          description: "",
        },
        addMinutes(at(day, "10:00"), -60),
      );
      await db()
        .update(bookings)
        .set({ liveSince: at(day, clock), liveEndedAt: addMinutes(at(day, clock), 60 + i * 24 * 60) })
        .where(eq(bookings.id, booking.id));
      fs.writeFileSync(path.join(dir, `${booking.publicId}.vod.m3u8`), "#EXTM3U\n".padEnd(100, "#"));
      fs.writeFileSync(path.join(dir, `${booking.publicId}-replay.ts`), Buffer.alloc(1000));
      ids.push(booking.publicId);
    }
    const files = (id: string) => fs.readdirSync(dir).filter((f) => f.startsWith(id));
    const cleaner = (keepDays: number, maxBytes: number) =>
      new ReplayRecorder(
        { db: db(), hlsDir: dir, log: createLogger("silent") },
        { idleEndMinutes: IDLE, keepDays, maxBytes },
      );

    // (Shows of the other tests ended earlier and have no files here: the first to go, taking no room.)
    const later = addMinutes(at(day, "10:00"), 30 * 24 * 60);
    expect(await cleaner(0, 0).cleanUp(later)).toEqual([]);
    // Three replays of 1.1 kB under a 2.5 kB cap: the oldest goes, the other two stay.
    let removed = await cleaner(0, 2500).cleanUp(later);
    expect(removed).toContain(ids[0]);
    expect(removed).not.toContain(ids[1]);
    expect(files(ids[0])).toEqual([]);
    expect(files(ids[1]).length).toBe(2);
    expect((await row(ids[0])).replayRemovedAt).toEqual(later);
    // Kept 28 days: the second (ended 29 days before) goes, the third (28 days less 5 hours) stays.
    removed = await cleaner(28, 0).cleanUp(later);
    expect(removed).toEqual([ids[1]]);
    expect(files(ids[2]).length).toBe(2);
    expect((await row(ids[2])).replayRemovedAt).toBeNull();
    // The HLS route knows: no replay.
    fs.cpSync(path.join(dir, `${ids[2]}.vod.m3u8`), path.join(served.hlsDir, `${ids[1]}.vod.m3u8`));
    expect((await get(`${ids[1]}.vod.m3u8`)).status).toBe(404);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
