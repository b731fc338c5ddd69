/**
 * The optional transcode ladder (issue 18, item 4; docs/decisions/032): with XQ_TRANSCODE_LADDER
 * on, a live show has a master playlist of the source, a 480p and an audio-only rendition, and the
 * watch page's hls.js plays from it.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, inject } from "vitest";
import { hashStreamKey } from "../../shared/secrets.server";
import { launchBrowser } from "../helpers/browser";
import { haveMediaTools, testPatternArgs } from "../helpers/media";
import { fitsWidth, useApp } from "../helpers/journey";
import { bookingInsert, minutesFromNow } from "../helpers/e2e-studio";

const { browser: haveBrowser } = inject("e2e");

const haveMedia = haveMediaTools("The transcode ladder journey", ["ffprobe"]);

const KEY = "ladderKeyAbcdefghijklmno";
const LIVE = "ladderlive23";

describe.runIf(haveBrowser && haveMedia)("the transcode ladder, turned on", () => {
  const app = useApp({
    env: { XQ_TRANSCODE_LADDER: "1" },
    prepare: `update studios set opens_at = 0, closes_at = 1440;
      ${bookingInsert({ publicId: LIVE, studio: "studio_a", startsAt: minutesFromNow(-1), endsAt: minutesFromNow(60), title: "多码率测试", keyHash: hashStreamKey(KEY) })}`,
  });

  it(
    "lists the source, 480p and audio-only renditions in a master playlist, and the watch page plays it",
    {
      timeout: 180_000,
    },
    async () => {
      // A qHD source, so the 480p rendition is a real step down.
      const encoder = spawn(
        "ffmpeg",
        testPatternArgs(`rtmp://127.0.0.1:${app.app.rtmpPort}/live/${LIVE}?key=${KEY}`, 150, { size: "960x540" }),
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      const viewer = await launchBrowser();
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "xq-ladder-"));
      try {
        const ladder = `${app.url}/hls/ladder`;
        let master = "";
        await expect
          .poll(
            async () => {
              const response = await fetch(`${ladder}/${LIVE}.m3u8`);
              master = response.ok ? await response.text() : "";
              return master;
            },
            { timeout: 60_000, interval: 1000 },
          )
          .toContain("#EXT-X-STREAM-INF");
        // Three renditions, each with its bandwidth and codecs; the 480p one says its size.
        const variants = [...master.matchAll(/#EXT-X-STREAM-INF:([^\n]+)\n([^\n]+)/g)].map(([, attributes, uri]) => ({
          attributes,
          uri,
        }));
        expect(variants.map((v) => v.uri)).toEqual([`${LIVE}_src.m3u8`, `${LIVE}_480p.m3u8`, `${LIVE}_audio.m3u8`]);
        for (const v of variants) expect(v.attributes).toMatch(/BANDWIDTH=\d+.*CODECS="/);
        expect(variants[1].attributes).toContain("RESOLUTION=854x480");
        expect(variants[2].attributes).toContain('CODECS="mp4a.40.2"');

        // Each rendition is served, with fragments of what it says it is.
        const probe = async (uri: string) => {
          let playlist = "";
          await expect
            .poll(
              async () => {
                const response = await fetch(`${ladder}/${uri}`);
                playlist = response.ok ? await response.text() : "";
                return playlist;
              },
              { timeout: 30_000, interval: 1000 },
            )
            .toMatch(/\.ts\n/);
          const fragment = /^(\S+\.ts)$/m.exec(playlist)![1];
          const response = await fetch(`${ladder}/${fragment}`);
          expect(response.status).toBe(200);
          expect(response.headers.get("content-type")).toBe("video/mp2t");
          const file = path.join(scratch, fragment);
          fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
          const out = spawnSync("ffprobe", [
            ...["-v", "error", "-show_entries", "stream=codec_type,codec_name,height,nb_read_packets"],
            ...["-count_packets", "-of", "json", file],
          ]);
          const streams = (
            JSON.parse(out.stdout.toString()) as {
              streams: { codec_type: string; codec_name?: string; height?: number; nb_read_packets?: string }[];
            }
          ).streams.filter((s) => Number(s.nb_read_packets ?? 0) > 0);
          return streams;
        };
        const source = await probe(variants[0].uri);
        expect(source.find((s) => s.codec_type === "video")?.height).toBe(540);
        const small = await probe(variants[1].uri);
        expect(small.find((s) => s.codec_type === "video")?.height).toBe(480);
        expect(small.some((s) => s.codec_type === "audio")).toBe(true);
        const audio = await probe(variants[2].uri);
        expect(audio.map((s) => s.codec_type)).toEqual(["audio"]);

        // The watch page's hls.js loads the master playlist and plays a rendition of it.
        const page = await viewer.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        const requested: string[] = [];
        page.on("request", (r) => {
          const { pathname } = new URL(r.url());
          if (pathname.startsWith("/hls/")) requested.push(pathname);
        });
        await page.goto(`${app.url}/live/${LIVE}`);
        // Playing: the clock runs on 3 s from where it began (a live player starts near the live edge).
        const clock = () => page.getByTestId("player").evaluate((v: HTMLVideoElement) => v.currentTime);
        await expect.poll(clock, { timeout: 45_000 }).toBeGreaterThan(0);
        const began = await clock();
        await expect.poll(clock, { timeout: 45_000 }).toBeGreaterThan(began + 3);
        expect(requested).toContain(`/hls/ladder/${LIVE}.m3u8`);
        expect(requested.some((p) => new RegExp(`^/hls/ladder/${LIVE}_(src|480p)\\.m3u8$`).test(p))).toBe(true);
        expect(requested.some((p) => new RegExp(`^/hls/ladder/${LIVE}_(src|480p)-\\d+\\.ts$`).test(p))).toBe(true);
        // hls.js leaves the audio-only rendition to players that can show it (its CODECS say so).
        expect(requested.some((p) => p.includes("_audio"))).toBe(false);
        expect(requested).not.toContain(`/hls/${LIVE}.m3u8`);
        const height = await page.getByTestId("player").evaluate((v: HTMLVideoElement) => v.videoHeight);
        expect([480, 540]).toContain(height);
        await fitsWidth(page);
        if (process.env.XQ_SCREENSHOTS)
          await page.screenshot({ path: path.join(process.env.XQ_SCREENSHOTS, "watch-ladder.png"), fullPage: true });
        console.info(
          `[figures] ladder: master playlist and ${requested.filter((p) => p.endsWith(".ts")).length} fragments fetched; the player shows ${height}p; load ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
        );
        expect(errors).toEqual([]);

        // Nothing of the ladder is served for a stream that is not live.
        expect((await fetch(`${ladder}/nosuchstream.m3u8`)).status).toBe(404);
        expect((await fetch(`${ladder}/${LIVE}_720p.m3u8`)).status).toBe(404);
      } finally {
        encoder.kill("SIGKILL");
        await viewer.close();
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    },
  );
});
