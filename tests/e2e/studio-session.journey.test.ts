import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { haveMediaTools } from "../helpers/media";
import { useShows } from "../helpers/e2e-studio";
import { fitsWidth } from "../helpers/journey";
import { currentTime, endShow, exited, packedReplay, playlistSeconds, push } from "../helpers/live";

const { browser: haveBrowser } = inject("e2e");

const haveMedia = haveMediaTools("The studio session journey");

// Two bookings of S0001 written into this app's copy of the district: one whose slot has begun,
// one starting in 9 minutes (inside the 10-minute lead, so a test push is a preview).
const KEY = "journeyKeyAbcdefghijklmn";
const LIVE = "jrnylive2345";
const SOON = "jrnysoon2345";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stateOf = (page: Page) => page.getByTestId("stream-state").getAttribute("class");

/** Pushes until nginx takes the key (a refused encoder exits at once); returns it and the tries. */
async function pushUntilTaken(url: string, seconds: number) {
  for (let tries = 1; ; tries++) {
    const encoder = push(url, seconds);
    const gone = await Promise.race([exited(encoder).then(() => true), sleep(4000).then(() => false)]);
    if (!gone) return { encoder, tries };
    if (tries > 60) throw new Error("the key was never taken again");
    await sleep(500);
  }
}

describe.runIf(haveBrowser && haveMedia)("a show is one session, whatever its encoder does", () => {
  const { app, goLive } = useShows(KEY, [
    { publicId: LIVE, studio: "studio_a", from: -1, to: 60, title: "断线重连测试" },
    { publicId: SOON, studio: "studio_b", from: 9, to: 69, title: "开播前试推" },
  ]);

  it(
    "stays live through kill -9 and a 20 s gap, reconnects after SIGSTOP, ends on the merchant's word, and replays the whole show",
    { timeout: 300_000 },
    async () => {
      const { merchant, errors, url } = await goLive(LIVE);

      const first = push(url, 600);
      const shopperContext = await launchBrowser();
      const encoders: ChildProcess[] = [first];
      try {
        const watch = await shopperContext.newPage();
        watch.on("pageerror", (e) => errors.push(e.message));
        // What the player fetches: the playlist bytes a viewer costs.
        let playlistBytes = 0;
        let playlistRequests = 0;
        watch.on("response", (r) => {
          if (!r.url().includes(".m3u8")) return;
          playlistRequests += 1;
          void r
            .body()
            .then((b) => (playlistBytes += b.length))
            .catch(() => {});
        });
        await watch.goto(`${app.url}/live/${LIVE}`);
        await expect.poll(() => stateOf(watch), { timeout: 20_000 }).toContain("live-state--live");
        await expect.poll(() => currentTime(watch), { timeout: 30_000 }).toBeGreaterThan(3);

        const sampleFrom = Date.now();
        const [bytes0, requests0] = [playlistBytes, playlistRequests];
        await sleep(15_000);
        const perMinute = ((playlistBytes - bytes0) * 60_000) / (Date.now() - sampleFrom);
        console.log(
          `[figures] live playlist: ${Math.round(perMinute)} bytes per viewer per minute (${playlistRequests - requests0} requests in 15 s)`,
        );

        // kill -9 the encoder; 20 s later it comes back with the same key.
        first.kill("SIGKILL");
        await exited(first);
        await sleep(20_000);
        expect(await stateOf(watch)).toContain("live-state--live");
        expect(await watch.getByRole("heading", { name: "回放" }).count()).toBe(0);
        const beforeReturn = await currentTime(watch);
        const { encoder: second } = await pushUntilTaken(url, 600);
        encoders.push(second);
        // The open page picks the stream up again by itself.
        await expect.poll(() => currentTime(watch), { timeout: 45_000 }).toBeGreaterThan(beforeReturn + 3);
        expect(await stateOf(watch)).toContain("live-state--live");

        // A phone's network dies silently (SIGSTOP): nginx drops it, the same key gets back in.
        await sleep(4000);
        second.kill("SIGSTOP");
        const stoppedAt = Date.now();
        const { encoder: third, tries } = await pushUntilTaken(url, 600);
        encoders.push(third);
        console.log(
          `[figures] reconnect after SIGSTOP: taken ${((Date.now() - stoppedAt - 4000) / 1000).toFixed(1)} s after the stop (${tries} tries); load ${fs.readFileSync("/proc/loadavg", "utf8").trim()}`,
        );
        second.kill("SIGKILL");
        const beforeThird = await currentTime(watch);
        await expect.poll(() => currentTime(watch), { timeout: 45_000 }).toBeGreaterThan(beforeThird + 3);
        await sleep(4000);

        // The replay so far runs across both breaks.
        const growing = await (await fetch(`${app.url}/hls/${LIVE}.vod.m3u8`)).text();
        expect(growing.match(/#EXT-X-DISCONTINUITY/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
        const recorded = playlistSeconds(growing);
        const oldStyleBytes = growing.length;

        // The merchant ends the show on the go-live page; the encoder is cut, the page turns to the replay.
        await endShow(merchant);
        await fitsWidth(merchant);
        expect(await exited(third)).not.toBe(0);
        await watch.getByRole("heading", { name: "回放" }).waitFor({ timeout: 20_000 });

        // Packed into one file with a byte-range playlist.
        const packed = await packedReplay(app.url, LIVE);
        expect(packed).toContain(`${LIVE}-replay.ts`);
        expect(packed).toMatch(/#EXT-X-ENDLIST\n?$/);
        const packedSeconds = playlistSeconds(packed);
        expect(packedSeconds).toBeGreaterThan(recorded - 2);
        console.log(
          `[figures] the old growing live playlist would be ${oldStyleBytes} bytes after ${Math.round(recorded)} s of show (${Math.round(oldStyleBytes * 60)} bytes per viewer per minute at one fetch a second)`,
        );

        // The replay plays from the start, across the breaks, to the end.
        await watch.reload();
        await watch.getByRole("heading", { name: "回放" }).waitFor();
        await expect
          .poll(() => watch.getByTestId("player").evaluate((v: HTMLVideoElement) => v.duration), { timeout: 20_000 })
          .toBeGreaterThan(recorded - 3);
        for (const fraction of [0.3, 0.6]) {
          await watch.getByTestId("player").evaluate((v: HTMLVideoElement, f) => {
            v.currentTime = v.duration * f;
            void v.play();
          }, fraction);
          const from = await currentTime(watch);
          await expect.poll(() => currentTime(watch), { timeout: 20_000 }).toBeGreaterThan(from + 1);
        }
        await watch.getByTestId("player").evaluate((v: HTMLVideoElement) => {
          v.currentTime = v.duration - 2;
          void v.play();
        });
        await expect
          .poll(() => watch.getByTestId("player").evaluate((v: HTMLVideoElement) => v.ended), { timeout: 30_000 })
          .toBe(true);

        // The key reached no log: nginx's (access and error) nor the app's.
        const logDir = path.join(app.app.dataDir, "nginx", "logs");
        const logs = fs.readdirSync(logDir);
        expect(logs).toContain("rtmp-access.log");
        expect(fs.readFileSync(path.join(logDir, "rtmp-access.log"), "utf8")).toContain(LIVE);
        for (const log of logs) expect(fs.readFileSync(path.join(logDir, log), "utf8")).not.toContain(KEY);
        expect(app.app.output()).not.toContain(KEY);
      } finally {
        for (const encoder of encoders) encoder.kill("SIGKILL");
        await shopperContext.close();
      }
      expect(errors).toEqual([]);
    },
  );

  it("keeps a test push before the slot a preview: the public page stays upcoming", { timeout: 120_000 }, async () => {
    // A browser of its own: the merchant signs in afresh.
    const merchantContext = await launchBrowser();
    const { merchant, errors, url } = await goLive(SOON, merchantContext);
    const encoder = push(url, 15);
    const shopperContext = await launchBrowser();
    try {
      const watch = await shopperContext.newPage();
      watch.on("pageerror", (e) => errors.push(e.message));
      await watch.goto(`${app.url}/live/${SOON}`);
      // The merchant sees the preview on the go-live page.
      await merchant.getByTestId("preview").waitFor({ timeout: 20_000 });
      await expect
        .poll(
          () =>
            merchant
              .getByTestId("preview")
              .getByTestId("player")
              .evaluate((v: HTMLVideoElement) => v.currentTime),
          {
            timeout: 20_000,
          },
        )
        .toBeGreaterThan(1);
      await fitsWidth(merchant);
      if (process.env.XQ_SCREENSHOTS)
        await merchant.screenshot({
          path: path.join(process.env.XQ_SCREENSHOTS, "go-live-preview.png"),
          fullPage: true,
        });
      // The public sees "upcoming", and nothing to play.
      expect(await stateOf(watch)).toContain("live-state--upcoming");
      expect((await fetch(`${app.url}/hls/${SOON}.m3u8`)).status).toBe(404);
      expect(await exited(encoder)).toBe(0);
      await sleep(5000);
      expect(await stateOf(watch)).toContain("live-state--upcoming");
      expect(await watch.getByRole("heading", { name: "回放" }).count()).toBe(0);
      await watch.reload();
      expect(await stateOf(watch)).toContain("live-state--upcoming");
    } finally {
      encoder.kill("SIGKILL");
      await shopperContext.close();
      await merchantContext.close();
    }
    expect(errors).toEqual([]);
  });
});
