import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "~/domain/accounts/actor";
import { createAuth } from "~/domain/accounts/auth.server";
import {
  authorizeBrowserPublish,
  authorizePublish,
  cancelBooking,
  VOUCHED_BY_BROWSER_PUBLISH,
} from "~/domain/studio/bookings.server";
import { addMinutes, PUBLISH_LEAD_MINUTES as PUBLISH_LEAD } from "~/domain/studio/slots";
import { createLogger } from "~/lib/log.server";
import { attachGateway } from "../../livestream/gateway";
import { BrowserIngest } from "../../livestream/ingest/browser";
import type { BrowserPublishReply } from "../../livestream/ingest/browser-protocol";
import { testClock } from "../helpers/kit";
import { closeServer, listenLocally } from "../helpers/server";
import { useStudioDatabase } from "../helpers/studio";

/** Issue 18, item 6: going live from the go-live page's camera, checked in the domain. */
const { kit, db, actors, row } = useStudioDatabase();
const clock = testClock("2030-05-06T02:00:00Z");

describe("who may go live from a browser, and when", () => {
  it("lets the booking's business in its window, refuses everyone else and other times, writing nothing", async () => {
    const { publicId, startsAt } = await kit.newStream({ startsAt: clock.T0 });
    const inWindow = addMinutes(startsAt, -PUBLISH_LEAD);
    await expect(authorizeBrowserPublish(db(), actors.owner, publicId, inWindow)).resolves.toEqual({ publicId });
    await expect(authorizeBrowserPublish(db(), actors.owner, publicId, addMinutes(startsAt, 60))).resolves.toEqual({
      publicId,
    });
    const snapshot = () => row(publicId);
    for (const who of [actors.stallOwner, actors.resident, actors.president, null]) {
      await kit.expectRefused(
        snapshot,
        () => authorizeBrowserPublish(db(), who, publicId, startsAt),
        "errors.forbidden",
        403,
      );
    }
    await kit.expectRefused(
      snapshot,
      () => authorizeBrowserPublish(db(), actors.owner, publicId, addMinutes(inWindow, -0.1)),
      "studio.errors.outsidePublishWindow",
      409,
    );
    await kit.expectRefused(
      snapshot,
      () => authorizeBrowserPublish(db(), actors.owner, publicId, addMinutes(startsAt, 60.1)),
      "studio.errors.outsidePublishWindow",
      409,
    );
    await kit.expectRefused(
      snapshot,
      () => authorizeBrowserPublish(db(), actors.owner, "nosuchshow", startsAt),
      "errors.notFound",
      404,
    );
    expect((await row(publicId)).liveSince).toBeNull();

    // The server's own encoder publishes without the key, under the same window and status rules.
    expect(await authorizePublish(db(), publicId, VOUCHED_BY_BROWSER_PUBLISH, addMinutes(inWindow, -0.1))).toEqual({
      ok: false,
      reason: "outsideWindow",
    });
    expect(await authorizePublish(db(), publicId, VOUCHED_BY_BROWSER_PUBLISH, startsAt)).toMatchObject({
      ok: true,
      state: "live",
    });
    expect((await row(publicId)).liveSince).toEqual(startsAt);
  });

  it("refuses a cancelled booking", async () => {
    const { publicId, startsAt } = await kit.newStream({ startsAt: clock.T0 });
    await cancelBooking(db(), actors.president, publicId, "场地检修", addMinutes(startsAt, -120));
    await kit.expectRefused(
      () => row(publicId),
      () => authorizeBrowserPublish(db(), actors.owner, publicId, startsAt),
      "studio.errors.alreadyCancelled",
      409,
    );
    expect(await authorizePublish(db(), publicId, VOUCHED_BY_BROWSER_PUBLISH, startsAt)).toEqual({
      ok: false,
      reason: "cancelled",
    });
  });
});

describe("the /publish socket", () => {
  let server: http.Server;
  let url: string;
  let browser: BrowserIngest;
  let now = clock.T0;
  let scratch: string;
  const sockets: Socket[] = [];
  const auth = () => createAuth(db(), { secure: false });

  beforeAll(async () => {
    // Stands in for ffmpeg: writes its arguments and everything it is sent into the scratch folder.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "xq-browser-publish-"));
    const fakeFfmpeg = path.join(scratch, "ffmpeg");
    fs.writeFileSync(
      fakeFfmpeg,
      `#!/bin/sh\nfor last; do :; done\nout="${scratch}/$(basename "$last" | sed 's/?.*//')"\nprintf '%s\\n' "$@" > "$out.args"\ncat > "$out.stdin"\n`,
      { mode: 0o755 },
    );
    browser = new BrowserIngest({
      db: db(),
      auth: auth(),
      log: createLogger("silent"),
      ingest: {
        online: () => true,
        rtmpPort: 1,
        hlsDir: scratch,
        callbackToken: "x",
        streamStats: () => Promise.resolve(null),
      },
      ffmpegBin: fakeFfmpeg,
      now: () => now,
    });
    server = http.createServer();
    attachGateway(server, { db: db(), auth: auth(), log: createLogger("silent"), browserIngest: browser });
    url = await listenLocally(server);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await closeServer(server);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function open(who: User | null): Promise<Socket> {
    const headers: Record<string, string> = { origin: url };
    if (who) {
      const session = await auth().createSession(who.userId, {});
      headers.cookie = auth().createSessionCookie(session.id).serialize().split(";")[0];
    }
    const socket = connect(`${url}/publish`, { extraHeaders: headers, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  }
  const start = (socket: Socket, publicId: string, mimeType = "video/webm;codecs=h264,opus") =>
    socket.emitWithAck("publish:start", { publicId, mimeType }) as Promise<BrowserPublishReply>;

  it("refuses another merchant, a resident, a visitor and the wrong time, and starts no encoder", async () => {
    const { publicId, startsAt } = await kit.newStream({ startsAt: clock.T0 });
    now = startsAt;
    for (const who of [actors.stallOwner, actors.resident, null]) {
      const reply = await start(await open(who), publicId);
      expect(reply).toMatchObject({ ok: false, error: "errors.forbidden" });
    }
    now = addMinutes(startsAt, -30);
    expect(await start(await open(actors.owner), publicId)).toMatchObject({
      ok: false,
      error: "studio.errors.outsidePublishWindow",
      message: "现在不能开播：开播前 10 分钟起到结束时间为止才可以推流。",
    });
    expect(browser.publishing()).toEqual([]);
    expect(fs.existsSync(path.join(scratch, `${publicId}.args`))).toBe(false);
    expect((await row(publicId)).liveSince).toBeNull();
  });

  it("runs one encoder per show with a one-time ticket, never the key, and passes the chunks in order", async () => {
    const { publicId, startsAt } = await kit.newStream({ startsAt: clock.T0 });
    now = startsAt;
    const socket = await open(actors.owner);
    expect(await start(socket, publicId)).toEqual({ ok: true, videoCodec: "h264" });
    expect(browser.publishing()).toEqual([publicId]);
    // A second browser for the same show is refused while the first runs.
    expect(await start(await open(actors.owner), publicId)).toMatchObject({
      ok: false,
      error: "studio.goLive.browser.busy",
    });

    for (const part of ["one,", "two,", "three"]) socket.emit("publish:chunk", new TextEncoder().encode(part).buffer);
    await socket.emitWithAck("publish:stop");
    await expect.poll(() => browser.publishing(), { timeout: 5000 }).toEqual([]);
    await expect
      .poll(() => fs.readFileSync(path.join(scratch, `${publicId}.stdin`), "utf8"), { timeout: 5000 })
      .toBe("one,two,three");

    const args = fs
      .readFileSync(path.join(scratch, `${publicId}.args`), "utf8")
      .trim()
      .split("\n");
    expect(args).toContain("copy"); // H.264 from the browser is not encoded again
    const target = new URL(args[args.length - 1]);
    expect(`${target.protocol}//${target.host}${target.pathname}`).toBe(`rtmp://127.0.0.1:1/live/${publicId}`);
    const ticket = target.searchParams.get("key")!;
    expect(ticket).not.toBe(publicId); // (this booking's stream key is its public id)
    // The process that ran ffmpeg exited, so its ticket is gone: nothing can publish with it.
    expect(await browser.takeTicket(publicId, ticket)).toBe(false);
  });

  it("accepts the ticket once, for its own show only", async () => {
    const { publicId, startsAt } = await kit.newStream({ startsAt: clock.T0 });
    const other = await kit.newStream({ startsAt: clock.T0 });
    now = startsAt;
    const socket = await open(actors.owner);
    expect(await start(socket, publicId, "video/webm;codecs=vp8,opus")).toEqual({ ok: true, videoCodec: "other" });
    await expect.poll(() => fs.existsSync(path.join(scratch, `${publicId}.args`)), { timeout: 5000 }).toBe(true);
    const args = fs
      .readFileSync(path.join(scratch, `${publicId}.args`), "utf8")
      .trim()
      .split("\n");
    expect(args).toContain("libx264"); // VP8 is encoded, with a keyframe every second
    const ticket = new URL(args[args.length - 1]).searchParams.get("key")!;
    expect(await browser.takeTicket(other.publicId, ticket)).toBe(false);
    expect(await browser.takeTicket(publicId, "not-the-ticket")).toBe(false);
    expect(await browser.takeTicket(publicId, ticket)).toBe(true);
    expect(await browser.takeTicket(publicId, ticket)).toBe(false);
    socket.disconnect(); // closing the page ends the upload
    await expect.poll(() => browser.publishing(), { timeout: 5000 }).toEqual([]);
  });
});
