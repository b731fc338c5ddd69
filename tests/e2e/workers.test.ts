import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { ChatJoinAck, ChatMessage, ChatSendAck } from "../../livestream/chat-protocol";
import { startApp, type RunningApp, signInOverHttp } from "../helpers/app";

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
    await database.close();
    app = await startApp({
      env: {
        DATABASE_URL: url,
        REDIS_URL: redisUrl!,
        REDIS_PREFIX: `xq-test-${name}`,
        XQ_WORKERS: "2",
      },
      // The supervisor and then each worker load the whole server: slower than one process.
      healthTimeoutMs: 180_000,
    });
  }, 300_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.stop();
    await dropDatabase?.();
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

  it("refuses long-polling (its next request could reach the other worker), WebSocket works", async () => {
    await expect(connect(undefined, ["polling"])).rejects.toThrow();
    const socket = await connect();
    expect(socket.connected).toBe(true);
  });
});
