import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { startApp } from "../helpers/app";
import { databaseUrl } from "../helpers/postgres-url";

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
 * connections for 15 s.
 */
export async function benchHls(): Promise<Record<string, string | number>> {
  const hlsDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-bench-hls-"));
  const fragment = Buffer.alloc(FRAGMENT_BYTES, 0x47);
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:1", "#EXT-X-MEDIA-SEQUENCE:100"];
  for (let i = 100; i < 106; i++) {
    fs.writeFileSync(path.join(hlsDir, `${STREAM}-${i}.ts`), fragment);
    lines.push("#EXTINF:1.000,", `${STREAM}-${i}.ts`);
  }
  fs.writeFileSync(path.join(hlsDir, `${STREAM}.m3u8`), `${lines.join("\n")}\n`);
  // A database of its own on the TEST_DATABASE_URL server, where the bench can mark the show live
  // while the app runs (an upcoming show's playlist is the merchant's preview only, ADR 022).
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { hls: "not run: set TEST_DATABASE_URL (the bench marks the show live in that database)" };
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
    const requests = [
      { method: "GET" as const, path: `/hls/${STREAM}.m3u8` },
      { method: "GET" as const, path: `/hls/${STREAM}-105.ts` },
    ];
    await autocannon({ url: app.url, connections: 20, duration: 3, requests }); // warm-up
    const load = await fs.promises.readFile("/proc/loadavg", "utf8");
    const [serverTicks, loadCpu, began] = [cpuTicks(app.pid), process.cpuUsage(), performance.now()];
    const result = await autocannon({ url: app.url, connections: 100, duration: 15, requests });
    const seconds = (performance.now() - began) / 1000;
    const serverMs = (cpuTicks(app.pid) - serverTicks) * 10; // 100 ticks a second on Linux
    const loadUsage = process.cpuUsage(loadCpu);
    if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
    const rps = Math.round(result.requests.average);
    const viewers = Math.floor(rps / 2);
    const serverMsPerRequest = serverMs / result.requests.total;
    return {
      "HLS requests per second, one process (playlist and 305 KB fragment in turn, 100 connections)": rps,
      "p50 / p99 latency, ms": `${result.latency.p50} / ${result.latency.p99}`,
      "bytes per second served, MB": Math.round(result.throughput.average / 1e6),
      "viewers of one show this process carries (requests/s ÷ 2)": viewers,
      [`target ${TARGET_VIEWERS} viewers`]: viewers >= TARGET_VIEWERS ? "met" : "NOT met",
      // The load generator shares the 2 cores: when it uses one whole, it, not the server, sets the pace.
      "cores used by the server / by the load generator": `${(serverMs / 1000 / seconds).toFixed(2)} / ${((loadUsage.user + loadUsage.system) / 1e6 / seconds).toFixed(2)}`,
      "server CPU per request, ms": Math.round(serverMsPerRequest * 1000) / 1000,
      "viewers one core of server CPU carries at that cost": Math.floor(1000 / serverMsPerRequest / 2),
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
