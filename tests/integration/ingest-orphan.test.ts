import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { IngestSupervisor, leftoverNginx } from "../../livestream/ingest/supervisor";
import { freePort } from "../helpers/app";

const nginxBin = "/usr/sbin/nginx";
const rtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
const haveNginx = fs.existsSync(nginxBin) && fs.existsSync(rtmpModule);
if (!haveNginx && process.env.CI)
  throw new Error("The orphaned-nginx test needs nginx and libnginx-mod-rtmp; under CI nothing is skipped.");

/** A logger whose JSON lines the test reads. */
function capturingLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

/** Whether process `pid` runs (a zombie, exited but not yet reaped, does not). */
function alive(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

const readPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, "nginx", "nginx.pid"), "utf8").trim());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Kills process `pid` (and its group when it leads one) if it still runs: nothing leaks. */
function reap(pid: number) {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // gone
    }
  }
}

async function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-orphan-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The ingest in a process of its own, online; that process, and its nginx's pid. */
async function ingestProcess(dataDir: string, rtmpPort: number, statsPort: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/helpers/ingest-process.ts", dataDir, String(rtmpPort), String(statsPort)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  cleanups.push(() => void child.kill("SIGKILL"));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("online")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the ingest process exited (${code}) before nginx was online`)));
  });
  const nginxPid = readPid(dataDir);
  cleanups.push(() => reap(nginxPid));
  return { child, nginxPid };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve() : child.once("exit", () => resolve()),
  );

describe.runIf(haveNginx)("an nginx left running by an app that was killed outright", () => {
  it("is found by its pid file and stopped at the next start, which then serves with its own nginx", async () => {
    const dataDir = await tempDir();
    const [rtmpPort, statsPort] = [await freePort(), await freePort()];
    const first = await ingestProcess(dataDir, rtmpPort, statsPort);
    expect(await accepts(rtmpPort)).toBe(true);

    // The app dies hard: its nginx (a process group of its own) keeps the port and the pid file.
    first.child.kill("SIGKILL");
    await exited(first.child);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(first.nginxPid)).toBe(true);
    expect(await accepts(rtmpPort)).toBe(true);
    expect(leftoverNginx(path.join(dataDir, "nginx", "nginx.pid"), path.join(dataDir, "nginx", "nginx.conf"))).toBe(
      first.nginxPid,
    );

    const { log, lines } = capturingLogger();
    const ingest = new IngestSupervisor({ dataDir, rtmpPort, statsPort, nginxBin, rtmpModule, log });
    cleanups.push(() => ingest.stop());
    ingest.start(3000);
    await ingest.started();
    // The leftover was ended (asked to stop first: it had the grace to go by itself) before ours started.
    expect(alive(first.nginxPid)).toBe(false);
    expect(lines.some((l) => l.msg === "stopped the leftover nginx" && l.pid === first.nginxPid)).toBe(true);
    await expect.poll(() => ingest.online(), { timeout: 20_000 }).toBe(true);
    const ours = readPid(dataDir);
    expect(ours).not.toBe(first.nginxPid);
    expect(alive(ours)).toBe(true);
    expect(await accepts(rtmpPort)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${statsPort}/stat`)).ok).toBe(true);
    // Ours started at the first attempt: the port was free by then.
    expect(lines.some((l) => l.reason === "portInUse")).toBe(false);
    expect(lines.filter((l) => l.msg === "studio ingest (nginx-rtmp) started")).toHaveLength(1);
  }, 60_000);

  it("leaves alone an nginx that is not ours, and any other program, whose pid the pid file holds", async () => {
    // Another nginx with a config of its own (as a system nginx is), on a port of its own.
    const foreignDir = await tempDir();
    const foreignPort = await freePort();
    for (const sub of ["logs", "temp"]) fs.mkdirSync(path.join(foreignDir, sub));
    const temp = (name: string) => `${name}_temp_path ${foreignDir}/temp/${name};`;
    fs.writeFileSync(
      path.join(foreignDir, "nginx.conf"),
      `daemon off; worker_processes 1; pid ${foreignDir}/nginx.pid; error_log ${foreignDir}/logs/error.log warn;
       events { worker_connections 16; }
       http { access_log off; ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join(" ")}
              server { listen 127.0.0.1:${foreignPort}; return 204; } }`,
    );
    const foreign = spawn(
      nginxBin,
      ["-p", foreignDir, "-c", path.join(foreignDir, "nginx.conf"), "-e", path.join(foreignDir, "logs", "error.log")],
      { stdio: "ignore", detached: true },
    );
    cleanups.push(() => reap(foreign.pid!));
    await expect.poll(() => accepts(foreignPort), { timeout: 10_000 }).toBe(true);
    const sleeper = spawn("sleep", ["120"], { stdio: "ignore", detached: true });
    cleanups.push(() => reap(sleeper.pid!));

    for (const pid of [foreign.pid!, sleeper.pid!]) {
      const dataDir = await tempDir();
      const [rtmpPort, statsPort] = [await freePort(), await freePort()];
      // A stale pid file whose number now belongs to someone else.
      fs.mkdirSync(path.join(dataDir, "nginx"), { recursive: true });
      fs.writeFileSync(path.join(dataDir, "nginx", "nginx.pid"), `${pid}\n`);
      const { log, lines } = capturingLogger();
      const ingest = new IngestSupervisor({ dataDir, rtmpPort, statsPort, nginxBin, rtmpModule, log });
      ingest.start(3000);
      try {
        await ingest.started();
        await expect.poll(() => ingest.online(), { timeout: 20_000 }).toBe(true);
        expect(readPid(dataDir)).not.toBe(pid);
        expect(lines.some((l) => l.msg.includes("left over"))).toBe(false);
      } finally {
        await ingest.stop();
      }
      expect(alive(pid)).toBe(true);
    }
    expect(await accepts(foreignPort)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${foreignPort}/`)).status).toBe(204);
  }, 60_000);
});
