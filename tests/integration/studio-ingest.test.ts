import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { loadUser } from "~/domain/accounts/accounts.server";
import { bookSlot, cancelBooking, endShow } from "~/domain/studio/bookings.server";
import { addMinutes, currentStep } from "~/domain/studio/slots";
import { createLogger } from "~/lib/log.server";
import { hlsFiles, playbackStates, rtmpCallbacks } from "../../livestream/ingest/http";
import { useTestDatabase } from "../helpers/kit";
import { onlineIngest, useIngestServer } from "../helpers/ingest";

const kit = useTestDatabase();
const { db } = kit;
const token = "test-callback-token";

beforeAll(async () => {
  // The studios open all day here, so the slot under way can be booked whenever the test runs.
  await db().execute(sql`update studios set opens_at = 0, closes_at = 1440`);
});
const served = useIngestServer("xq-hls-", (hlsDir) => {
  const ingest = onlineIngest(hlsDir, token);
  return [
    rtmpCallbacks({ db: db(), ingest, log: createLogger("silent") }),
    // No caching of the stream's state here (each step reads it again); the cache: hls-serving.test.ts.
    hlsFiles({ db: db(), ingest, states: playbackStates(db(), 0) }),
  ];
});

const callback = (event: string, form: Record<string, string>, withToken = token) =>
  fetch(`${served.base}/internal/rtmp/${withToken}/${event}`, { method: "POST", body: new URLSearchParams(form) });

describe("nginx-rtmp's callbacks and the HLS files", () => {
  it("lets the right key publish, ends the stream, and serves the playlist as a replay afterwards", async () => {
    const owner = await kit.demo("shopOwner");
    // The half hour under way, or the next one when this one is nearly over (its key works 10 minutes early).
    const now = new Date();
    const step = currentStep(now);
    const start = addMinutes(now, 2) > addMinutes(step, 30) ? addMinutes(step, 30) : step;
    const { booking, streamKey } = await bookSlot(db(), owner, {
      businessId: owner.memberships[0].businessId,
      studioCode: "studio_a",
      startsAt: start,
      endsAt: addMinutes(start, 30),
      title: "回调测试",
      description: "",
    });
    const id = booking.publicId;
    // The slot has begun (a publish before it is a preview only the merchant sees).
    await db()
      .update(bookings)
      .set({ startsAt: addMinutes(now, -1) })
      .where(eq(bookings.id, booking.id));

    expect((await callback("publish", { call: "publish", name: id, key: streamKey }, "wrong-token")).status).toBe(403);
    expect((await callback("publish", { call: "publish", name: id, key: "wrong" })).status).toBe(403);
    expect((await callback("publish", { call: "publish", name: "../etc", key: streamKey })).status).toBe(403);
    const [before] = await db().select().from(bookings).where(eq(bookings.id, booking.id));
    expect(before.liveSince).toBeNull();

    expect(
      (await callback("publish", { call: "publish", name: id, key: streamKey, type: "live", clientid: "3" })).status,
    ).toBe(200);
    expect((await callback("update", { call: "update_publish", name: id, clientid: "3" })).status).toBe(200);

    // What nginx writes while live: an EVENT playlist without an end.
    fs.writeFileSync(
      path.join(served.hlsDir, `${id}.m3u8`),
      "#EXTM3U\n#EXT-X-PLAYLIST-TYPE: EVENT\n#EXTINF:1.000,\n" + `${id}-0.ts\n`,
    );
    fs.writeFileSync(path.join(served.hlsDir, `${id}-0.ts`), Buffer.alloc(188));
    let playlist = await fetch(`${served.base}/hls/${id}.m3u8`);
    expect(playlist.status).toBe(200);
    expect(playlist.headers.get("cache-control")).toBe("no-cache");
    expect(playlist.headers.get("content-type")).toContain("application/vnd.apple.mpegurl");
    expect(await playlist.text()).not.toContain("#EXT-X-ENDLIST");
    const fragment = await fetch(`${served.base}/hls/${id}-0.ts`);
    expect(fragment.headers.get("content-type")).toBe("video/mp2t");
    expect((await fetch(`${served.base}/hls/${id}-9.ts`)).status).toBe(404);
    expect((await fetch(`${served.base}/hls/nosuchstream.m3u8`)).status).toBe(404);

    expect((await callback("publish_done", { name: id })).status).toBe(404);
    // The encoder's close leaves the show open (it may reconnect); the merchant's "end" closes it.
    expect((await callback("publish-done", { call: "publish_done", name: id, clientid: "3" })).status).toBe(200);
    expect(await (await fetch(`${served.base}/hls/${id}.m3u8`)).text()).not.toContain("#EXT-X-ENDLIST");
    await endShow(db(), owner, id);
    playlist = await fetch(`${served.base}/hls/${id}.m3u8`);
    expect(await playlist.text()).toMatch(/#EXT-X-ENDLIST\n$/);
    // A show recorded before replays had their own playlist: its EVENT playlist is the replay.
    playlist = await fetch(`${served.base}/hls/${id}.vod.m3u8`);
    expect(playlist.status).toBe(200);
    expect(await playlist.text()).toMatch(/-0\.ts\n#EXT-X-ENDLIST\n$/);

    // Cancelled: the key no longer publishes, and the files are no longer served.
    const president = (await loadUser(db(), DEMO_USERS.president.id))!;
    await cancelBooking(db(), president, id, "测试");
    expect((await callback("publish", { call: "publish", name: id, key: streamKey })).status).toBe(403);
    expect((await callback("update", { call: "update_publish", name: id })).status).toBe(403);
    expect((await fetch(`${served.base}/hls/${id}.m3u8`)).status).toBe(404);
  });
});
