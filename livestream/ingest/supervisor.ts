import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Logger } from "../../app/lib/log.server";
import { LADDER_DIR, renderIngestConfig } from "./config";
import { keyframeSeconds, parseStreamStats, type ReceivedStats } from "./stats";

export interface IngestOptions {
  dataDir: string;
  /** Where nginx writes HLS (default dataDir/hls); shared by every process that serves /hls/. */
  hlsDir?: string;
  rtmpPort: number;
  statsPort: number;
  nginxBin: string;
  rtmpModule: string;
  log: Logger;
  /** The secret of nginx's callback URLs; the workers of a cluster share one. Default: random. */
  callbackToken?: string;
  /** The transcode ladder (XQ_TRANSCODE_LADDER, docs/decisions/032): off unless true. */
  ladder?: boolean;
  /** The ffmpeg the ladder runs (FFMPEG_BIN; a bare name is looked up on the PATH). */
  ffmpegBin?: string;
}

/** Why the ingest is offline, for the go-live page (a key under studio.ingestOffline in app/i18n). */
export type IngestOfflineReason = "notInstalled" | "starting" | "portInUse" | "exited";

export interface IngestStatus {
  online: boolean;
  reason: IngestOfflineReason | null;
  /** The port that was taken, with reason "portInUse". */
  port?: number;
  /** When the next attempt is due (ISO time), while it is retrying. */
  retryAt?: string;
}

/** What pages need to know about the ingest; handed to loaders as `context.ingest`. */
export interface Ingest {
  /** nginx is running and accepting RTMP. */
  online(): boolean;
  /** online() with the reason when it is not. */
  status?(): IngestStatus;
  rtmpPort: number;
  hlsDir: string;
  /** The random secret in the callback URLs nginx calls. */
  callbackToken: string;
  /** Whether live shows have the transcode ladder: the watch page plays `/hls/ladder/ID.m3u8`. */
  ladder?: boolean;
  streamStats(publicId: string): Promise<ReceivedStats | null>;
}

/** `bin` as a full path: as given when it names a folder, else the first match on the PATH. */
function onPath(bin: string): string {
  if (bin.includes("/")) return path.resolve(bin);
  for (const dir of (process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(":")) {
    const full = path.join(dir, bin);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return bin;
}

/** How long a leftover nginx has to stop after SIGTERM before it is killed. */
const LEFTOVER_GRACE_MS = 5000;

/**
 * The pid in `pidFile` if that process is an nginx started with `-c configPath` (nginx retitles
 * its master "nginx: master process /usr/sbin/nginx -p … -c CONFIG …"; before that its arguments
 * are separated by NULs), else null: no file, no such process, a reused pid, another nginx.
 */
export function leftoverNginx(pidFile: string, configPath: string): number | null {
  let pid: number;
  let cmdline: string;
  try {
    pid = Number(fs.readFileSync(pidFile, "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return null;
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return null;
  }
  if (processState(pid) === "Z") return null;
  const words = cmdline.replace(/\0+$/, "").split(/[\0 ]+/);
  const isNginx = /(^|\/)nginx:?$/.test(words[0] ?? "");
  const ourConfig = words.some((word, i) => word === "-c" && words[i + 1] === configPath);
  return isNginx && ourConfig ? pid : null;
}

/** A field of /proc/PID/stat after the command's name: [0] is the state, [2] the process group. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}
const processState = (pid: number) => statFields(pid)?.[0] ?? null;
const processGroup = (pid: number) => Number(statFields(pid)?.[2] ?? 0);

function signal(target: number, name: NodeJS.Signals) {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

/** Whether process `pid` has exited (or is a zombie) within `ms`. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = processState(pid);
    if (state === null || state === "Z") return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ends every process left in nginx's process group (its workers), if any. */
function killGroup(pid: number | undefined) {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group is already gone
  }
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** How long nginx has to accept connections on the RTMP port before the attempt counts as failed. */
const LISTEN_TIMEOUT_MS = 10_000;

/** Whether something on this machine already listens on `port` (we cannot bind it ourselves). */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, "0.0.0.0", () => probe.close(() => resolve(false)));
  });
}

/** Whether a TCP connection to 127.0.0.1:port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Starts nginx with the RTMP module from a config in the data folder and keeps it running:
 * when it dies, it is started again after a pause that doubles up to 30 s. When the binary or
 * the module is missing, the site runs without live video and says so. It is "started" only once
 * nginx accepts connections on the RTMP port; when that port (or the statistics port) is already
 * taken by another program, nginx is not run at all: the error says which port, the next try
 * waits longer, and the go-live page shows the ingest offline with the reason.
 */
export class IngestSupervisor implements Ingest {
  readonly callbackToken: string;
  readonly hlsDir: string;
  readonly rtmpPort: number;
  readonly ladder: boolean;
  private readonly nginxDir: string;
  private child: ChildProcess | null = null;
  private running = false;
  private stopping = false;
  private restartDelay = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private offline: { reason: IngestOfflineReason; port?: number; retryAt?: string } = { reason: "starting" };
  private starting: Promise<void> = Promise.resolve();

  constructor(private readonly options: IngestOptions) {
    this.nginxDir = path.join(options.dataDir, "nginx");
    this.callbackToken = options.callbackToken ?? randomBytes(24).toString("hex");
    this.hlsDir = path.resolve(options.hlsDir ?? path.join(options.dataDir, "hls"));
    this.rtmpPort = options.rtmpPort;
    this.ladder = options.ladder ?? false;
  }

  /** Whether this machine has nginx and its RTMP module. */
  available(): boolean {
    return fs.existsSync(this.options.nginxBin) && fs.existsSync(this.options.rtmpModule);
  }

  online(): boolean {
    return this.running;
  }

  status(): IngestStatus {
    if (this.running) return { online: true, reason: null };
    if (!this.available()) return { online: false, reason: "notInstalled" };
    return { online: false, ...this.offline };
  }

  start(appPort: number): void {
    const { log } = this.options;
    if (!this.available()) {
      log.warn(
        { nginx: this.options.nginxBin, module: this.options.rtmpModule },
        "studio ingest offline: nginx with the RTMP module is not installed (apt-get install nginx libnginx-mod-rtmp)",
      );
      return;
    }
    const dirs = [this.hlsDir, path.join(this.nginxDir, "logs"), path.join(this.nginxDir, "temp")];
    if (this.ladder) dirs.push(path.join(this.hlsDir, LADDER_DIR));
    for (const dir of dirs) {
      fs.mkdirSync(dir, { recursive: true });
    }
    fs.writeFileSync(
      this.configPath(),
      renderIngestConfig({
        nginxDir: this.nginxDir,
        hlsDir: this.hlsDir,
        rtmpModule: this.options.rtmpModule,
        rtmpPort: this.options.rtmpPort,
        statsPort: this.options.statsPort,
        appPort,
        callbackToken: this.callbackToken,
        user: os.userInfo().username,
        // nginx runs its exec'd commands without the PATH: give it ffmpeg's full path.
        ladder: this.ladder ? { ffmpegBin: onPath(this.options.ffmpegBin ?? "ffmpeg") } : null,
      }),
    );
    // An nginx left by a run that was killed outright holds the ports: end it before starting ours.
    this.starting = this.stopLeftover().then(() => this.spawn());
  }

  /** Resolves once the first attempt to start nginx (after ending any leftover) has been made. */
  started(): Promise<void> {
    return this.starting;
  }

  private configPath() {
    return path.join(this.nginxDir, "nginx.conf");
  }

  /**
   * An nginx left by a process that was killed outright (kill -9, an OOM kill) keeps running
   * detached, holding the RTMP port and writing into this data folder. Its pid file is here; the
   * process is ended only if it still is an nginx started with this data folder's config (so a
   * reused pid, or a system nginx, is left alone): SIGTERM to its process group (master and
   * worker), SIGKILL after LEFTOVER_GRACE_MS, and the start waits until it is gone.
   */
  private async stopLeftover(): Promise<void> {
    const pid = leftoverNginx(path.join(this.nginxDir, "nginx.pid"), this.configPath());
    if (!pid) return;
    const { log } = this.options;
    // Its own process group when we started it (detached): the worker goes with the master.
    const target = processGroup(pid) === pid ? -pid : pid;
    log.warn({ pid }, "an nginx left over from an earlier run holds the studio ingest; stopping it");
    signal(target, "SIGTERM");
    if (await gone(pid, LEFTOVER_GRACE_MS)) {
      log.warn({ pid }, "stopped the leftover nginx");
      return;
    }
    signal(target, "SIGKILL");
    const killed = await gone(pid, 5000);
    log.warn(
      { pid, killed },
      killed ? "killed the leftover nginx (it ignored SIGTERM)" : "the leftover nginx survived SIGKILL",
    );
  }

  /** Tries again after the current pause, which then doubles (up to 30 s). */
  private retryLater(): number {
    const delay = this.restartDelay;
    this.offline.retryAt = new Date(Date.now() + delay).toISOString();
    this.restartTimer = setTimeout(() => void this.spawn(), delay);
    this.restartDelay = Math.min(this.restartDelay * 2, RESTART_MAX_MS);
    return delay;
  }

  private async spawn() {
    const { log } = this.options;
    if (this.stopping) return;
    for (const [port, what] of [
      [this.options.rtmpPort, "RTMP_PORT"],
      [this.options.statsPort, "RTMP_STATS_PORT"],
    ] as const) {
      if (!(await portTaken(port))) continue;
      if (this.stopping) return;
      this.offline = { reason: "portInUse", port };
      const retryInMs = this.retryLater();
      log.error(
        { reason: "portInUse", port, setting: what, retryInMs },
        `studio ingest offline: port ${port} (${what}) is already in use by another program; nginx not started, trying again in ${Math.round(retryInMs / 1000)} s`,
      );
      return;
    }
    if (this.stopping) return;
    this.offline = { reason: "starting" };
    const startedAt = Date.now();
    const errorLog = path.join(this.nginxDir, "logs", "error.log");
    // Its own process group: if the master dies hard, its worker (which holds the ports) is
    // ended with it through the group before a new nginx starts.
    const child = spawn(this.options.nginxBin, ["-p", this.nginxDir, "-c", this.configPath(), "-e", errorLog], {
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    this.child = child;
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    child.once("spawn", () => void this.awaitListening(child));
    child.once("error", (error) => log.error({ err: error }, "could not start nginx"));
    child.once("exit", (code, signal) => {
      this.running = false;
      this.child = null;
      killGroup(child.pid);
      if (this.stopping) return;
      if (Date.now() - startedAt > 60_000) this.restartDelay = RESTART_MIN_MS;
      this.offline = { reason: "exited" };
      const retryInMs = this.retryLater();
      log.error(
        { reason: "exited", code, signal, stderr: stderr.trim(), errorLog: this.errorLogTail(), retryInMs },
        `studio ingest offline: nginx exited (code ${code ?? signal}); trying again in ${Math.round(retryInMs / 1000)} s`,
      );
    });
  }

  /** "started" only once nginx accepts on the RTMP port; if it exits or never listens, that is a failure. */
  private async awaitListening(child: ChildProcess) {
    const deadline = Date.now() + LISTEN_TIMEOUT_MS;
    while (this.child === child && child.exitCode === null && Date.now() < deadline) {
      if (await accepts(this.options.rtmpPort)) {
        if (this.child !== child || child.exitCode !== null) return;
        this.running = true;
        this.offline = { reason: "starting" };
        this.options.log.info(
          { pid: child.pid, rtmpPort: this.options.rtmpPort },
          "studio ingest (nginx-rtmp) started",
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (this.child === child && child.exitCode === null) {
      this.options.log.error(
        { rtmpPort: this.options.rtmpPort, errorLog: this.errorLogTail() },
        "studio ingest: nginx runs but does not accept RTMP connections; stopping it to try again",
      );
      child.kill("SIGTERM"); // its exit handler logs and schedules the retry
    }
  }

  /** The last lines of nginx's error log, for the failure message. */
  private errorLogTail(): string {
    try {
      return fs
        .readFileSync(path.join(this.nginxDir, "logs", "error.log"), "utf8")
        .split("\n")
        .slice(-5)
        .join("\n");
    } catch {
      return "";
    }
  }

  /** Stops nginx (and its worker) and waits for it; called on SIGTERM. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(force);
        killGroup(child.pid);
        resolve();
      });
      child.kill("SIGTERM"); // nginx's fast shutdown: the master ends its workers first
    });
  }

  async streamStats(publicId: string): Promise<ReceivedStats | null> {
    if (!this.running) return null;
    try {
      const response = await fetch(`http://127.0.0.1:${this.options.statsPort}/stat`, {
        signal: AbortSignal.timeout(2000),
      });
      if (!response.ok) return null;
      const stats = parseStreamStats(await response.text(), publicId);
      if (!stats) return null;
      const playlist = await fs.promises.readFile(path.join(this.hlsDir, `${publicId}.m3u8`), "utf8").catch(() => "");
      return { ...stats, keyframeSeconds: keyframeSeconds(playlist) };
    } catch {
      return null;
    }
  }
}

/**
 * The ingest as the other workers of a cluster see it (README: "Several processes"): one worker
 * runs nginx (IngestSupervisor); the others share its callback token (nginx calls back through
 * any worker) and its HLS folder, read its statistics, and tell whether it is online by whether
 * its RTMP port accepts a connection (checked every 2 s).
 */
export class IngestFollower extends IngestSupervisor {
  private seen = false;
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    const probe = () => {
      const socket = net.connect({ host: "127.0.0.1", port: this.rtmpPort });
      const done = (up: boolean) => {
        this.seen = up;
        socket.destroy();
      };
      socket.setTimeout(1000, () => done(false));
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
    };
    probe();
    this.timer = setInterval(probe, 2000);
    this.timer.unref();
  }

  online(): boolean {
    return this.seen;
  }

  status(): IngestStatus {
    if (this.seen) return { online: true, reason: null };
    if (!this.available()) return { online: false, reason: "notInstalled" };
    return { online: false, reason: "starting" };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }
}
