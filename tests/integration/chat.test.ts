import { eq } from "drizzle-orm";
import { type Socket } from "socket.io-client";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, chatMessages } from "../../db/schema";
import type { User } from "~/domain/accounts/actor";
import { chatHistory, postMessage, publicName } from "~/domain/chat/chat.server";
import { addMinutes } from "~/domain/studio/slots";
import type { ChatJoinAck, ChatMessage, ChatSendAck } from "../../livestream/chat-protocol";
import { useChatServer } from "../helpers/chat-server";
import { useTestDatabase } from "../helpers/kit";

const STARTS = new Date("2030-05-06T02:00:00Z");
const ENDS = addMinutes(STARTS, 60);
const BEFORE = addMinutes(STARTS, -30); // upcoming
const DURING = addMinutes(STARTS, 10); // the slot is under way (upcoming until the encoder connects, then live)
const AFTER = addMinutes(ENDS, 10); // ended, past the 5 minutes a running encoder may overrun

const kit = useTestDatabase();
const { db } = kit;
let resident: User;
let owner: User;

beforeAll(async () => {
  [resident, owner] = await kit.demos("resident", "shopOwner");
});

/** A booking of S0001 in studio A, a day after the last (the studio's rules are tested elsewhere). */
async function stream(extra: Partial<typeof bookings.$inferInsert> = {}) {
  const { publicId, startsAt } = await kit.newStream({
    startsAt: STARTS,
    idPrefix: "chattest",
    title: "chat test",
    extra,
  });
  const day = (startsAt.getTime() - STARTS.getTime()) / 60_000;
  return { publicId, before: addMinutes(BEFORE, day), during: addMinutes(DURING, day), after: addMinutes(AFTER, day) };
}

const stored = () => kit.rows(chatMessages);

/** Runs a call that must be refused with `code`, and checks that no chat message was written. */
const refused = (code: string, work: () => Promise<unknown>) => kit.expectRefused(stored, work, code);

describe("posting in a stream's chat", () => {
  it("refuses visitors who have not signed in", async () => {
    const s = await stream();
    await refused("auth.required", () => postMessage(db(), null, s.publicId, { body: "你好" }, s.before));
  });

  it("refuses empty and whitespace-only messages", async () => {
    const s = await stream();
    await refused("chat.empty", () => postMessage(db(), resident, s.publicId, { body: "" }, s.before));
    await refused("chat.empty", () => postMessage(db(), resident, s.publicId, { body: " \n\t\u3000 " }, s.before));
    await refused("chat.invalid", () =>
      postMessage(db(), resident, s.publicId, { body: 42 as unknown as string }, s.before),
    );
  });

  it("takes 200 characters after trimming and refuses 201", async () => {
    const s = await stream();
    const ok = await postMessage(db(), resident, s.publicId, { body: `  ${"面".repeat(200)}  ` }, s.before);
    expect(ok.body).toBe("面".repeat(200));
    // An emoji is one character to a person, two UTF-16 units to JavaScript: counted as one.
    await postMessage(db(), resident, s.publicId, { body: "🍜".repeat(200) }, s.before);
    await refused("chat.tooLong", () => postMessage(db(), resident, s.publicId, { body: "面".repeat(201) }, s.before));
    await refused("chat.tooLong", () => postMessage(db(), resident, s.publicId, { body: "a".repeat(201) }, s.before));
  });

  it("stores HTML as the text it is", async () => {
    const s = await stream();
    const body = `<img src=x onerror="alert(1)"><a href="https://example.com">买</a>`;
    const m = await postMessage(db(), resident, s.publicId, { body }, s.before);
    const [row] = await db().select().from(chatMessages).where(eq(chatMessages.id, m.id));
    expect(row.body).toBe(body);
    expect((await chatHistory(db(), null, s.publicId)).at(-1)!.body).toBe(body);
  });

  it("is open while the stream is upcoming or live, read-only after it ended or was cancelled", async () => {
    const s = await stream();
    await postMessage(db(), resident, s.publicId, { body: "快开始了吗" }, s.before);
    await db().update(bookings).set({ liveSince: s.during }).where(eq(bookings.publicId, s.publicId));
    await postMessage(db(), resident, s.publicId, { body: "看到了" }, s.during);
    await refused("chat.closed", () => postMessage(db(), resident, s.publicId, { body: "还在吗" }, s.after));
    await db().update(bookings).set({ liveEndedAt: s.during }).where(eq(bookings.publicId, s.publicId));
    await refused("chat.closed", () => postMessage(db(), owner, s.publicId, { body: "谢谢大家" }, s.during));
    const cancelled = await stream({ status: "cancelled" });
    await refused("chat.closed", () =>
      postMessage(db(), resident, cancelled.publicId, { body: "取消了？" }, cancelled.before),
    );
    // Reading stays open.
    expect((await chatHistory(db(), null, s.publicId)).map((m) => m.body)).toEqual(["快开始了吗", "看到了"]);
  });

  it("refuses an unknown stream and an unknown kind", async () => {
    const s = await stream();
    await refused("errors.notFound", () => postMessage(db(), resident, "nosuchstream", { body: "hi" }, s.before));
    await refused("chat.invalid", () =>
      postMessage(db(), resident, s.publicId, { body: "hi", kind: "shout" as "chat" }, s.before),
    );
  });

  it("keeps a kind for the feedback desk, plain chat by default", async () => {
    const s = await stream();
    const plain = await postMessage(db(), resident, s.publicId, { body: "好吃" }, s.before);
    const question = await postMessage(db(), resident, s.publicId, { body: "几点开门？", kind: "question" }, s.before);
    expect([plain.kind, question.kind]).toEqual(["chat", "question"]);
  });

  it("names the author, a phone number typed as a name masked", async () => {
    const s = await stream();
    const m = await postMessage(db(), resident, s.publicId, { body: "你好" }, s.before);
    expect(m).toMatchObject({ authorId: resident.userId, authorName: resident.displayName, publicId: s.publicId });
    expect(publicName("13912345678")).toBe("139****5678");
    expect(publicName("老李 13912345678")).toBe("老李 139****5678");
  });
});

describe("a stream's history", () => {
  it("gives the last 50 oldest first, and everything after an id", async () => {
    const s = await stream();
    const ids: number[] = [];
    // One a second: the rate limit (3 in 2 s) is tested in chat-moderation.test.ts.
    for (let i = 1; i <= 60; i++)
      ids.push(
        (await postMessage(db(), resident, s.publicId, { body: `#${i}` }, new Date(s.before.getTime() + i * 1000))).id,
      );
    const other = await stream();
    await postMessage(db(), resident, other.publicId, { body: "another stream" }, other.before);

    const last50 = await chatHistory(db(), null, s.publicId);
    expect(last50.map((m) => m.body)).toEqual(Array.from({ length: 50 }, (_, i) => `#${i + 11}`));
    const after = await chatHistory(db(), null, s.publicId, { afterId: ids[54] });
    expect(after.map((m) => m.id)).toEqual(ids.slice(55));
    expect(await chatHistory(db(), null, s.publicId, { afterId: ids[59] })).toEqual([]);
    expect((await chatHistory(db(), null, s.publicId, { afterId: 0 })).length).toBe(60);
  });

  it("leaves hidden messages out", async () => {
    const s = await stream();
    const a = await postMessage(db(), resident, s.publicId, { body: "留着" }, s.before);
    const b = await postMessage(db(), resident, s.publicId, { body: "藏起来" }, s.before);
    await db()
      .update(chatMessages)
      .set({ hiddenAt: s.before, hiddenBy: owner.userId, hiddenReason: "test" })
      .where(eq(chatMessages.id, b.id));
    expect((await chatHistory(db(), null, s.publicId)).map((m) => m.id)).toEqual([a.id]);
  });
});

describe("the chat on socket.io", () => {
  // The test names the user in place of the gateway's cookie handshake.
  const { now, client } = useChatServer({
    db,
    users: () => ({ resident, owner }),
    io: { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } },
  });
  const join = (socket: Socket, payload: unknown) => socket.emitWithAck("chat:join", payload) as Promise<ChatJoinAck>;
  const send = (socket: Socket, payload: unknown) => socket.emitWithAck("chat:send", payload) as Promise<ChatSendAck>;

  /** What a viewer who may not moderate hears on joining a quiet room. */
  const emptyRoom = { ok: true, messages: [], slowModeSeconds: 0, canModerate: false, pinned: null, polls: [] };

  it("acks with the stored row's id and broadcasts the row to the room, the sender included", async () => {
    const s = await stream();
    now.at = s.before;
    const [alice, bob, elsewhere] = await Promise.all([client("resident"), client("owner"), client()]);
    expect(await join(alice, { publicId: s.publicId })).toEqual(emptyRoom);
    await join(bob, { publicId: s.publicId });
    const other = await stream();
    await join(elsewhere, { publicId: other.publicId });
    const heard: Record<string, ChatMessage[]> = { alice: [], bob: [], elsewhere: [] };
    alice.on("chat:message", (m) => heard.alice.push(m));
    bob.on("chat:message", (m) => heard.bob.push(m));
    elsewhere.on("chat:message", (m) => heard.elsewhere.push(m));

    const ack = await send(alice, { publicId: s.publicId, body: "  <b>你好</b>  " });
    expect(ack.ok).toBe(true);
    const id = (ack as { id: number }).id;
    const [row] = await db().select().from(chatMessages).where(eq(chatMessages.id, id));
    expect(row).toMatchObject({ body: "<b>你好</b>", authorId: resident.userId, kind: "chat" });
    await expect.poll(() => heard.bob.length).toBe(1);
    await expect.poll(() => heard.alice.length).toBe(1);
    expect(heard.bob[0]).toEqual({
      id,
      seq: 1,
      publicId: s.publicId,
      body: "<b>你好</b>",
      kind: "chat",
      authorId: resident.userId,
      authorName: resident.displayName,
      createdAt: s.before.toISOString(),
    });
    // A second join (a client that was away) gets what it missed, and nothing leaks to another stream.
    expect(await join(bob, { publicId: s.publicId, afterId: id - 1 })).toEqual({
      ok: true,
      messages: [heard.bob[0]],
      slowModeSeconds: 0,
      canModerate: true,
      pinned: null,
      polls: [],
    });
    expect(heard.elsewhere).toEqual([]);
  });

  it("refuses with a stable code and a message in the socket's language", async () => {
    const s = await stream();
    now.at = s.before;
    const [visitor, english, chinese] = await Promise.all([
      client(undefined, "en"),
      client("resident", "en"),
      client("resident"),
    ]);
    expect(await send(visitor, { publicId: s.publicId, body: "hi" })).toEqual({
      ok: false,
      error: "auth.required",
      message: "Please log in first.",
    });
    expect(await send(english, { publicId: s.publicId, body: "x".repeat(201) })).toEqual({
      ok: false,
      error: "chat.tooLong",
      message: "A message may be at most 200 characters.",
    });
    expect(await send(chinese, { publicId: s.publicId, body: "   " })).toEqual({
      ok: false,
      error: "chat.empty",
      message: "请输入内容。",
    });
    expect(await send(chinese, null)).toMatchObject({ ok: false, error: "chat.invalid" });
    expect(await join(chinese, { publicId: "../etc" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await join(chinese, { publicId: "nosuchstream" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await join(chinese, { publicId: s.publicId, afterId: "x" })).toMatchObject({
      ok: false,
      error: "chat.invalid",
    });
    now.at = s.after;
    expect(await send(chinese, { publicId: s.publicId, body: "还在吗" })).toMatchObject({
      ok: false,
      error: "chat.closed",
    });
    expect(await chatHistory(db(), null, s.publicId)).toEqual([]);
    // Anyone may read.
    expect(await join(visitor, { publicId: s.publicId })).toEqual(emptyRoom);
  });
});
