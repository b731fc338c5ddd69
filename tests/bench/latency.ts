import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDistrict } from "../../db/seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../../db/seed/demo";
import { hashStreamKey } from "../../app/domain/studio/bookings.server";
import { addMinutes, currentStep } from "../../app/domain/studio/slots";
import { freePort, startApp } from "../helpers/app";
import { fakeCameraArgs, launchBrowser } from "../helpers/browser";
import { testPatternArgs } from "../helpers/media";

const PUBLIC_ID = "benchlatency1";
const KEY = "bench-key";

/**
 * Glass-to-glass latency of the studio: from a frame leaving ffmpeg to it being on screen in
 * Chromium (hls.js, as the watch page plays it).
 *
 * Method: nginx-rtmp's statistics give the stream's age (`<time>`, ms since the publish began),
 * which fixes the wall-clock instant the encoder's timestamp 0 left ffmpeg. The player's
 * currentTime is the stream timestamp on screen (the EVENT playlist starts at fragment 0). So
 * latency = (wall clock now - publish start) - currentTime, sampled every 500 ms in the page.
 */
export async function benchLatency(options: { keyframeSeconds?: number } = {}) {
  const { root, seeded } = await seededWithShow("xq-bench-live-", PUBLIC_ID, "1");

  const [rtmpPort, statsPort] = [await freePort(), await freePort()];
  const app = await startApp({
    seededDataDir: seeded,
    env: { RTMP_PORT: String(rtmpPort), RTMP_STATS_PORT: String(statsPort) },
  });
  const browser = await launchBrowser({ width: 1280, height: 720, axe: false });
  const encoder = spawn(
    "ffmpeg",
    testPatternArgs(`rtmp://127.0.0.1:${rtmpPort}/live/${PUBLIC_ID}?key=${KEY}`, 45, {
      size: "1280x720",
      bitrate: "2500k",
      keyframeSeconds: options.keyframeSeconds,
    }),
    { stdio: "ignore" },
  );
  try {
    // When did timestamp 0 leave the encoder? The stream's age in nginx's statistics says.
    let publishStart = Number.NaN;
    for (let i = 0; i < 50 && Number.isNaN(publishStart); i++) {
      await new Promise((r) => setTimeout(r, 200));
      const xml = await fetch(`http://127.0.0.1:${statsPort}/stat`)
        .then((r) => r.text())
        .catch(() => "");
      const stream = /<stream>\s*<name>benchlatency1<\/name>\s*<time>(\d+)<\/time>/.exec(xml);
      if (stream) publishStart = Date.now() - Number(stream[1]);
    }
    if (Number.isNaN(publishStart)) throw new Error("the stream never reached nginx-rtmp");

    const page = await browser.newPage();
    await page.goto(`${app.url}/live/${PUBLIC_ID}`);
    await page.getByTestId("player").waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 2, undefined, {
      timeout: 30_000,
    });
    // Let the player settle at its live position, then sample for 15 s.
    await new Promise((r) => setTimeout(r, 6000));
    const latency = await sampleLatency(page, publishStart);
    return {
      ...latency,
      "keyframe interval, s": options.keyframeSeconds ?? 1,
      "target, s": 3,
      "load average (1 min) at the end": os.loadavg()[0].toFixed(2),
    };
  } finally {
    encoder.kill("SIGINT");
    await browser.close();
    await app.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Glass-to-glass latency of a browser go-live (docs/decisions/024): Chromium with a fake camera
 * signs in as the demo shop owner, taps "用手机直播" on the go-live page, and a second page in the
 * same browser watches the show with hls.js.
 *
 * Method: the go-live page marks when MediaRecorder started (`data-started-at`), the instant of
 * the stream's timestamp 0 (H.264 is copied, so ffmpeg keeps the recorder's timestamps). Both pages
 * share one clock, so latency = (now - recording start) - the watch page's currentTime, sampled
 * every 500 ms. The fake camera's own capture delay (a few ms) is not counted.
 */
export async function benchBrowserLatency() {
  const publicId = "benchbrowser1";
  const { root, seeded } = await seededWithShow(
    "xq-bench-browser-live-",
    publicId,
    "(select id from businesses where code = 'S0001')",
  );

  const app = await startApp({ seededDataDir: seeded });
  const browser = await launchBrowser({ width: 360, height: 740, args: fakeCameraArgs });
  try {
    const phone = await browser.newPage();
    await phone.goto(`${app.url}/login?redirectTo=${encodeURIComponent(`/live/${publicId}/go-live`)}`);
    await phone.getByLabel("手机号").fill(DEMO_USERS.shopOwner.phone);
    await phone.getByLabel("密码").fill(DEMO_PASSWORD);
    await phone.getByRole("button", { name: "登录" }).click();
    await phone.getByRole("button", { name: "用手机直播", exact: true }).click();
    await phone.waitForSelector("[data-started-at]", { timeout: 20_000 });
    const startedAt = Number(await phone.getAttribute("[data-started-at]", "data-started-at"));
    const codec = await phone.getByTestId("phone-publisher-status").textContent();

    const page = await browser.newPage();
    await page.goto(`${app.url}/live/${publicId}`);
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 2, undefined, {
      timeout: 40_000,
    });
    await new Promise((r) => setTimeout(r, 6000));
    const latency = await sampleLatency(page, startedAt);
    return {
      "recorded as": codec ?? "",
      ...latency,
      "load average (1 min) at the end": os.loadavg()[0].toFixed(2),
    };
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * How far behind the publisher the page's video plays: 30 samples, 0.5 s apart, of the time
 * since `startedAt` (the publisher's clock) less the video's position; median, 90th percentile, range.
 */
async function sampleLatency(page: Page, startedAt: number) {
  const samples = await page.evaluate(async (startedAt) => {
    const video = document.querySelector("video")!;
    const out: number[] = [];
    for (let i = 0; i < 30; i++) {
      out.push((Date.now() - startedAt) / 1000 - video.currentTime);
      await new Promise((r) => setTimeout(r, 500));
    }
    return out;
  }, startedAt);
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    "glass-to-glass latency, s (median of 30 samples)": pick(0.5).toFixed(2),
    "glass-to-glass latency, s (90th percentile)": pick(0.9).toFixed(2),
    "glass-to-glass latency, s (min–max)": `${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}`,
  };
}

/**
 * A seeded data folder (in a new temporary `root`) whose studio 1 is open all day, with the show
 * `publicId` of `business` (an SQL expression for its id) booked there for the next hour.
 */
async function seededWithShow(prefix: string, publicId: string, business: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const seeded = path.join(root, "pglite");
  const database = await openDatabase({ dataDir: seeded });
  await migrateDatabase(database);
  await seedDistrict(database.db);
  const start = currentStep(new Date());
  await database.pglite!.exec("update studios set opens_at = 0, closes_at = 1440");
  await database.pglite!.query(
    `insert into bookings (public_id, studio_id, business_id, starts_at, ends_at, title, stream_key_hash) values ($1, 1, ${business}, $2, $3, 'bench', $4)`,
    [publicId, start.toISOString(), addMinutes(start, 60).toISOString(), hashStreamKey(KEY)],
  );
  await database.close();
  return { root, seeded };
}
