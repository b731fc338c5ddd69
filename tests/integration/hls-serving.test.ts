/**
 * HLS for many viewers (docs/decisions/023): the files are read from the HLS folder with no
 * database query per request (each process reads a stream's state at most once per 2 s), and a
 * live show whose ingest went silent (the ingest process was killed outright, so no publish-done
 * ever comes) is ended and marked interrupted by the background job any process runs.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import express from "express";
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
import { hlsFileCache, type HlsFileCache } from "../../livestream/ingest/file-cache";
import { useStudioDatabase } from "../helpers/studio";
import { useIngestServer } from "../helpers/ingest";
import { closeServer, listenLocally } from "../helpers/server";

const { kit, db, row } = useStudioDatabase();
const clock = { now: 1_000_000 };
let states: ReturnType<typeof playbackStates>;
let files: HlsFileCache;
const RECHECK_MS = 100;

const served = useIngestServer("xq-hls-serve-", (hlsDir) => {
  states = playbackStates(db(), PLAYBACK_STATE_TTL_MS, () => clock.now);
  files = hlsFileCache({ recheckMs: RECHECK_MS, clock: () => clock.now });
  return [hlsFiles({ db: db(), ingest: { hlsDir }, states, files })];
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

describe("HLS files from memory (docs/decisions/041)", () => {
  const write = (name: string, data: string | Buffer) => fs.writeFileSync(path.join(served.hlsDir, name), data);
  const later = (ms: number, file: string) => {
    // A rewrite within the same millisecond could keep the time: make the change visible.
    const at = new Date(Date.now() + ms);
    fs.utimesSync(path.join(served.hlsDir, file), at, at);
  };

  it("reads each fragment and playlist once while it is unchanged, and again once nginx rewrites it", async () => {
    const { publicId } = await liveStream();
    const fragment = Buffer.from(Array.from({ length: 188 * 50 }, (_, i) => i % 251));
    write(`${publicId}.m3u8`, `#EXTM3U\n#EXTINF:1.000,\n${publicId}-7.ts\n`);
    write(`${publicId}-7.ts`, fragment);
    const before = files.stats().reads;
    const bodies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${served.base}/hls/${publicId}${i % 2 ? "-7.ts" : ".m3u8"}`).then(async (r) => ({
          status: r.status,
          body: Buffer.from(await r.arrayBuffer()),
        })),
      ),
    );
    expect(bodies.every((b) => b.status === 200)).toBe(true);
    expect(bodies.filter((_, i) => i % 2).every((b) => b.body.equals(fragment))).toBe(true);
    expect(bodies.filter((_, i) => i % 2 === 0).every((b) => b.body.toString().includes(`${publicId}-7.ts`))).toBe(
      true,
    );
    expect(files.stats().reads - before).toBe(2);

    // nginx slides the window: once the held copy is RECHECK_MS old, the new playlist is served.
    write(`${publicId}.m3u8`, `#EXTM3U\n#EXTINF:1.000,\n${publicId}-7.ts\n#EXTINF:1.000,\n${publicId}-8.ts\n`);
    later(1000, `${publicId}.m3u8`);
    clock.now += RECHECK_MS;
    expect(await (await fetch(`${served.base}/hls/${publicId}.m3u8`)).text()).toContain(`${publicId}-8.ts`);
    // A fragment rewritten (one first read while still being written) is read again.
    const whole = Buffer.concat([fragment, fragment]);
    write(`${publicId}-7.ts`, whole);
    later(1000, `${publicId}-7.ts`);
    clock.now += RECHECK_MS;
    const again = await fetch(`${served.base}/hls/${publicId}-7.ts`);
    expect(Buffer.from(await again.arrayBuffer()).equals(whole)).toBe(true);
    expect(files.stats().reads - before).toBe(4);

    // nginx removes it from the folder: gone.
    fs.rmSync(path.join(served.hlsDir, `${publicId}-7.ts`));
    clock.now += RECHECK_MS;
    expect((await fetch(`${served.base}/hls/${publicId}-7.ts`)).status).toBe(404);
  });

  it("answers a fragment with the headers, revalidation and ranges of a file", async () => {
    const { publicId } = await liveStream();
    const fragment = Buffer.alloc(188 * 20, 0x47);
    write(`${publicId}-3.ts`, fragment);
    const url = `${served.base}/hls/${publicId}-3.ts`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("video/mp2t");
    expect(first.headers.get("content-length")).toBe(String(fragment.length));
    expect(first.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    // (fetch would add `Cache-Control: no-cache` to a conditional request, which forbids a 304.)
    const revalidated = await new Promise<number>((resolve, reject) =>
      http.get(url, { headers: { "If-None-Match": etag } }, (r) => resolve(r.resume().statusCode!)).on("error", reject),
    );
    expect(revalidated).toBe(304);
    const range = await fetch(url, { headers: { Range: "bytes=188-375" } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).equals(fragment.subarray(188, 376))).toBe(true);
    const playlist = await fetch(`${served.base}/hls/${publicId}.m3u8`);
    expect(playlist.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("keeps no more than its limit, the least recently asked for leaving first", async () => {
    const { publicId } = await liveStream();
    const small = hlsFileCache({ maxBytes: 3000, recheckMs: RECHECK_MS, clock: () => clock.now });
    const app = express();
    app.use(hlsFiles({ db: db(), ingest: { hlsDir: served.hlsDir }, states, files: small }));
    const server = http.createServer(app);
    const base = await listenLocally(server);
    try {
      for (const n of [1, 2, 3]) write(`${publicId}-${n}.ts`, Buffer.alloc(1000, n));
      for (const n of [1, 2, 3, 1]) expect((await fetch(`${base}/hls/${publicId}-${n}.ts`)).status).toBe(200);
      expect(small.stats()).toMatchObject({ bytes: 3000, reads: 3 });
      write(`${publicId}-4.ts`, Buffer.alloc(1000, 4));
      expect((await fetch(`${base}/hls/${publicId}-4.ts`)).status).toBe(200);
      expect(small.stats().bytes).toBe(3000);
      // 2 was the least recently asked for: read again; 1 was asked for since: still held.
      for (const n of [1, 2]) await fetch(`${base}/hls/${publicId}-${n}.ts`);
      expect(small.stats().reads).toBe(5);
    } finally {
      await closeServer(server);
    }
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
