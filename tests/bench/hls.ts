import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { startApp } from "../helpers/app";
import { databaseUrl } from "../helpers/postgres-url";

/** What `wrk` measured over `seconds` with `connections` on one thread, and the CPU it used. */
async function wrk(url: string, script: string, connections: number, seconds: number) {
  // `times` prints the CPU time of the shell's children (wrk): user and system, on its last line.
  const { stdout } = await promisify(execFile)("bash", [
    "-c",
    'wrk -t1 -c"$1" -d"$2"s --latency -s "$3" "$4" && times',
    "wrk",
    String(connections),
    String(seconds),
    script,
    url,
  ]).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
    throw new Error(`wrk failed (install Debian's wrk: apt-get install wrk): ${error.stderr ?? error.message}`);
  });
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? NaN);
  const ms = (pattern: RegExp) => {
    const [, value, unit] = pattern.exec(stdout) ?? [];
    return Math.round(Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? NaN) * 10) / 10;
  };
  const clock = (text: string) => {
    const [, m, s] = /(\d+)m([\d.]+)s/.exec(text) ?? [];
    return Number(m) * 60 + Number(s);
  };
  const [user, system] = stdout.trim().split("\n").at(-1)!.split(" ");
  const size = /([\d.]+)([KMG]?)B read/.exec(stdout) ?? [];
  return {
    requests: number(/(\d+) requests in/),
    seconds: number(/requests in ([\d.]+)s/),
    bytes: Number(size[1]) * ({ "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[size[2]] ?? NaN),
    p50: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99: ms(/99%\s+([\d.]+)(us|ms|s)/),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) || 0,
    // "Socket errors: connect 0, read 0, write 0, timeout 3", printed only when there were some.
    errors: (/Socket errors: (.*)/.exec(stdout)?.[1].match(/\d+/g) ?? []).reduce((sum, n) => sum + Number(n), 0),
    cpuSeconds: clock(user) + clock(system),
  };
}

/** CPU time of process `pid` so far (user and system), in clock ticks. */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** A seeded stream (db/seed/studio.ts), marked live by the bench (upcoming streams serve only the preview). */
const STREAM = "demoa1laowang";
/** One second of video at the OBS settings the README gives (2,500 kbit/s), as nginx cuts it. */
const FRAGMENT_BYTES = Math.round((2_500_000 / 8) * 1.0);
const TARGET_VIEWERS = 2000;

/**
 * `npm run bench hls`: how many HLS requests one server process answers for one show, and the
 * viewers that makes. With 1-second fragments an hls.js viewer asks for the playlist about once a
 * second (once per target duration) and for one fragment a second, so viewers ≈ requests/s ÷ 2.
 * The bench writes a live playlist of six fragments and 1-second fragments of the OBS bitrate into
 * the process's HLS folder and asks for them in turn (playlist, fragment, ...) over 100
 * connections for 15 s, with wrk.
 */
export async function benchHls(): Promise<Record<string, string | number>> {
  // A database of its own on the TEST_DATABASE_URL server, where the bench can mark the show live
  // while the app runs (an upcoming show's playlist is the merchant's preview only, ADR 022).
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { hls: "not run: set TEST_DATABASE_URL (the bench marks the show live in that database)" };
  if (spawnSync("wrk", ["--version"]).error) return { hls: "not run: install Debian's wrk (apt-get install wrk)" };
  const hlsDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-bench-hls-"));
  const fragment = Buffer.alloc(FRAGMENT_BYTES, 0x47);
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:1", "#EXT-X-MEDIA-SEQUENCE:100"];
  for (let i = 100; i < 106; i++) {
    fs.writeFileSync(path.join(hlsDir, `${STREAM}-${i}.ts`), fragment);
    lines.push("#EXTINF:1.000,", `${STREAM}-${i}.ts`);
  }
  fs.writeFileSync(path.join(hlsDir, `${STREAM}.m3u8`), `${lines.join("\n")}\n`);
  const name = `xq_bench_hls_${randomBytes(4).toString("hex")}`;
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const env: Record<string, string> = {
    LOG_LEVEL: "warn",
    XQ_HLS_DIR: hlsDir,
    DATABASE_URL: databaseUrl(adminUrl, name),
  };
  const app = await startApp({ env });
  try {
    const show = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await show`UPDATE bookings SET live_since = now() WHERE public_id = ${STREAM}`;
    await show.end();
    // wrk (Debian's package), not autocannon: at 300 KB a response autocannon needs a whole core of
    // the two to read what the server sends, and then it, not the server, sets the pace (ADR 041).
    const script = path.join(hlsDir, "playlist-then-fragment.lua");
    fs.writeFileSync(
      script,
      `local i = 0\nrequest = function()\n  i = i + 1\n  if i % 2 == 1 then return wrk.format("GET", "/hls/${STREAM}.m3u8") end\n  return wrk.format("GET", "/hls/${STREAM}-105.ts")\nend\n`,
    );
    await wrk(app.url, script, 20, 3); // warm-up
    const load = await fs.promises.readFile("/proc/loadavg", "utf8");
    const serverTicks = cpuTicks(app.pid);
    const result = await wrk(app.url, script, 100, 15);
    const serverMs = (cpuTicks(app.pid) - serverTicks) * 10; // 100 ticks a second on Linux
    if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} socket errors`);
    const rps = Math.round(result.requests / result.seconds);
    const viewers = Math.floor(rps / 2);
    const serverMsPerRequest = serverMs / result.requests;
    return {
      "HLS requests per second, one process (playlist and 305 KB fragment in turn, 100 connections, wrk)": rps,
      "p50 / p99 latency, ms": `${result.p50} / ${result.p99}`,
      "bytes per second served, MB": Math.round(result.bytes / result.seconds / 1e6),
      "viewers of one show this process carries (requests/s ÷ 2)": viewers,
      [`target ${TARGET_VIEWERS} viewers`]: viewers >= TARGET_VIEWERS ? "met" : "NOT met",
      "cores used by the server / by the load generator": `${(serverMs / 1000 / result.seconds).toFixed(2)} / ${(result.cpuSeconds / result.seconds).toFixed(2)}`,
      "server CPU per request, ms": Math.round(serverMsPerRequest * 1000) / 1000,
      "load average at the start (1 / 5 / 15 min)": load.split(" ").slice(0, 3).join(" / "),
      "load average at the end": fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" / "),
    };
  } finally {
    await app.stop();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(hlsDir, { recursive: true, force: true });
  }
}
