import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, signInOverHttp, startApp } from "../helpers/app";
import { scratchDatabase } from "../helpers/postgres-url";

/**
 * `npm run bench -- pages`: every page a shopper reaches, without the anonymous page cache, side
 * by side with the static ceiling of the same run (a file of the same bytes served by the same
 * server), each as req/s, p50, p99, the ratio to the ceiling and the server's CPU per request
 * (user + system, from /proc: the figure that stays honest on a busy machine).
 *
 * "Uncached" means: signed in (the page cache serves anonymous visitors only), or anonymous with
 * queries drawn at random from thousands of distinct searches (2-character terms taken from the
 * seeded names, and pages), so that almost every request misses both the page cache and the
 * directory read cache.
 *
 * Each run opens its 50 connections anew, and a busy Node process accepts one new connection per
 * turn of its event loop (libuv since 1.45), so the first answer on each connection also waits
 * for the connections accepted before it; the p99 "once connected" leaves each connection's first
 * answer out (docs/decisions/038). Both are printed.
 *
 * `npm run bench -- memory` measures resident memory at rest (PGlite; and the Postgres server
 * when DATABASE_URL names one: the bench makes a database of its own there). `npm run bench --
 * workers` compares one process with XQ_WORKERS=2 (needs DATABASE_URL and REDIS_URL).
 */
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.XQ_BENCH_SECONDS ?? 8);
const WARM_UP_S = 10;
const PHONE = "13800000001"; // the demo resident (a shopper)
const PASSWORD = "xinquan2026";
const STREAM = "demoa1laowang";
const staticPath = "/__bench/page.html";

type Figures = Record<string, number | string>;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** p99 of the answers on connections already open (each connection's first answer left out, docs/decisions/038). */
  p99Open: number;
  requests: number;
  cpuMsPerRequest: number;
}

/** CPU milliseconds a process and its children (cluster workers) have used so far. */
export function cpuMs(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * 10;
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        for (const child of children ? children.split(" ") : []) visit(Number(child));
      }
    } catch {
      // the process ended meanwhile
    }
  };
  visit(pid);
  return total;
}

/** Resident memory of a process and its children, MB. */
export function rssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        for (const child of children ? children.split(" ") : []) visit(Number(child));
      }
    } catch {
      // gone
    }
  };
  visit(pid);
  return Math.round(kb / 1024);
}

/** CPU milliseconds the whole machine has been busy (every core, /proc/stat) so far. */
function machineBusyMs(): number {
  const [, ...fields] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

/** CPU milliseconds every Postgres server process on this machine has used so far. */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.split(") ")[1].split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/**
 * Where the machine's cores went while `run` ran: the server (with its workers), the Postgres
 * server, this process (the load generator), and the rest; in cores (1 = one core all the time).
 */
async function coresDuring<T>(serverPid: number, run: () => Promise<T>): Promise<{ result: T; cores: string }> {
  const before = {
    at: performance.now(),
    machine: machineBusyMs(),
    server: cpuMs(serverPid),
    pg: postgresCpuMs(),
    self: process.cpuUsage(),
  };
  const result = await run();
  const seconds = (performance.now() - before.at) / 1000;
  const self = process.cpuUsage(before.self);
  const share = (ms: number) => Math.round(ms / seconds / 10) / 100;
  const machine = share(machineBusyMs() - before.machine);
  const server = share(cpuMs(serverPid) - before.server);
  const pg = share(postgresCpuMs() - before.pg);
  const generator = share((self.user + self.system) / 1000);
  const rest = Math.round((machine - server - pg - generator) * 100) / 100;
  return {
    result,
    cores: `${machine} of ${os.cpus().length} busy: server ${server}, Postgres ${pg}, load generator ${generator}, rest ${rest}`,
  };
}

const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];

/** `app`: where the load goes (its URL) and whose CPU is counted (its pid, and `alsoPids`). */
async function load(
  app: { url: string; pid: number },
  paths: string[] | string,
  options: { cookie?: string; connections?: number; seconds?: number; alsoPids?: number[] } = {},
): Promise<Load> {
  const list = Array.isArray(paths) ? paths : [paths];
  const pids = [app.pid, ...(options.alsoPids ?? [])];
  const cpuOf = () => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const cpuBefore = cpuOf();
  // autocannon times each answer; the first on each connection also waited to be accepted.
  const onOpen: number[] = [];
  const answered = new WeakSet<object>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: app.url,
        connections: options.connections ?? CONNECTIONS,
        duration: options.seconds ?? DURATION_S,
        headers: options.cookie ? { cookie: options.cookie } : {},
        requests: [{ setupRequest: (request) => ({ ...request, path: pick(list) }) }],
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on("response", (client, _status, _bytes, ms) => {
      if (answered.has(client)) onOpen.push(ms);
      else answered.add(client);
    });
  });
  // Requests still queued in the server when the run stops must not count against the next run.
  await (await fetch(`${app.url}/healthz`)).arrayBuffer();
  const cpu = cpuOf() - cpuBefore;
  if (result.non2xx || result.errors || result.timeouts)
    throw new Error(`${list[0]}…: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  const requests = result.requests.total;
  onOpen.sort((a, b) => a - b);
  return {
    rps: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    p99Open: Math.round(onOpen[Math.floor(0.99 * (onOpen.length - 1))] ?? Number.NaN),
    requests,
    cpuMsPerRequest: Math.round((cpu / Math.max(1, requests)) * 10) / 10,
  };
}

/** Signs a demo account in as the browser's form does (same origin); returns its cookie. */
export const signIn = (url: string, phone = PHONE) => signInOverHttp(url, phone, PASSWORD);

/** Distinct searches: 2-character terms from the seeded names, each with a page number. */
async function searches(url: string): Promise<{ shops: string[]; api: string[]; map: string[]; ids: number[] }> {
  const names: string[] = [];
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const body = (await (await fetch(`${url}/api/v1/businesses?perPage=100&page=${page}`)).json()) as {
      items: { id: number; name: string }[];
      pages: number;
    };
    for (const item of body.items) {
      names.push(item.name);
      ids.push(item.id);
    }
    if (page >= body.pages) break;
  }
  const terms = new Set<string>();
  for (const name of names) {
    const chars = [...name];
    for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i] + chars[i + 1]);
  }
  const list = [...terms];
  const shops: string[] = [];
  const api: string[] = [];
  const map: string[] = [];
  for (const term of list) {
    const q = encodeURIComponent(term);
    for (const page of [1, 2]) {
      shops.push(`/shops?q=${q}${page > 1 ? `&page=${page}` : ""}`);
      api.push(`/api/v1/businesses?q=${q}${page > 1 ? `&page=${page}` : ""}`);
    }
    map.push(`/map?q=${q}`);
  }
  return { shops, api, map, ids };
}

/** One line of figures; with `ceiling`, also the share of it. */
function row(load: Load, ceiling?: Load): string {
  const ratio = ceiling ? ` · ${Math.round((load.rps / ceiling.rps) * 1000) / 10}% of ceiling` : "";
  return `${load.rps} req/s · p50 ${load.p50} ms · p99 ${load.p99} ms (${load.p99Open} ms once connected)${ratio} · ${load.cpuMsPerRequest} ms CPU/request`;
}

async function withCeiling(app: { url: string }, bytesOf: string, cookie?: string) {
  const html = await (await fetch(app.url + bytesOf, { headers: cookie ? { cookie } : {} })).text();
  const file = path.resolve("build/client", staticPath.slice(1));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, html);
  return { size: html.length, remove: () => fs.rmSync(path.dirname(file), { recursive: true, force: true }) };
}

/** One request at a time: the time a single visitor waits (median of `n`). */
async function singleRequestMs(url: string, paths: string[], n = 15, cookie?: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const response = await fetch(url + pick(paths), { headers: cookie ? { cookie } : {} });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`single request: ${response.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(n / 2)] * 10) / 10;
}

const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

export async function benchPages(): Promise<Figures> {
  const app = await startApp({ env: { LOG_LEVEL: "warn" } });
  const figures: Figures = { "load average before": loadavg() };
  try {
    const cookie = await signIn(app.url);
    const { shops, api, map, ids } = await searches(app.url);
    figures["distinct searches"] = shops.length;
    const ceilingFile = await withCeiling(app, shops[0]);
    figures["page size of the ceiling, KB"] = Math.round(ceilingFile.size / 1024);
    try {
      await load(app, shops, { seconds: WARM_UP_S }); // warm-up (JIT)
      const ceiling = await load(app, staticPath);
      figures["static ceiling (same bytes, same server)"] = row(ceiling);
      const scenarios: Array<[string, string[], string | undefined]> = [
        ["/shops varied queries and pages, anonymous", shops, undefined],
        ["/shops varied queries and pages, signed in", shops, cookie],
        ["/shops/<id> signed in", ids.map((id) => `/shops/${id}`), cookie],
        [`/live/${STREAM}`, [`/live/${STREAM}`], undefined],
        ["/alliance", ["/alliance"], undefined],
        ["/cart signed in", ["/cart"], cookie],
        ["/map varied queries, anonymous", map, undefined],
        ["/api/v1/businesses varied queries", api, undefined],
      ];
      for (const [label, paths, who] of scenarios) {
        // Each page's own code warmed up first (JIT), with the same kind of requests, not counted: a
        // server that has run for a while has compiled it, and the first seconds of a page nothing
        // had asked for yet were its optimizing compiler at work (docs/decisions/052).
        await load(app, paths, { cookie: who, seconds: WARM_UP_S });
        figures[label] = row(await load(app, paths, { cookie: who }), ceiling);
      }
      figures["/map one request at a time, median ms"] = await singleRequestMs(app.url, map);
      figures["/shops one request at a time, signed in, median ms"] = await singleRequestMs(app.url, shops, 15, cookie);
    } finally {
      ceilingFile.remove();
    }
  } finally {
    figures["load average after"] = loadavg();
    await app.stop();
  }
  return figures;
}

/**
 * Resident memory after the last request, twice: 3 s after (what this bench printed until
 * 2026-12-07) and 20 s after, at rest. V8's memory reducer gives back the young generation that
 * start-up grew (16 MB semi-spaces) 8–12 s after the last collection once nothing allocates; the
 * 20-s reading is the server at rest (docs/decisions/054).
 */
export async function restingRssMb(pid: number): Promise<{ soon: number; atRest: number }> {
  await new Promise((r) => setTimeout(r, 3000));
  const soon = rssMb(pid);
  await new Promise((r) => setTimeout(r, 17_000));
  return { soon, atRest: rssMb(pid) };
}

/** Resident memory after start, nothing asked but /healthz and one page. */
async function restingMemory(env: Record<string, string>): Promise<{ soon: number; atRest: number }> {
  const app = await startApp({ env: { LOG_LEVEL: "warn", ...env } });
  try {
    await (await fetch(`${app.url}/shops`)).text();
    return await restingRssMb(app.pid);
  } finally {
    await app.stop();
  }
}

/** A database of the bench's own on the server DATABASE_URL names; dropped afterwards. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const adminUrl = process.env.DATABASE_URL;
  return adminUrl ? scratchDatabase(adminUrl, "xq_bench") : undefined;
}

export async function benchMemory(): Promise<Figures> {
  const figures: Figures = { "load average": loadavg() };
  const pglite = await restingMemory({});
  figures["resident memory at rest (20 s after one page), PGlite, MB"] = pglite.atRest;
  figures["resident memory 3 s after one page, PGlite, MB"] = pglite.soon;
  const scratch = await benchDatabase();
  if (!scratch) figures["resident memory at rest, Postgres server, MB"] = "not run: DATABASE_URL not set";
  else {
    try {
      await restingMemory({ DATABASE_URL: scratch.url }); // migrates and seeds
      const server = await restingMemory({ DATABASE_URL: scratch.url });
      figures["resident memory at rest (20 s after one page), Postgres server, MB"] = server.atRest;
      figures["resident memory 3 s after one page, Postgres server, MB"] = server.soon;
    } finally {
      await scratch.drop();
    }
  }
  return figures;
}

export async function benchWorkers(): Promise<Figures> {
  const scratch = await benchDatabase();
  if (!scratch || !process.env.REDIS_URL) return { workers: "not run: needs DATABASE_URL and REDIS_URL" };
  const figures: Figures = { "load average before": loadavg() };
  try {
    const base = {
      DATABASE_URL: scratch.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `xq-bench-${randomBytes(3).toString("hex")}`,
    };
    for (const workers of ["1", "2"]) {
      const app = await startApp({ env: { ...base, XQ_WORKERS: workers, LOG_LEVEL: "warn" } });
      try {
        const cookie = await signIn(app.url);
        const { shops } = await searches(app.url);
        await load(app, shops, { cookie, seconds: 3 });
        const { result, cores } = await coresDuring(app.pid, () => load(app, shops, { cookie }));
        figures[`/shops signed in, varied, XQ_WORKERS=${workers}`] =
          `${result.rps} req/s · p50 ${result.p50} ms · p99 ${result.p99} ms · ${result.cpuMsPerRequest} ms CPU/request`;
        // Two workers can only be faster by what the machine has left over with one.
        figures[`cores during the run, XQ_WORKERS=${workers}`] = cores;
        figures[`resident memory, XQ_WORKERS=${workers}, MB`] = rssMb(app.pid);
      } finally {
        await app.stop();
      }
    }
  } finally {
    await scratch.drop();
    figures["load average after"] = loadavg();
  }
  return figures;
}

/** Debian's nginx as a reverse proxy on `port` in front of the app, keeping up to 64 idle upstream connections. */
async function startProxy(appUrl: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-proxy-"));
  fs.mkdirSync(path.join(dir, "temp"));
  const port = await freePort();
  const upstream = new URL(appUrl).host;
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `daemon off;
master_process on;
user ${os.userInfo().username};
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; multi_accept on; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/client_body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  upstream app {
    server ${upstream};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      # The bench ends each run by closing 50 connections mid-request; finishing those answers
      # keeps the upstream connections open for the next run, as steady traffic would.
      proxy_ignore_client_abort on;
    }
  }
}
`,
  );
  const child = spawn("/usr/sbin/nginx", ["-c", path.join(dir, "nginx.conf"), "-p", dir], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100 || child.exitCode !== null) throw new Error(`nginx did not start (see ${dir}/error.log)`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGQUIT");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `npm run bench -- proxy`: the same signed-in /shops load straight to Node and through Debian's
 * nginx with upstream keep-alive (docs/decisions/038): whether the tail of p99 that waits for
 * Node's accepts goes once a proxy holds the connections to Node open. Each way is warmed first,
 * which for the proxy also opens its upstream connections (`ss` showed the same 50 upstream
 * connections before and after the measured run); the CPU figure counts node and nginx.
 */
export async function benchProxy(): Promise<Figures> {
  // Each run ends by dropping 50 connections mid-request; nginx finishes those answers
  // (proxy_ignore_client_abort) and only then returns their upstream connections to its cache.
  // Without this pause the next run found them busy and opened 50 new ones.
  const settle = () => new Promise((r) => setTimeout(r, 2000));
  const app = await startApp({ env: { LOG_LEVEL: "warn" } });
  const figures: Figures = { "load average before": loadavg() };
  try {
    const proxy = await startProxy(app.url);
    const proxied = { url: proxy.url, pid: app.pid };
    try {
      const cookie = await signIn(app.url);
      const { shops } = await searches(app.url);
      const ceilingFile = await withCeiling(app, shops[0]);
      try {
        for (const [way, target, alsoPids] of [
          ["straight to node", app, []],
          ["through nginx", proxied, [proxy.pid]],
        ] as const) {
          await load(target, shops, { cookie, seconds: 3, alsoPids: [...alsoPids] }); // warm-up
          await settle();
          const ceiling = await load(target, staticPath, { alsoPids: [...alsoPids] });
          await settle();
          figures[`static ceiling, ${way}`] = row(ceiling);
          figures[`/shops signed in, varied, ${way}`] = row(
            await load(target, shops, { cookie, alsoPids: [...alsoPids] }),
            ceiling,
          );
        }
      } finally {
        ceilingFile.remove();
      }
    } finally {
      await proxy.stop();
    }
  } finally {
    figures["load average after"] = loadavg();
    await app.stop();
  }
  return figures;
}
