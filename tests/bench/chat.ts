import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { io, type Socket } from "socket.io-client";
import type { ChatMessage } from "../../app/domain/chat/protocol";
import { signInOverHttp, startApp, type RunningApp } from "../helpers/app";

/**
 * `npm run bench chat`: the live room at 1,000 and 2,000 viewers, on one process and on two
 * processes behind Redis (half the viewers on each; needs TEST_DATABASE_URL and REDIS_URL).
 *
 * - memory: the server's RSS before and after the viewers connect, per connection;
 * - viewer count: how long until every viewer has been told the full count;
 * - chat: every viewer joins the chat; 10 messages a second for 20 s from 10 signed-in demo
 *   accounts (one message a second each; the rate limit is 3 per 2 s per user), each body carrying
 *   its send time; delivery latency p50/p99 over every (message, viewer) pair, deliveries lost and
 *   deliveries that came twice, and the CPU the server(s) and this process used meanwhile.
 *
 * The figures depend on what else the machine runs: the load average is printed with them.
 * XQ_BENCH_CHAT_SIZES=2000 runs one size; XQ_BENCH_CPU_PROF=<folder> has the servers write
 * V8 CPU profiles (`--cpu-prof`) there.
 *
 * All clients live in this one process, websocket transport only, connected in batches; at 2,000
 * viewers and 10 messages a second this process handles 20,000 deliveries a second itself, so the
 * latencies include its own queueing.
 */
const STREAM = "demoa1laowang"; // seeded, upcoming (db/seed/studio.ts)
const SIZES = (process.env.XQ_BENCH_CHAT_SIZES ?? "1000,2000").split(",").map(Number);
const BATCH = 100;
const CHAT_RATE_PER_S = 10;
const CHAT_SECONDS = 20;
const SENDERS = [
  "13800000001",
  "13800000002",
  "13800000003",
  "13800000004",
  "13800000005",
  "13800000006",
  "13800000007",
  "13800000010",
  "13800000011",
  "13800000012",
];
const PASSWORD = "xinquan2026";

type Ack = { ok: true; messages?: ChatMessage[]; id?: number | string } | { ok: false; error: string; message: string };

const rssKb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);
/** CPU seconds a process has used so far (user + system; /proc clock ticks are 1/100 s). */
const cpuSeconds = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN;

function connectClient(url: string, cookie?: string): Promise<Socket> {
  const socket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    timeout: 30_000,
    extraHeaders: cookie ? { cookie, origin: url } : { origin: url },
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function ack<T>(socket: Socket, event: string, payload: unknown, timeoutMs = 5_000): Promise<T | "timeout"> {
  return socket
    .timeout(timeoutMs)
    .emitWithAck(event, payload)
    .catch(() => "timeout" as const) as Promise<T | "timeout">;
}

/** N viewers spread over the servers round-robin, in batches; all in the stream's room. */
async function connectViewers(apps: RunningApp[], n: number) {
  const viewers: Array<{ socket: Socket; lastCount: number }> = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => connectClient(apps[(i + j) % apps.length].url)),
    );
    for (const socket of batch) {
      const viewer = { socket, lastCount: 0 };
      socket.on("live:viewers", (p: { publicId: string; count: number }) => {
        if (p.publicId === STREAM) viewer.lastCount = p.count;
      });
      socket.emit("live:watch", STREAM);
      viewers.push(viewer);
    }
  }
  return viewers;
}

async function chatRound(apps: RunningApp[], viewers: Socket[]) {
  // Is the chat there? One viewer asks to join; without an answer the chat part is skipped.
  const probe = await ack<Ack>(viewers[0], "chat:join", { publicId: STREAM }, 3_000);
  if (probe === "timeout")
    return { chat: "not run: the server does not answer chat:join (chat core not in this build)" };
  if (!probe.ok) throw new Error(`chat:join refused: ${probe.error} ${probe.message}`);
  for (let i = 0; i < viewers.length; i += BATCH) {
    await Promise.all(viewers.slice(i, i + BATCH).map((s) => ack<Ack>(s, "chat:join", { publicId: STREAM }, 30_000)));
  }
  const senders: Socket[] = [];
  for (const [i, phone] of SENDERS.entries()) {
    const app = apps[i % apps.length];
    const socket = await connectClient(app.url, await signInOverHttp(app.url, phone, PASSWORD));
    const joined = await ack<Ack>(socket, "chat:join", { publicId: STREAM });
    if (joined === "timeout" || !joined.ok) throw new Error(`sender ${phone} could not join the chat`);
    senders.push(socket);
  }
  const run = randomBytes(3).toString("hex");
  const latencies: number[] = [];
  const received = new Map<string, number>(); // message tag -> deliveries
  let duplicates = 0;
  for (const socket of viewers) {
    const seen = new Set<string>();
    socket.on("chat:message", (m: ChatMessage) => {
      const match = /^bench (\w+) (\d+) (\d+)$/.exec(m.body);
      if (!match || match[1] !== run) return;
      latencies.push(Date.now() - Number(match[3]));
      if (seen.has(match[2])) return void duplicates++;
      seen.add(match[2]);
      received.set(match[2], (received.get(match[2]) ?? 0) + 1);
    });
  }
  const total = CHAT_RATE_PER_S * CHAT_SECONDS;
  const refusedSeqs = new Set<string>(); // refused by the server: never stored, never sent
  let unanswered = 0; // no ack within 30 s: the message may still have been stored and sent, so it counts
  const serverCpuBefore = apps.map((app) => cpuSeconds(app.pid));
  const benchCpuBefore = process.cpuUsage();
  const started = Date.now();
  const sends: Array<Promise<unknown>> = [];
  for (let seq = 0; seq < total; seq++) {
    const due = started + (seq * 1000) / CHAT_RATE_PER_S;
    if (due > Date.now()) await sleep(due - Date.now());
    const sender = senders[seq % senders.length];
    sends.push(
      ack<Ack>(sender, "chat:send", { publicId: STREAM, body: `bench ${run} ${seq} ${Date.now()}` }, 30_000).then(
        (r) => {
          if (r === "timeout") unanswered++;
          else if (!r.ok) refusedSeqs.add(String(seq));
        },
      ),
    );
  }
  await Promise.all(sends);
  const sendingS = (Date.now() - started) / 1000;
  const serverCpu = apps.map((app, i) => cpuSeconds(app.pid) - serverCpuBefore[i]);
  const benchCpu = process.cpuUsage(benchCpuBefore);
  // Stragglers: wait (at most 30 s) until every message not refused has reached every viewer.
  const missing = () => {
    let n = 0;
    for (let seq = 0; seq < total; seq++)
      if (!refusedSeqs.has(String(seq))) n += viewers.length - (received.get(String(seq)) ?? 0);
    return n;
  };
  for (const until = Date.now() + 30_000; missing() > 0 && Date.now() < until;) await sleep(200);
  for (const s of senders) s.disconnect();
  const expected = (total - refusedSeqs.size) * viewers.length;
  const lost = missing();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    "chat messages sent (refused; unanswered after 30 s)": `${total} (${refusedSeqs.size}; ${unanswered})`,
    "chat delivery latency p50 / p99 ms": `${percentile(sorted, 50)} / ${percentile(sorted, 99)}`,
    "chat deliveries lost": `${lost} of ${expected}`,
    "chat deliveries twice": duplicates,
    "CPU while sending, % of one core: server(s) / bench clients": `${serverCpu.map((c) => Math.round((c / sendingS) * 100)).join(" + ")} / ${Math.round(((benchCpu.user + benchCpu.system) / 1e6 / sendingS) * 100)}`,
    "load average (1 min) after the chat": os.loadavg()[0].toFixed(2),
  };
}

async function round(apps: RunningApp[], n: number) {
  const before = apps.map((app) => rssKb(app.pid));
  const began = Date.now();
  const viewers = await connectViewers(apps, n);
  const connectedMs = Date.now() - began;
  // Every viewer is eventually told the full count (bounded wait).
  const deadline = Date.now() + 60_000;
  while (viewers.some((v) => v.lastCount !== n) && Date.now() < deadline) await sleep(100);
  const told = viewers.filter((v) => v.lastCount === n).length;
  const countedMs = Date.now() - began;
  await sleep(1_000);
  const after = apps.map((app) => rssKb(app.pid));
  const grew = after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0);
  const figures: Record<string, number | string> = {
    [`${n} viewers: connected in, ms`]: connectedMs,
    [`${n} viewers: all told the count ${n} after, ms`]: told === n ? countedMs : `never (${told} of ${n} within 60 s)`,
    [`${n} viewers: server RSS before → after, MB`]: `${before.map((kb) => Math.round(kb / 1024)).join(" + ")} → ${after.map((kb) => Math.round(kb / 1024)).join(" + ")}`,
    [`${n} viewers: server memory per connection, KB`]: Math.round((grew / n) * 10) / 10,
  };
  for (const [label, value] of Object.entries(
    await chatRound(
      apps,
      viewers.map((v) => v.socket),
    ),
  ))
    figures[`${n} viewers: ${label}`] = value;
  for (const v of viewers) v.socket.disconnect();
  await sleep(2_000);
  return figures;
}

export async function benchChat() {
  const figures: Record<string, number | string> = {
    "load average (1/5/15 min) at start": os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" / "),
  };
  // XQ_BENCH_CPU_PROF=<folder>: the servers write V8 CPU profiles there when they stop (`--cpu-prof`).
  const nodeArgs = process.env.XQ_BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.XQ_BENCH_CPU_PROF}`]
    : [];
  const one = await startApp({ env: { LOG_LEVEL: "warn" }, nodeArgs });
  try {
    for (const n of SIZES) for (const [k, v] of Object.entries(await round([one], n))) figures[`one process, ${k}`] = v;
  } finally {
    await one.stop();
  }

  const adminUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!adminUrl || !redisUrl) {
    figures["two processes behind Redis"] = "not run: set TEST_DATABASE_URL and REDIS_URL";
    return figures;
  }
  const { default: postgres } = await import("postgres");
  const { databaseUrl } = await import("../helpers/postgres-url");
  const name = `xq_bench_chat_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const apps: RunningApp[] = [];
  try {
    const env = {
      LOG_LEVEL: "warn",
      DATABASE_URL: databaseUrl(adminUrl, name),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `xq-bench-${name}`,
    };
    apps.push(await startApp({ env, nodeArgs })); // migrates and seeds
    apps.push(await startApp({ env, nodeArgs }));
    for (const n of SIZES)
      for (const [k, v] of Object.entries(await round(apps, n))) figures[`two processes, ${k}`] = v;
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  return figures;
}
