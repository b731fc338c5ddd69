import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { IngestSupervisor } from "../../livestream/ingest/supervisor";
import { freePort } from "../helpers/app";

const nginxBin = "/usr/sbin/nginx";
const rtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
const haveNginx = fs.existsSync(nginxBin) && fs.existsSync(rtmpModule);

/** A logger whose JSON lines the test reads. */
function capturingLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve());
  });
  return server;
}

describe.runIf(haveNginx)("the studio ingest when its RTMP port is taken", () => {
  it("never says it started, logs what failed, backs off, reports offline with the reason, and starts once the port is free", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-ingest-"));
    const [rtmpPort, statsPort] = [await freePort(), await freePort()];
    const squatter = await occupy(rtmpPort);
    const { log, lines } = capturingLogger();
    const ingest = new IngestSupervisor({ dataDir, rtmpPort, statsPort, nginxBin, rtmpModule, log });
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => ingest.stop());
    ingest.start(3000);

    await expect.poll(() => ingest.status().reason, { timeout: 15_000 }).toBe("portInUse");
    expect(ingest.online()).toBe(false);
    expect(ingest.status()).toMatchObject({ online: false, reason: "portInUse", port: rtmpPort });
    const failure = lines.find((l) => l.reason === "portInUse");
    expect(failure?.msg).toContain(String(rtmpPort));
    expect(failure?.level).toBeGreaterThanOrEqual(50);
    expect(failure?.retryInMs).toBeGreaterThan(0);
    // Let it try again at least once: still nothing claims it started, and the pause grows.
    await expect
      .poll(() => lines.filter((l) => l.reason === "portInUse").length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    const retries = lines.filter((l) => l.reason === "portInUse").map((l) => Number(l.retryInMs));
    expect(retries[1]).toBeGreaterThan(retries[0]);
    expect(lines.some((l) => l.msg === "studio ingest (nginx-rtmp) started")).toBe(false);

    // The port is freed: the next attempt starts nginx, once.
    await new Promise((resolve) => squatter.close(resolve));
    await expect.poll(() => ingest.online(), { timeout: 60_000 }).toBe(true);
    expect(ingest.status()).toMatchObject({ online: true, reason: null });
    expect(lines.filter((l) => l.msg === "studio ingest (nginx-rtmp) started")).toHaveLength(1);
  }, 90_000);
});
