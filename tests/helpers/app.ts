import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface RunningApp {
  url: string;
  /** The server process (for a benchmark's memory reading). */
  pid: number;
  dataDir: string;
  /** The port its nginx-rtmp takes encoders on (RTMP_PORT). */
  rtmpPort: number;
  output: () => string;
  stop: () => Promise<number | null>;
}

/**
 * The kernel's range of local ports for outgoing connections (ip_local_port_range). A port taken
 * from it with listen(0) and handed to a server can meanwhile become the local end of any
 * connection a parallel test opens (a fetch, Postgres, the browser), and the server then cannot
 * bind it: an app's nginx-rtmp silently stayed offline that way.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs
      .readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: the IANA range
  }
  return [49152, 65535];
}

const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    // All interfaces, as nginx-rtmp listens: this also fails when any address holds the port.
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

/**
 * A port no one listens on, chosen outside the kernel's ephemeral range (so no outgoing
 * connection takes it before the server binds it) and never twice in this process. Parallel
 * test files choose at random from ~12,000 ports, so two of them rarely pick the same one.
 */
export async function freePort(): Promise<number> {
  const [low, high] = ephemeralRange();
  const [bottom, top] = low > 12_000 ? [low - 12_000, low - 1] : [high + 1, Math.min(65_535, high + 12_000)];
  for (let tries = 0; tries < 100; tries++) {
    const port = bottom + Math.floor(Math.random() * (top - bottom + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${bottom} and ${top}`);
}

/**
 * The node flags `npm start` gives the server (package.json's start script), so that the tests and
 * the bench run it as a user does.
 */
export const startFlags: string[] = (() => {
  const start = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
  const flags = /\bnode ((?:--\S+ )*)build\/server\/server\.js/.exec(start);
  if (!flags) throw new Error(`package.json's start script does not run node build/server/server.js: ${start}`);
  return flags[1].split(" ").filter(Boolean);
})();

/** The environment of a production server on `port` with its data in `dataDir`. */
export function productionEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    XQ_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  };
}

/**
 * Starts the production server as `npm start` does (build/server/server.js, made by the build) on a free port with its own data folder,
 * optionally a copy of a seeded PGlite folder, and waits until /healthz answers. DATABASE_URL,
 * REDIS_URL and REDIS_PREFIX come from `options.env` only, never from the test's environment.
 */
export async function startApp(
  options: { seededDataDir?: string; env?: Record<string, string>; nodeArgs?: string[]; healthTimeoutMs?: number } = {},
): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-app-"));
  if (options.seededDataDir) fs.cpSync(options.seededDataDir, path.join(dataDir, "pglite"), { recursive: true });
  const port = await freePort();
  // Each app gets its own nginx-rtmp ports, so apps started side by side never collide.
  const [rtmpPort, statsPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...productionEnv(port, dataDir),
    RTMP_PORT: String(rtmpPort),
    RTMP_STATS_PORT: String(statsPort),
    ...options.env,
  };
  // Only what the caller names: a test's server never joins a database or a Redis by accident
  // (CI exports REDIS_URL; servers of parallel test files must not share rooms).
  for (const name of ["DATABASE_URL", "REDIS_URL", "REDIS_PREFIX"] as const) {
    delete env[name];
    if (options.env?.[name]) env[name] = options.env[name];
  }
  const child = spawn(process.execPath, [...startFlags, ...(options.nodeArgs ?? []), "build/server/server.js"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output, options.healthTimeoutMs);
  return {
    url,
    pid: child.pid!,
    dataDir,
    rtmpPort: Number(env.RTMP_PORT),
    output: () => output,
    stop: () => stopProcess(child).finally(() => fs.rmSync(dataDir, { recursive: true, force: true })),
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", (code) => {
      clearTimeout(killer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/**
 * Signs an account in over HTTP as the browser's login form does (same origin); returns the
 * session cookie to send along. Throws when the sign-in is not answered with a redirect and a cookie.
 */
export async function signInOverHttp(url: string, phone: string, password: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ phone, password, redirectTo: "/" }),
  });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (response.status !== 302 || cookies.length === 0)
    throw new Error(`sign-in of ${phone} failed: ${response.status}`);
  return cookies.join("; ");
}
