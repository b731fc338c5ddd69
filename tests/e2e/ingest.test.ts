import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "~/lib/log.server";
import { IngestSupervisor } from "../../livestream/ingest/supervisor";
import { freePort } from "../helpers/app";

const nginxBin = "/usr/sbin/nginx";
const rtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
const haveNginx = fs.existsSync(nginxBin) && fs.existsSync(rtmpModule);
if (!haveNginx && process.env.CI)
  throw new Error("The ingest tests need nginx and libnginx-mod-rtmp; under CI nothing is skipped.");

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("the ingest supervisor", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-ingest-"));
    dirs.push(dir);
    return dir;
  };

  it("says the ingest is offline when nginx is not installed", () => {
    const ingest = new IngestSupervisor({
      dataDir: dataDir(),
      rtmpPort: 1,
      statsPort: 2,
      nginxBin: "/nonexistent/nginx",
      rtmpModule,
      log: createLogger("silent"),
    });
    ingest.start(3000);
    expect(ingest.online()).toBe(false);
  });

  it.runIf(haveNginx)("starts nginx from the data folder, restarts it when it dies, and stops it", async () => {
    const dir = dataDir();
    const [rtmpPort, statsPort] = [await freePort(), await freePort()];
    const ingest = new IngestSupervisor({
      dataDir: dir,
      rtmpPort,
      statsPort,
      nginxBin,
      rtmpModule,
      log: createLogger("silent"),
    });
    ingest.start(3000);
    try {
      expect(await until(() => listening(rtmpPort))).toBe(true);
      expect(
        await until(async () => (await fetch(`http://127.0.0.1:${statsPort}/stat`).catch(() => null))?.ok ?? false),
      ).toBe(true);
      expect(fs.existsSync(path.join(dir, "nginx", "logs", "error.log"))).toBe(true);
      const pid = Number(fs.readFileSync(path.join(dir, "nginx", "nginx.pid"), "utf8"));

      process.kill(pid, "SIGKILL");
      expect(
        await until(async () => {
          const now = Number(fs.readFileSync(path.join(dir, "nginx", "nginx.pid"), "utf8").trim() || 0);
          return now !== pid && (await listening(rtmpPort));
        }),
      ).toBe(true);
      // The supervisor says online once it has seen nginx accept connections again.
      expect(await until(async () => ingest.online())).toBe(true);
    } finally {
      await ingest.stop();
    }
    expect(ingest.online()).toBe(false);
    expect(await until(async () => !(await listening(rtmpPort)))).toBe(true);
  });
});
