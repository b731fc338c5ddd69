import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { ChatJoinAck, ChatMessage, ChatSendAck } from "../../livestream/chat-protocol";
import { hashStreamKey } from "../../shared/secrets.server";
import { startApp, type RunningApp, signInOverHttp } from "../helpers/app";
import { bookingInsert, minutesFromNow } from "../helpers/e2e-studio";

/**
 * `npm start` with XQ_WORKERS=2 (cluster.ts): one port, two worker processes on one Postgres
 * database and one Redis. Connections are spread over both workers, a chat message sent through
 * either reaches the clients of both, and long-polling is refused (WebSocket only,
 * docs/decisions/028). Needs the Postgres server and Redis: skipped without them locally, a
 * failure under CI (which sets both).
 */
const adminUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const ready = Boolean(adminUrl && redisUrl);
const STREAM = "demoa1laowang"; // a seeded upcoming stream (db/seed/studio.ts)
/** S0001's show in studio B, on air from a minute ago for an hour. */
const GO_LIVE = {
  publicId: "workersgolive1",
  studio: "studio_b",
  startsAt: minutesFromNow(-1),
  endsAt: minutesFromNow(60),
  title: "两个进程的直播",
};

if (!ready && process.env.CI) {
  it("runs the worker tests under CI", () => {
    throw new Error("TEST_DATABASE_URL and REDIS_URL must both be set under CI");
  });
}

/** The worker processes (children) of the server. */
const workerPids = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

/** Which worker holds the server end of the TCP connection from `clientPort` to `serverPort`. */
function workerHolding(pid: number, serverPort: number, clientPort: number): number | undefined {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");
  const line = fs
    .readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .find((l) => {
      const f = l.trim().split(/\s+/);
      return f[1]?.endsWith(`:${hex(serverPort)}`) && f[2]?.endsWith(`:${hex(clientPort)}`);
    });
  const inode = line?.trim().split(/\s+/)[9];
  if (!inode) return undefined;
  return workerPids(pid).find((worker) =>
    fs.readdirSync(`/proc/${worker}/fd`).some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${worker}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    }),
  );
}

describe.runIf(ready)("one server of two workers (XQ_WORKERS=2)", () => {
  let app: RunningApp;
  let dropDatabase: () => Promise<void>;
  let webm = "";
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const { scratchDatabase } = await import("../helpers/postgres-url");
    const { name, url, drop } = await scratchDatabase(adminUrl!, "xq_workers");
    dropDatabase = drop;
    // Migrated and seeded here first: the server then starts its workers without that wait.
    const { migrateDatabase, openDatabase } = await import("../../db/client");
    const { seedDistrict } = await import("../../db/seed");
    const database = await openDatabase({ url, maxConnections: 2 });
    await migrateDatabase(database);
    await seedDistrict(database.db);
    // A show of S0001's on air now, for the browser go-live below (the studio open all day).
    await database.db.execute(sql`update studios set opens_at = 0, closes_at = 1440`);
    await database.db.execute(sql.raw(bookingInsert({ ...GO_LIVE, keyHash: hashStreamKey("workers-unused-key") })));
    await database.close();
    // What a phone's recorder sends: H.264 and Opus in Matroska (the worker's ffmpeg copies H.264).
    webm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xq-workers-")), "camera.webm");
    const made = spawnSync("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440"],
      ...["-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p"],
      ...["-c:a", "libopus", "-f", "matroska", webm],
    ]);
    expect(made.status, String(made.stderr)).toBe(0);
    app = await startApp({
      env: {
        DATABASE_URL: url,
        REDIS_URL: redisUrl!,
        REDIS_PREFIX: `xq-test-${name}`,
        XQ_WORKERS: "2",
        LOG_LEVEL: "info", // the publish callbacks' log lines say which worker answered
      },
      // The supervisor and then each worker load the whole server: slower than one process.
      healthTimeoutMs: 180_000,
    });
  }, 300_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.stop();
    await dropDatabase?.();
    if (webm) fs.rmSync(path.dirname(webm), { recursive: true, force: true });
  });

  async function connect(cookie?: string, transports: ("websocket" | "polling")[] = ["websocket"]) {
    const { io } = await import("socket.io-client");
    const socket = io(app.url, {
      transports,
      reconnection: false,
      extraHeaders: cookie ? { cookie, origin: app.url } : { origin: app.url },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  }

  /** The worker a socket's connection ended up on. */
  const workerOf = (socket: Socket) => {
    const ws = (socket.io.engine.transport as unknown as { ws: { _socket: { localPort: number } } }).ws;
    return workerHolding(app.pid, Number(new URL(app.url).port), ws._socket.localPort);
  };

  const join = async (socket: Socket) => {
    const ack = (await socket.timeout(10_000).emitWithAck("chat:join", { publicId: STREAM })) as ChatJoinAck;
    expect(ack.ok).toBe(true);
  };

  it("runs two workers, and a chat message sent through either reaches the clients of both", async () => {
    expect(workerPids(app.pid)).toHaveLength(2);
    const run = randomBytes(3).toString("hex");
    // Signed-in senders until there is one on each worker (the primary hands out connections in turn).
    const senderOn = new Map<number | undefined, Socket>();
    const senders: Socket[] = [];
    for (const phone of ["13800000001", "13800000002", "13800000003", "13800000004", "13800000005"]) {
      const socket = await connect(await signInOverHttp(app.url, phone, "xinquan2026"));
      senders.push(socket);
      if (!senderOn.has(workerOf(socket))) senderOn.set(workerOf(socket), socket);
      if (senderOn.size === 2) break;
    }
    expect(senderOn.size).toBe(2);
    expect([...senderOn.keys()].every(Boolean)).toBe(true);
    const readers = await Promise.all([connect(), connect(), connect(), connect()]);
    const everyone = [...senders, ...readers];
    expect(new Set(readers.map(workerOf)).size).toBe(2);

    const received = new Map<Socket, string[]>(everyone.map((s) => [s, []]));
    for (const socket of everyone) {
      socket.on("chat:message", (m: ChatMessage) => {
        if (m.body.startsWith(`workers ${run} `)) received.get(socket)!.push(m.body);
      });
      await join(socket);
    }
    const sent: string[] = [];
    for (const [worker, sender] of senderOn) {
      const body = `workers ${run} from ${worker}`;
      const ack = (await sender.timeout(10_000).emitWithAck("chat:send", { publicId: STREAM, body })) as ChatSendAck;
      expect(ack.ok).toBe(true);
      sent.push(body);
    }
    for (const socket of everyone) await expect.poll(() => received.get(socket), { timeout: 15_000 }).toEqual(sent);
  });

  it("takes a browser go-live on either worker, whichever worker nginx's publish callback reaches", async () => {
    const { io } = await import("socket.io-client");
    const cookie = await signInOverHttp(app.url, "13800000002", "xinquan2026"); // S0001's owner
    const camera = fs.readFileSync(webm);
    /** nginx's publish callbacks answered so far: which worker (pid) and the verdict. */
    const callbacks = () =>
      app
        .output()
        .split("\n")
        .filter((line) => line.includes('"publish asked"'))
        .map((line) => JSON.parse(line) as { pid: number; ok: boolean; browser?: boolean; reason?: string });
    let crossed = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = callbacks().length;
      const socket = io(`${app.url}/publish`, {
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
        extraHeaders: { cookie, origin: app.url },
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      const worker = workerOf(socket);
      // Worker 1 starts nginx after it listens; the other sees it within 2 s (IngestFollower).
      const started = async () => {
        const reply = (await socket.timeout(10_000).emitWithAck("publish:start", {
          publicId: GO_LIVE.publicId,
          mimeType: "video/webm;codecs=h264,opus",
        })) as { ok: boolean; error?: string };
        return reply.ok ? "started" : reply.error;
      };
      await expect.poll(started, { timeout: 20_000, interval: 1000 }).toBe("started");
      for (let at = 0; at < camera.length; at += 32 * 1024)
        socket.emit("publish:chunk", camera.subarray(at, at + 32 * 1024));
      await expect.poll(() => callbacks().length, { timeout: 20_000 }).toBeGreaterThan(before);
      const answer = callbacks()[before];
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true, browser: true });
      if (answer.pid !== worker) crossed++;
      await socket.timeout(10_000).emitWithAck("publish:stop");
      socket.disconnect();
      await expect
        .poll(
          () =>
            app
              .output()
              .split("\n")
              .filter((l) => l.includes('"publish ended"')).length,
          { timeout: 20_000 },
        )
        .toBeGreaterThan(attempt);
    }
    // The case this is about happened: a callback reached the worker that did not run the ffmpeg.
    expect(crossed).toBeGreaterThan(0);
  });

  it("refuses long-polling (its next request could reach the other worker), WebSocket works", async () => {
    await expect(connect(undefined, ["polling"])).rejects.toThrow();
    const socket = await connect();
    expect(socket.connected).toBe(true);
  });
});
