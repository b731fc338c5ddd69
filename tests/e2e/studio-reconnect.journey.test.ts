/**
 * Issue 18: "drop and reconnect (kill -9, and SIGSTOP) keep the open page live and the replay
 * whole". A real encoder (ffmpeg) through the app's own nginx-rtmp, a viewer's page open the
 * whole time, and the reconnect times printed as figures (not asserted: the machine is shared).
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { haveMediaTools } from "../helpers/media";
import { useShows } from "../helpers/e2e-studio";
import { endShow, exited, packedReplay, playlistSeconds, push as pushFor } from "../helpers/live";

const { browser: haveBrowser } = inject("e2e");

const haveMedia = haveMediaTools("The reconnect journey");

const KEY = "reconnectKeyAbcdefghijkl";
const LIVE = "rcnctlive234";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

/** The id nginx gave the connection publishing `name`, from its statistics page, or null. */
async function publisher(statsUrl: string, name: string): Promise<string | null> {
  const xml = await fetch(statsUrl)
    .then((r) => r.text())
    .catch(() => "");
  for (const [, stream] of xml.matchAll(/<stream>([\s\S]*?)<\/stream>/g)) {
    if (!stream.includes(`<name>${name}</name>`)) continue;
    for (const [, client] of stream.matchAll(/<client>([\s\S]*?)<\/client>/g))
      if (client.includes("<publishing/>")) return /<id>(\d+)<\/id>/.exec(client)?.[1] ?? null;
  }
  return null;
}

/** What the viewer's page shows, sampled: its state, the replay heading, and the player's clock. */
interface Sample {
  at: number;
  state: string;
  label: string;
  replayHeading: boolean;
  time: number;
  bufferedEnd: number;
}
const sample = (page: Page): Promise<Sample> =>
  page.evaluate(() => {
    const state = document.querySelector("[data-testid=stream-state]");
    const video = document.querySelector<HTMLVideoElement>("[data-testid=player]");
    const buffered = video?.buffered;
    return {
      at: Date.now(),
      state: state?.className ?? "",
      label: state?.textContent ?? "",
      replayHeading: [...document.querySelectorAll("h2")].some((h) => h.textContent === "回放"),
      time: video?.currentTime ?? 0,
      bufferedEnd: buffered && buffered.length > 0 ? buffered.end(buffered.length - 1) : 0,
    };
  });

describe.runIf(haveBrowser && haveMedia)("an encoder that drops and comes back", () => {
  const { app, goLive } = useShows(KEY, [
    { publicId: LIVE, studio: "studio_a", from: -1, to: 60, title: "断线重连计时" },
  ]);

  it(
    "is taken back after SIGSTOP and after kill -9; the open page stays live and plays again; the replay has every fragment",
    { timeout: 300_000 },
    async () => {
      const { merchant, errors, url } = await goLive(LIVE);
      // The statistics port of the app's nginx, from the config it wrote.
      const nginxConf = fs.readFileSync(path.join(app.app.dataDir, "nginx", "nginx.conf"), "utf8");
      const statsUrl = `http://127.0.0.1:${/listen 127\.0\.0\.1:(\d+);/.exec(nginxConf)![1]}/stat`;
      const hlsDir = path.join(app.app.dataDir, "hls");

      const encoders: ChildProcess[] = [];
      const push = () => {
        const encoder = pushFor(url, 600);
        encoders.push(encoder);
        return encoder;
      };

      /**
       * Pushes until nginx takes the key again from a connection other than `previous` (a
       * refused encoder exits at once and the next try follows); when it was taken, and the tries.
       */
      async function reconnect(previous: string) {
        for (let tries = 1; ; tries++) {
          const encoder = push();
          for (;;) {
            const id = await publisher(statsUrl, LIVE);
            if (id !== null && id !== previous) return { encoder, id, tries, acceptedAt: Date.now() };
            if (encoder.exitCode !== null || encoder.signalCode !== null) break;
            await sleep(100);
          }
          if (tries > 100) throw new Error("the key was never taken again");
          await sleep(200);
        }
      }

      const shopperContext = await launchBrowser();
      try {
        const watch = await shopperContext.newPage();
        watch.on("pageerror", (e) => errors.push(e.message));
        // Every fragment the viewer's player fetched while live, and when it had it.
        const fetched = new Map<string, number>();
        watch.on("response", (r) => {
          const name = /\/hls\/([a-z0-9]+-\d+\.ts)$/.exec(new URL(r.url()).pathname)?.[1];
          if (name && r.ok() && !fetched.has(name)) fetched.set(name, Date.now());
        });

        push();
        let current = await (async () => {
          for (;;) {
            const id = await publisher(statsUrl, LIVE);
            if (id) return id;
            await sleep(200);
          }
        })();
        await watch.goto(`${app.url}/live/${LIVE}`);
        await expect.poll(async () => (await sample(watch)).state, { timeout: 20_000 }).toContain("live-state--live");
        await expect.poll(async () => (await sample(watch)).time, { timeout: 45_000 }).toBeGreaterThan(3);

        // The page, watched all through the drops: live every time it is looked at.
        const samples: Sample[] = [];
        let watching = true;
        const watcher = (async () => {
          while (watching) {
            samples.push(await sample(watch));
            await sleep(250);
          }
        })();

        const drops: {
          how: string;
          droppedAt: number;
          acceptedAt: number;
          tries: number;
          playingAt: number;
          stalled: number;
          load: string;
        }[] = [];
        for (const how of ["SIGSTOP", "SIGKILL"] as const) {
          const encoder = encoders[encoders.length - 1];
          await sleep(4000);
          const before = await sample(watch);
          const droppedAt = Date.now();
          encoder.kill(how);
          const back = await reconnect(current);
          current = back.id;
          // Playing again: past everything the player had buffered when the encoder went, by a
          // second more than the fragment nginx closes at the drop can hold.
          const resumeAt = before.bufferedEnd + 2;
          await expect
            .poll(async () => (await sample(watch)).time, { timeout: 60_000, interval: 250 })
            .toBeGreaterThan(resumeAt);
          const playingAt = samples.find((s) => s.at > droppedAt && s.time > resumeAt)?.at ?? Date.now();
          // The longest the player's clock stood still after the drop.
          let stalled = 0;
          let since = droppedAt;
          let last = before.time;
          for (const s of samples.filter((s) => s.at > droppedAt && s.at <= playingAt)) {
            if (s.time > last + 0.05) {
              since = s.at;
              last = s.time;
            } else stalled = Math.max(stalled, s.at - since);
          }
          drops.push({
            how,
            droppedAt,
            acceptedAt: back.acceptedAt,
            tries: back.tries,
            playingAt,
            stalled,
            load: load(),
          });
          // The stopped encoder may run no further: nginx dropped it.
          if (how === "SIGSTOP") {
            encoder.kill("SIGCONT");
            encoder.kill("SIGKILL");
          }
          await exited(encoder);
        }
        await sleep(4000);
        watching = false;
        await watcher;

        // Never "ended", never the replay, on any look at the page while the encoder was away.
        expect(samples.length).toBeGreaterThan(20);
        const notLive = samples.filter(
          (s) => !s.state.includes("live-state--live") || s.label.includes("已结束") || s.replayHeading,
        );
        expect(notLive).toEqual([]);

        // The replay so far: every fragment of the show, numbered without a hole, two breaks.
        const growing = await (await fetch(`${app.url}/hls/${LIVE}.vod.m3u8`)).text();
        const lines = growing.split("\n");
        const entries = lines
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => /^[a-z0-9]+-\d+\.ts$/.test(line))
          .map(({ line, i }) => ({
            name: line,
            seq: Number(/-(\d+)\.ts$/.exec(line)![1]),
            afterBreak: lines[i - 2] === "#EXT-X-DISCONTINUITY",
          }));
        const holes = entries.slice(1).filter((e, i) => e.seq !== entries[i].seq + 1);
        expect(holes).toEqual([]);
        const breaks = entries.filter((e) => e.afterBreak);
        expect(breaks).toHaveLength(2);
        // Three runs of fragments: before the stop, between the two drops, after the kill.
        const runs = [0, ...breaks.map((b) => entries.indexOf(b)), entries.length];
        for (let i = 0; i < 3; i++) expect(runs[i + 1] - runs[i]).toBeGreaterThan(2);
        // Whatever nginx wrote in that range is in it, and so is everything the viewer was shown.
        const listed = new Set(entries.map((e) => e.name));
        const [first, lastSeq] = [entries[0].seq, entries[entries.length - 1].seq];
        const onDisk = fs
          .readdirSync(hlsDir)
          .filter((f) => new RegExp(`^${LIVE}-(\\d+)\\.ts$`).test(f))
          .filter((f) => {
            const seq = Number(/-(\d+)\.ts$/.exec(f)![1]);
            return seq >= first && seq <= lastSeq;
          });
        expect(onDisk.filter((f) => !listed.has(f))).toEqual([]);
        expect(
          [...fetched.keys()].filter((f) => !listed.has(f) && Number(/-(\d+)\.ts$/.exec(f)![1]) <= lastSeq),
        ).toEqual([]);
        expect(fetched.size).toBeGreaterThan(10);
        const seqOf = (name: string) => Number(/-(\d+)\.ts$/.exec(name)![1]);
        drops.forEach((drop, i) => {
          // The first fragment of the new encoder the viewer's player had (it may skip to the live edge).
          const had = Math.min(...[...fetched].filter(([name]) => seqOf(name) >= breaks[i].seq).map(([, t]) => t));
          console.info(
            `[figures] reconnect after ${drop.how} of the encoder: publish taken again ${seconds(drop.acceptedAt - drop.droppedAt)} s after it (${drop.tries} tries); ` +
              `the open page had the new stream's first fragment after ${seconds(had - drop.droppedAt)} s and played ` +
              `2 s past what it had buffered at the drop after ${seconds(drop.playingAt - drop.droppedAt)} s; ` +
              `its picture stood still at most ${seconds(drop.stalled)} s; load ${drop.load}`,
          );
        });
        const recorded = playlistSeconds(growing);

        // The merchant ends the show; the replay is closed and packed, and keeps all of it.
        await endShow(merchant);
        await watch.getByRole("heading", { name: "回放" }).waitFor({ timeout: 20_000 });
        const packed = await packedReplay(app.url, LIVE);
        expect(packed).toMatch(/#EXT-X-ENDLIST\n?$/);
        const packedSeconds = playlistSeconds(packed);
        expect(packedSeconds).toBeGreaterThan(recorded - 2);
        console.info(
          `[figures] replay: ${entries.length} fragments, ${recorded.toFixed(1)} s before the end, ${packedSeconds.toFixed(1)} s packed`,
        );
      } finally {
        for (const encoder of encoders) {
          encoder.kill("SIGCONT");
          encoder.kill("SIGKILL");
        }
        await shopperContext.close();
      }
      expect(errors).toEqual([]);
    },
  );
});
