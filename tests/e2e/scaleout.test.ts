import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { mergeMessages, type ChatJoinAck, type ChatMessage, type ChatSendAck } from "../../livestream/chat-protocol";
import { startApp, type RunningApp, signInOverHttp } from "../helpers/app";

/**
 * Two production server processes on one Postgres database and one Redis (REDIS_URL): socket.io
 * rooms, broadcasts and connection state recovery span both, viewer counts are the total, and a
 * chat message sent to either process reaches every client of both, once, in the order of its id.
 * Both serve /hls from one shared folder (XQ_HLS_DIR) (docs/decisions/023).
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
  let env: Record<string, string>;
  const hlsDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-scaleout-hls-"));
  const clients: Client[] = [];

  beforeAll(async () => {
    const { scratchDatabase } = await import("../helpers/postgres-url");
    // A database and a Redis prefix of this test's own: parallel runs on the same servers never meet.
    const { name, url, drop } = await scratchDatabase(adminUrl!, "xq_scaleout");
    dropDatabase = drop;
    env = {
      DATABASE_URL: url,
      REDIS_URL: redisUrl!,
      REDIS_PREFIX: `xq-test-${name}`,
      XQ_HLS_DIR: hlsDir,
    };
    a = await startApp({ env }); // migrates and seeds the empty database
    b = await startApp({ env });
  });

  afterAll(async () => {
    for (const client of clients) client.socket.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDatabase?.();
    fs.rmSync(hlsDir, { recursive: true, force: true });
  });

  async function connect(app: RunningApp, options: { autoConnect?: boolean; cookie?: string } = {}): Promise<Client> {
    const { io } = await import("socket.io-client");
    const socket = io(app.url, {
      transports: ["websocket"],
      reconnection: false,
      autoConnect: options.autoConnect ?? true,
      extraHeaders: options.cookie ? { cookie: options.cookie, origin: app.url } : {},
    });
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
    onA[2].socket.disconnect();
    onB[1].socket.disconnect();
    watch(onA[1], OTHER_STREAM);
    for (const client of [onA[0], onB[0]]) {
      await expect.poll(() => client.lastViewerCount(), { timeout: 15_000 }).toBe(2);
    }
    // Put the room back to five viewers for the next test.
    watch(onA[1]);
    const more = await Promise.all([connect(a), connect(b)]);
    for (const client of more) watch(client);
    for (const client of [onA[0], onA[1], onB[0], ...more]) {
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
      await expect
        .poll(() => changes([5, ...client.viewerCounts().slice(before.get(client))]), { timeout: 15_000 })
        .toEqual([5, ...expected]);
    }
  });

  it("recovers a socket's rooms and missed broadcasts when it comes back through the other process", async () => {
    const wanderer = await connect(a);
    watch(wanderer);
    await expect.poll(() => wanderer.lastViewerCount(), { timeout: 15_000 }).toBe(6);
    // Recovery needs at least one packet with an offset; then the connection drops (not a clean
    // disconnect, which would end the session) and comes back to B with the same session.
    const old = wanderer.socket as unknown as {
      _pid?: string;
      _lastOffset?: string;
      io: { engine: { close(): void } };
    };
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

  // ---- chat messages across the two processes ----

  /** Demo accounts that post (password xinquan2026); three on each process. */
  const SENDER_PHONES = ["13800000001", "13800000002", "13800000003", "13800000004", "13800000005", "13800000006"];
  /**
   * The chat allows a user 3 messages per 2 s; each sender here posts at most once a second, so
   * the runs stay well inside it with the limit on.
   */
  const SENDER_GAP_MS = 1_000;
  interface Sender {
    phone: string;
    client: Client;
    lastSentAt: number;
  }
  const senders: Sender[] = [];
  let run = "";
  let sequence = 0;

  async function joinChat(client: Client, afterId?: number, publicId = STREAM): Promise<ChatMessage[]> {
    const ack = (await client.socket
      .timeout(10_000)
      .emitWithAck("chat:join", afterId === undefined ? { publicId } : { publicId, afterId })) as ChatJoinAck;
    if (!ack.ok) throw new Error(`chat:join refused: ${ack.error}`);
    return ack.messages;
  }

  /** The chat messages of this test run a client received live, in the order they arrived. */
  const chatIds = (client: Client, from = 0) =>
    client.events
      .slice(from)
      .filter((e) => e.event === "chat:message" && (e.args[0] as ChatMessage).body.startsWith(`scaleout ${run} `))
      .map((e) => (e.args[0] as ChatMessage).id);

  /**
   * Posts `n` messages one after another (each acked before the next), round-robin over the
   * senders, alternating between the processes; returns the ids in the order they were sent.
   */
  async function post(n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const sender = senders[sequence % senders.length];
      const wait = sender.lastSentAt + SENDER_GAP_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sender.lastSentAt = Date.now();
      const ack = (await sender.client.socket
        .timeout(10_000)
        .emitWithAck("chat:send", { publicId: STREAM, body: `scaleout ${run} ${sequence++}` })) as ChatSendAck;
      if (!ack.ok) throw new Error(`chat:send refused: ${ack.error} ${ack.message}`);
      ids.push(ack.id);
    }
    return ids;
  }

  it("counts a socket that only joins the chat as watching, on both processes", async () => {
    const countOf = (client: Client) =>
      client.events
        .filter((e) => e.event === "live:viewers" && (e.args[0] as { publicId: string }).publicId === OTHER_STREAM)
        .map((e) => (e.args[0] as { count: number }).count)
        .at(-1);
    const watcher = await connect(a);
    watch(watcher, OTHER_STREAM);
    await expect.poll(() => countOf(watcher), { timeout: 15_000 }).toBeGreaterThan(0);
    const base = countOf(watcher)!; // whoever an earlier test left on that stream, and the watcher
    const chatters = await Promise.all([connect(a), connect(b)]);
    for (const chatter of chatters) await joinChat(chatter, undefined, OTHER_STREAM);
    for (const client of [watcher, ...chatters])
      await expect.poll(() => countOf(client), { timeout: 15_000 }).toBe(base + 2);
    // Joining another stream's chat moves the socket: it no longer counts here.
    await joinChat(chatters[1]);
    await expect.poll(() => countOf(watcher), { timeout: 15_000 }).toBe(base + 1);
    for (const client of [watcher, ...chatters]) client.socket.disconnect();
  });

  it("delivers every chat message sent to either process to every client of both, once, in the order of its id", async () => {
    run = randomBytes(3).toString("hex");
    // Senders alternate A, B, A, ... so consecutive messages come in through different processes.
    for (const [i, phone] of SENDER_PHONES.entries()) {
      const app = i % 2 === 0 ? a : b;
      const client = await connect(app, { cookie: await signInOverHttp(app.url, phone, "xinquan2026") });
      await joinChat(client);
      senders.push({ phone, client, lastSentAt: 0 });
    }
    const readers = await Promise.all([connect(a), connect(a), connect(b), connect(b)]);
    for (const reader of readers) await joinChat(reader);
    const everyone = [...readers, ...senders.map((s) => s.client)];

    const sent = await post(24);
    expect(new Set(sent).size).toBe(24);
    expect([...sent].sort((x, y) => x - y)).toEqual(sent); // sent one after another: ids ascend
    for (const client of everyone) {
      // Exactly the sent ids, each once, in id order (toEqual on the whole list).
      await expect.poll(() => chatIds(client), { timeout: 15_000 }).toEqual(sent);
    }
    // Nothing more turns up later (a duplicate from the other process would arrive late).
    await post(1).then((last) => sent.push(...last));
    for (const client of everyone) await expect.poll(() => chatIds(client), { timeout: 15_000 }).toEqual(sent);
  });

  it("gives a chat client that comes back through the other process what it missed (connection state recovery)", async () => {
    const wanderer = await connect(a);
    await joinChat(wanderer);
    const seen = await post(2); // it needs a packet with an offset to recover from
    await expect.poll(() => chatIds(wanderer), { timeout: 15_000 }).toEqual(seen);
    const old = wanderer.socket as unknown as {
      _pid?: string;
      _lastOffset?: string;
      io: { engine: { close(): void } };
    };
    const { _pid, _lastOffset } = old;
    expect(_pid).toBeTruthy();
    const gone = new Promise((resolve) => wanderer.socket.once("disconnect", resolve));
    old.io.engine.close(); // the connection drops; the session stays
    await gone;

    const missed = await post(6); // through both processes while it is away
    const witness = senders[1].client; // on B
    await expect.poll(() => chatIds(witness).slice(-6), { timeout: 15_000 }).toEqual(missed);

    const back = await connect(b, { autoConnect: false });
    Object.assign(back.socket, { _pid, _lastOffset });
    back.socket.connect();
    await connected(back.socket);
    expect(back.socket.recovered).toBe(true);
    await expect.poll(() => chatIds(back), { timeout: 15_000 }).toEqual(missed);
    // Still in the room without joining again: it hears what comes next, once.
    const after = await post(2);
    await expect.poll(() => chatIds(back), { timeout: 15_000 }).toEqual([...missed, ...after]);
  });

  it("lets a chat client that was away too long catch up from the database with afterId on the other process", async () => {
    const leaver = await connect(b);
    await joinChat(leaver);
    const seen = await post(1);
    await expect.poll(() => chatIds(leaver), { timeout: 15_000 }).toEqual(seen);
    leaver.socket.disconnect(); // a clean disconnect ends the session: nothing to recover

    const missed = await post(5);
    const witness = senders[0].client; // on A
    await expect.poll(() => chatIds(witness).slice(-5), { timeout: 15_000 }).toEqual(missed);

    const back = await connect(a);
    expect(back.socket.recovered).toBe(false);
    const caughtUp = await joinChat(back, seen.at(-1));
    expect(caughtUp.map((m) => m.id)).toEqual(missed);
    const after = await post(2);
    await expect.poll(() => chatIds(back), { timeout: 15_000 }).toEqual(after);
    // What the page shows: the catch-up and the live messages merged by id, each once.
    const live = back.events.filter((e) => e.event === "chat:message").map((e) => e.args[0] as ChatMessage);
    expect(mergeMessages(caughtUp, live).map((m) => m.id)).toEqual([...missed, ...after]);
  });

  // ---- HLS across processes ----

  it("serves a stream's HLS files from either process (one shared folder), whichever nginx wrote them", async () => {
    // STREAM is live (as A's callbacks would record it: only a live show's files are public) ...
    const { default: postgres } = await import("postgres");
    const sql = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await sql`UPDATE bookings SET live_since = now() WHERE public_id = ${STREAM}`;
    await sql.end();
    // ... and what A's nginx writes meanwhile (a playlist and its fragment), into the shared folder.
    fs.writeFileSync(path.join(hlsDir, `${STREAM}.m3u8`), `#EXTM3U\n#EXTINF:1.000,\n${STREAM}-0.ts\n`);
    fs.writeFileSync(path.join(hlsDir, `${STREAM}-0.ts`), Buffer.alloc(188 * 4));
    for (const app of [a, b]) {
      const playlist = await fetch(`${app.url}/hls/${STREAM}.m3u8`);
      expect(playlist.status).toBe(200);
      expect(await playlist.text()).toContain(`${STREAM}-0.ts`);
      const fragment = await fetch(`${app.url}/hls/${STREAM}-0.ts`);
      expect(fragment.status).toBe(200);
      expect((await fragment.arrayBuffer()).byteLength).toBe(188 * 4);
    }
  });
});
