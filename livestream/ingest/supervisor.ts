import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Logger } from "../../app/lib/log.server";
import { renderIngestConfig } from "./config";
import { parseStreamStats, type StreamStats } from "./stats";

export interface IngestOptions {
  dataDir: string;
  rtmpPort: number;
  statsPort: number;
  nginxBin: string;
  rtmpModule: string;
  log: Logger;
}

/** What pages need to know about the ingest; handed to loaders as `context.ingest`. */
export interface Ingest {
  /** nginx is running and accepting RTMP. */
  online(): boolean;
  rtmpPort: number;
  hlsDir: string;
  /** The random secret in the callback URLs nginx calls. */
  callbackToken: string;
  streamStats(publicId: string): Promise<StreamStats | null>;
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

/**
 * Starts nginx with the RTMP module from a config in the data folder and keeps it running:
 * when it dies, it is started again after a pause that doubles up to 30 s. When the binary or
 * the module is missing, the site runs without live video and says so.
 */
export class IngestSupervisor implements Ingest {
  readonly callbackToken = randomBytes(24).toString("hex");
  readonly hlsDir: string;
  readonly rtmpPort: number;
  private readonly nginxDir: string;
  private child: ChildProcess | null = null;
  private running = false;
  private stopping = false;
  private restartDelay = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: IngestOptions) {
    this.nginxDir = path.join(options.dataDir, "nginx");
    this.hlsDir = path.join(options.dataDir, "hls");
    this.rtmpPort = options.rtmpPort;
  }

  /** Whether this machine has nginx and its RTMP module. */
  available(): boolean {
    return fs.existsSync(this.options.nginxBin) && fs.existsSync(this.options.rtmpModule);
  }

  online(): boolean {
    return this.running;
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
    for (const dir of [this.hlsDir, path.join(this.nginxDir, "logs"), path.join(this.nginxDir, "temp")]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    this.killLeftover();
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
      }),
    );
    this.spawn();
  }

  private configPath() {
    return path.join(this.nginxDir, "nginx.conf");
  }

  /** An nginx left by a process that was killed outright still holds the ports: end it. */
  private killLeftover() {
    const pidFile = path.join(this.nginxDir, "nginx.pid");
    try {
      const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmdline.includes(this.configPath())) {
        killGroup(pid);
        this.options.log.warn({ pid }, "ended an nginx left over from an earlier run");
      }
    } catch {
      // no pid file, or the process is gone: nothing to do
    }
  }

  private spawn() {
    const { log } = this.options;
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
    child.once("spawn", () => {
      this.running = true;
      log.info({ pid: child.pid, rtmpPort: this.options.rtmpPort }, "studio ingest (nginx-rtmp) started");
    });
    child.once("error", (error) => log.error({ err: error }, "could not start nginx"));
    child.once("exit", (code, signal) => {
      this.running = false;
      this.child = null;
      killGroup(child.pid);
      if (this.stopping) return;
      if (Date.now() - startedAt > 60_000) this.restartDelay = RESTART_MIN_MS;
      log.warn({ code, signal, stderr: stderr.trim(), retryInMs: this.restartDelay }, "nginx stopped; restarting it");
      this.restartTimer = setTimeout(() => this.spawn(), this.restartDelay);
      this.restartDelay = Math.min(this.restartDelay * 2, RESTART_MAX_MS);
    });
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

  async streamStats(publicId: string): Promise<StreamStats | null> {
    if (!this.running) return null;
    try {
      const response = await fetch(`http://127.0.0.1:${this.options.statsPort}/stat`, {
        signal: AbortSignal.timeout(2000),
      });
      if (!response.ok) return null;
      return parseStreamStats(await response.text(), publicId);
    } catch {
      return null;
    }
  }
}
