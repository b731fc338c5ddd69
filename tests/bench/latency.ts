import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDistrict } from "../../db/seed";
import { hashStreamKey } from "../../app/domain/studio/bookings.server";
import { addMinutes, currentStep } from "../../app/domain/studio/slots";
import { freePort, startApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";
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
export async function benchLatency() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "xq-bench-live-"));
  const seeded = path.join(root, "pglite");
  const database = await openDatabase({ dataDir: seeded });
  await migrateDatabase(database);
  await seedDistrict(database.db);
  const start = currentStep(new Date());
  await database.pglite!.exec("update studios set opens_at = 0, closes_at = 1440");
  await database.pglite!.query(
    "insert into bookings (public_id, studio_id, business_id, starts_at, ends_at, title, stream_key_hash) values ($1, 1, 1, $2, $3, 'bench', $4)",
    [PUBLIC_ID, start.toISOString(), addMinutes(start, 60).toISOString(), hashStreamKey(KEY)],
  );
  await database.close();

  const [rtmpPort, statsPort] = [await freePort(), await freePort()];
  const app = await startApp({
    seededDataDir: seeded,
    env: { RTMP_PORT: String(rtmpPort), RTMP_STATS_PORT: String(statsPort) },
  });
  const browser = await launchBrowser({ width: 1280, height: 720 });
  const encoder = spawn(
    "ffmpeg",
    testPatternArgs(`rtmp://127.0.0.1:${rtmpPort}/live/${PUBLIC_ID}?key=${KEY}`, 45, {
      size: "1280x720",
      bitrate: "2500k",
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
    const samples = await page.evaluate(async (startedAt) => {
      const video = document.querySelector("video")!;
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        out.push((Date.now() - startedAt) / 1000 - video.currentTime);
        await new Promise((r) => setTimeout(r, 500));
      }
      return out;
    }, publishStart);
    const sorted = [...samples].sort((a, b) => a - b);
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {
      "glass-to-glass latency, s (median of 30 samples)": pick(0.5).toFixed(2),
      "glass-to-glass latency, s (90th percentile)": pick(0.9).toFixed(2),
      "glass-to-glass latency, s (min–max)": `${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}`,
      "target, s": 3,
    };
  } finally {
    encoder.kill("SIGINT");
    await browser.close();
    await app.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
