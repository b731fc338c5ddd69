/**
 * The live-streaming journeys' helpers: an encoder pushing a test pattern, the merchant's go-live
 * page with the RTMP URL it shows, and a viewer's player that is live and playing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { signedInPage } from "./journey";
import { testPatternArgs } from "./media";

/** A test pattern with a tone, as OBS sends it (keyframe every second), pushed to `url` for up to `seconds`. */
export const push = (url: string, seconds: number) =>
  spawn("ffmpeg", testPatternArgs(url, seconds), { stdio: ["ignore", "ignore", "pipe"] });

/** The exit code of `child` once it has ended (null when a signal ended it). */
export const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", resolve),
  );

/** Where the page's player is in the stream, in seconds. */
export const currentTime = (page: Page) => page.getByTestId("player").evaluate((v: HTMLVideoElement) => v.currentTime);

/**
 * The demo shop owner signed in on the go-live page of `publicId` in a new page of `browser`, its
 * uncaught errors, and the URL an encoder pushes to: the RTMP server the page shows, the stream and `key`.
 */
export async function openGoLive(browser: { newPage(): Promise<Page> }, appUrl: string, publicId: string, key: string) {
  const { page, errors } = await signedInPage(browser, appUrl, "shopOwner", `/live/${publicId}/go-live`);
  const server = (await page.getByTestId("rtmp-server").textContent())!.trim();
  return { merchant: page, errors, url: `${server}/${publicId}?key=${key}` };
}

/**
 * `watch` opens `url`, shows the stream live, and its player plays: past 1 s within `timeout` ms,
 * then on by more than a second within `moreTimeout` ms.
 */
export async function expectPlaysLive(watch: Page, url: string, timeout: number, moreTimeout: number) {
  await watch.goto(url);
  await expect
    .poll(() => watch.getByTestId("stream-state").getAttribute("class"), { timeout })
    .toContain("live-state--live");
  await expect.poll(() => currentTime(watch), { timeout }).toBeGreaterThan(1);
  const first = await currentTime(watch);
  await expect.poll(() => currentTime(watch), { timeout: moreTimeout }).toBeGreaterThan(first + 1);
}

/** The seconds of media a playlist lists (its #EXTINF durations added up). */
export const playlistSeconds = (playlist: string) =>
  [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].reduce((s, m) => s + Number(m[1]), 0);

/** The merchant ends the show from the go-live page (reloaded first) and the page says it ended. */
export async function endShow(merchant: Page) {
  await merchant.reload();
  await merchant.getByRole("button", { name: "结束直播", exact: true }).click();
  await merchant.getByTestId("show-ended").waitFor();
}

/** The replay playlist of `publicId` once it is packed into one file (a byte-range playlist, within 60 s). */
export async function packedReplay(appUrl: string, publicId: string) {
  let packed = "";
  await expect
    .poll(async () => (packed = await (await fetch(`${appUrl}/hls/${publicId}.vod.m3u8`)).text()), {
      timeout: 60_000,
      interval: 2000,
    })
    .toContain("#EXT-X-BYTERANGE");
  return packed;
}
