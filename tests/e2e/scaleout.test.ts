import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { startApp, type RunningApp } from "../helpers/app";

/**
 * Two production server processes on one Postgres database and one Redis (REDIS_URL): socket.io
 * rooms, broadcasts and connection state recovery span both, and viewer counts are the total.
 * Needs the Postgres server (two processes cannot share a PGlite folder) and Redis; skipped
 * without them locally, a failure under CI (which sets both).
 */
const adminUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const ready = Boolean(adminUrl && redisUrl);
const STREAM = "demoa1laowang"; // a seeded upcoming stream (db/seed/studio.ts)
const OTHER_STREAM = "demob1zhaojie";

if (!ready && process.env.CI) {
  it("runs the scale-out tests under CI", () => {
    throw new Error("TEST_DATABASE_URL and REDIS_URL must both be set under CI");
  });
}

/** What a client received, event by event, in order. */
interface Client {
  app: RunningApp;
  socket: Socket;
  events: Array<{ event: string; args: unknown[] }>;
  viewerCounts: () => number[];
  lastViewerCount: () => number | undefined;
}

describe.runIf(ready)("two server processes behind Redis", () => {
  let a: RunningApp;
  let b: RunningApp;
  let dropDatabase: () => Promise<void>;
  const clients: Client[] = [];

  beforeAll(async () => {
    const { default: postgres } = await import("postgres");
    const { databaseUrl } = await import("../helpers/postgres-url");
    // A database and a Redis prefix of this test's own: parallel runs on the same servers never meet.
    const name = `xq_scaleout_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    dropDatabase = async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
    const env = { DATABASE_URL: databaseUrl(adminUrl!, name), REDIS_URL: redisUrl!, REDIS_PREFIX: `xq-test-${name}` };
    a = await startApp({ env }); // migrates and seeds the empty database
    b = await startApp({ env });
  });

  afterAll(async () => {
    for (const client of clients) client.socket.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDatabase?.();
  });

  async function connect(app: RunningApp, options: { autoConnect?: boolean } = {}): Promise<Client> {
    const { io } = await import("socket.io-client");
    const socket = io(app.url, { transports: ["websocket"], reconnection: false, autoConnect: options.autoConnect ?? true });
    const events: Client["events"] = [];
    socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
    const client: Client = {
      app,
      socket,
      events,
      viewerCounts: () =>
        events
          .filter((e) => e.event === "live:viewers" && (e.args[0] as { publicId: string }).publicId === STREAM)
          .map((e) => (e.args[0] as { count: number }).count),
      lastViewerCount: () => client.viewerCounts().at(-1),
    };
    clients.push(client);
    if (options.autoConnect ?? true) await connected(socket);
    return client;
  }

  const connected = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      if (socket.connected) return resolve();
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });

  const watch = (client: Client, publicId = STREAM) => client.socket.emit("live:watch", publicId);

  /** Drops repeats: a count may be sent again unchanged (the settling recount). */
  const changes = (counts: number[]) => counts.filter((n, i) => i === 0 || n !== counts[i - 1]);

  it("counts the viewers of both processes, on both", async () => {
    const onA = await Promise.all([connect(a), connect(a), connect(a)]);
    const onB = await Promise.all([connect(b), connect(b)]);
    for (const client of [...onA, ...onB]) watch(client);
    for (const client of [...onA, ...onB]) {
      await expect.poll(() => client.lastViewerCount(), { timeout: 15_000 }).toBe(5);
    }
    // One leaves on each side; one moves to another stream.
    onA[2]!.socket.disconnect();
    onB[1]!.socket.disconnect();
    watch(onA[1]!, OTHER_STREAM);
    for (const client of [onA[0]!, onB[0]!]) {
      await expect.poll(() => client.lastViewerCount(), { timeout: 15_000 }).toBe(2);
    }
    // Put the room back to five viewers for the next test.
    watch(onA[1]!);
    const more = await Promise.all([connect(a), connect(b)]);
    for (const client of more) watch(client);
    for (const client of [onA[0]!, onA[1]!, onB[0]!, ...more]) {
      await expect.poll(() => client.lastViewerCount(), { timeout: 15_000 }).toBe(5);
    }
  });

  it("delivers every broadcast from one process to the clients of both, in order", async () => {
    const inRoom = clients.filter((c) => c.socket.connected && c.lastViewerCount() === 5);
    expect(inRoom.length).toBe(5);
    const conductor = inRoom.find((c) => c.app === a)!; // paces the test, on A
    const listenersOnB = inRoom.filter((c) => c.app === b);
    expect(listenersOnB.length).toBeGreaterThan(0);
    const before = new Map(inRoom.map((c) => [c, c.viewerCounts().length]));

    // A client on A comes and goes N times; each time A broadcasts the new count to the room.
    const toggler = await connect(a);
    const expected: number[] = [];
    for (let i = 0; i < 10; i++) {
      const count = i % 2 === 0 ? 6 : 5;
      watch(toggler, i % 2 === 0 ? STREAM : OTHER_STREAM);
      expected.push(count);
      await expect.poll(() => conductor.lastViewerCount(), { timeout: 15_000 }).toBe(count);
    }
    // Every client heard every change, in order (the room stood at 5 before; a late settling
    // recount of that 5 may come first).
    for (const client of inRoom) {
      await expect.poll(() => changes([5, ...client.viewerCounts().slice(before.get(client)!)]), { timeout: 15_000 }).toEqual([5, ...expected]);
    }
  });

  it("recovers a socket's rooms and missed broadcasts when it comes back through the other process", async () => {
    const wanderer = await connect(a);
    watch(wanderer);
    await expect.poll(() => wanderer.lastViewerCount(), { timeout: 15_000 }).toBe(6);
    // Recovery needs at least one packet with an offset; then the connection drops (not a clean
    // disconnect, which would end the session) and comes back to B with the same session.
    const old = wanderer.socket as unknown as { _pid?: string; _lastOffset?: string; io: { engine: { close(): void } } };
    expect(old._pid).toBeTruthy();
    const { _pid, _lastOffset } = old;
    const gone = new Promise((resolve) => wanderer.socket.once("disconnect", resolve));
    old.io.engine.close();
    await gone;

    // Meanwhile someone on B joins: the broadcast of the new count happens while the wanderer is away.
    const late = await connect(b);
    watch(late);
    await expect.poll(() => late.lastViewerCount(), { timeout: 15_000 }).toBe(6);

    const back = await connect(b, { autoConnect: false });
    Object.assign(back.socket, { _pid, _lastOffset });
    back.socket.connect();
    await connected(back.socket);
    expect(back.socket.recovered).toBe(true);
    // The missed broadcast (6: only sent while it was away) arrives on recovery, and the socket
    // is back in the room without asking: it counts, and it hears the next change.
    await expect.poll(() => back.viewerCounts(), { timeout: 15_000 }).toContain(6);
    await expect.poll(() => back.lastViewerCount(), { timeout: 15_000 }).toBe(7);
    const newcomer = await connect(a);
    watch(newcomer);
    await expect.poll(() => back.lastViewerCount(), { timeout: 15_000 }).toBe(8);
  });
});
