/**
 * HLS for many viewers (docs/decisions/023): the files are read from the HLS folder with no
 * database query per request (each process reads a stream's state at most once per 2 s), and a
 * live show whose ingest went silent (the ingest process was killed outright, so no publish-done
 * ever comes) is ended and marked interrupted by the background job any process runs.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "../../db/schema";
import {
  authorizePublish,
  INGEST_SILENCE_SECONDS,
  interruptSilentStreams,
  mayKeepPublishing,
} from "~/domain/studio/bookings.server";
import { backgroundJobs } from "~/domain/jobs/jobs.server";
import { addMinutes, streamState } from "~/domain/studio/slots";
import { hlsFiles, PLAYBACK_STATE_TTL_MS, playbackStates } from "../../livestream/ingest/http";
import { useStudioDatabase } from "../helpers/studio";
import { useIngestServer } from "../helpers/ingest";

const { kit, db, row } = useStudioDatabase();
const clock = { now: 1_000_000 };
let states: ReturnType<typeof playbackStates>;

const served = useIngestServer("xq-hls-serve-", (hlsDir) => {
  states = playbackStates(db(), PLAYBACK_STATE_TTL_MS, () => clock.now);
  return [hlsFiles({ db: db(), ingest: { hlsDir }, states })];
});

const T0 = new Date("2030-08-01T02:00:00Z");

async function liveStream() {
  const { publicId, startsAt } = await kit.newStream({ startsAt: T0, idPrefix: "hlsserve" });
  const at = addMinutes(startsAt, 1);
  // nginx's client id of the encoder's connection: the stream's name will do.
  expect(await authorizePublish(db(), publicId, publicId, at, publicId)).toMatchObject({ ok: true, state: "live" });
  return { publicId, at };
}

describe("HLS files for many viewers", () => {
  it("answers 200 playlist and fragment requests of one show with one database read per 2 s", async () => {
    const { publicId } = await liveStream();
    fs.writeFileSync(path.join(served.hlsDir, `${publicId}.m3u8`), `#EXTM3U\n#EXTINF:1.000,\n${publicId}-0.ts\n`);
    fs.writeFileSync(path.join(served.hlsDir, `${publicId}-0.ts`), Buffer.alloc(188 * 10));
    const before = states.queries();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${served.base}/hls/${i % 2 ? `${publicId}-0.ts` : `${publicId}.m3u8`}`).then((r) => r.status),
      ),
    );
    expect(answers.every((s) => s === 200)).toBe(true);
    expect(states.queries() - before).toBe(1);

    // The show is cancelled: within 2 s every process has read it again and stops serving it.
    await db().update(bookings).set({ status: "cancelled" }).where(eq(bookings.publicId, publicId));
    clock.now += PLAYBACK_STATE_TTL_MS;
    expect((await fetch(`${served.base}/hls/${publicId}.m3u8`)).status).toBe(404);
    expect((await fetch(`${served.base}/hls/${publicId}-0.ts`)).status).toBe(404);
    expect(states.queries() - before).toBe(2);
  });

  it("reads a stream it does not know once per 2 s too, and serves nothing for it", async () => {
    const before = states.queries();
    for (let i = 0; i < 20; i++) expect((await fetch(`${served.base}/hls/nosuchstream.m3u8`)).status).toBe(404);
    expect(states.queries() - before).toBe(1);
  });
});

describe("a live show whose ingest went silent", () => {
  it("is marked interrupted and lets its encoder go; shows the ingest still asks about are left alone", async () => {
    const silent = await liveStream();
    const heard = await liveStream();
    const later = (seconds: number, from: Date) => new Date(from.getTime() + seconds * 1000);
    // nginx asks `update` every 10 s for the stream it still carries.
    for (const s of [10, 20, 30, 40])
      expect(await mayKeepPublishing(db(), heard.publicId, later(s, heard.at), heard.publicId)).toBe(true);

    const now = later(INGEST_SILENCE_SECONDS + 15, silent.at);
    expect(await interruptSilentStreams(db(), later(INGEST_SILENCE_SECONDS - 5, silent.at))).not.toContain(
      silent.publicId,
    );
    const heardNow = later(INGEST_SILENCE_SECONDS + 15, heard.at);
    const interrupted = await interruptSilentStreams(db(), now < heardNow ? heardNow : now);
    expect(interrupted).toContain(silent.publicId);
    expect(interrupted).not.toContain(heard.publicId);
    const gone = await row(silent.publicId);
    expect(gone.interruptedAt).not.toBeNull();
    expect(gone.encoderClient).toBeNull();
    // The show goes on without an encoder (docs/decisions/022) until it comes back or the idle end.
    expect(streamState(gone, now)).toBe("live");
    expect(streamState(await row(heard.publicId), now)).toBe("live");

    // The encoder comes back through a working ingest: live, no longer interrupted.
    expect(await authorizePublish(db(), silent.publicId, silent.publicId, later(5, now), "c2")).toMatchObject({
      ok: true,
      reconnect: true,
    });
    const back = await row(silent.publicId);
    expect([back.interruptedAt, back.liveEndedAt, back.encoderClient]).toEqual([null, null, "c2"]);
  });

  it("is found by a background job that every process runs", () => {
    const job = backgroundJobs.find((j) => j.name === "interruptSilentStreams");
    expect(job?.everyMs).toBeLessThanOrEqual(INGEST_SILENCE_SECONDS * 1000);
  });
});
