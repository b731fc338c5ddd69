import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll } from "vitest";
import type { Ingest } from "../../livestream/ingest/supervisor";
import { closeServer, listenLocally } from "./server";

/**
 * The ingest as pages and callbacks see it, with no nginx behind it: always online on the
 * usual RTMP port, its HLS in `hlsDir`, its callbacks behind `callbackToken`, no stream statistics.
 */
export function onlineIngest(hlsDir: string, callbackToken: string): Ingest {
  return { online: () => true, rtmpPort: 1935, hlsDir, callbackToken, streamStats: async () => null };
}

/**
 * The ingest's HTTP side on a server of the test's own: a new HLS folder (named from `prefix`)
 * and the express `handlers(hlsDir)` make (the callbacks, the HLS files), started before the
 * tests of the file (or describe) and stopped, its folder removed, after them. `served.base` is
 * its URL, `served.hlsDir` the folder.
 */
export function useIngestServer(prefix: string, handlers: (hlsDir: string) => express.Handler[]) {
  const served = { base: "", hlsDir: "" };
  let server: http.Server | undefined;
  beforeAll(async () => {
    served.hlsDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const app = express();
    for (const handler of handlers(served.hlsDir)) app.use(handler);
    server = http.createServer(app);
    served.base = await listenLocally(server);
  });
  afterAll(async () => {
    await closeServer(server);
    fs.rmSync(served.hlsDir, { recursive: true, force: true });
  });
  return served;
}
