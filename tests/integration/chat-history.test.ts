/**
 * A stream's whole chat, page by page, and the commit-ordered cursor (docs/decisions/023):
 * every message gets the stream's next seq in its own transaction, seqs are 1, 2, 3, ... per
 * stream without gaps, catch-up and "load older" go by seq, and the watch page's loader serves the
 * older pages (the replay's, and the live chat's "load older"). The interleaving of two open
 * transactions is in chat-order.pg.test.ts (PGlite runs one transaction at a time).
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, chatMessages } from "../../db/schema";
import { chatHistory, chatHistoryPage, postMessage } from "~/domain/chat/chat.server";
import { addMinutes } from "~/domain/studio/slots";
import { loader as watchLoader } from "~/routes/live.$publicId";
import { createI18n, loadLocale } from "~/i18n/i18n";
import { useTestDatabase } from "../helpers/kit";

const STARTS = new Date("2030-07-01T02:00:00Z");
const kit = useTestDatabase();
const { db } = kit;
const actors = kit.signedIn({ resident: "resident", owner: "shopOwner", officer: "president" });

beforeAll(async () => {
  await loadLocale("en");
});

async function stream() {
  const { publicId, startsAt } = await kit.newStream({ startsAt: STARTS, idPrefix: "histtest", title: "history" });
  return { publicId, before: addMinutes(startsAt, -30), after: addMinutes(startsAt, 75) };
}

/** `n` messages one a second (inside the rate limit), from three people in turn; returns them in order. */
async function fill(s: Awaited<ReturnType<typeof stream>>, n: number) {
  const people = [actors.resident, actors.owner, actors.officer];
  const sent = [];
  for (let i = 1; i <= n; i++) {
    const at = new Date(s.before.getTime() + i * 1000);
    sent.push(await postMessage(db(), people[i % 3], s.publicId, { body: `第${i}条 #${i}` }, at));
  }
  return sent;
}

/** The watch page's loader as the server calls it (an ingest that is offline). */
const watch = (url: string, publicId: string) => {
  const args = kit.routeArgs(url, null, { publicId }) as { context: Record<string, unknown> };
  args.context.ingest = { online: () => false };
  return watchLoader(args as never);
};

const hide = (id: number, at: Date) =>
  db()
    .update(chatMessages)
    .set({ hiddenAt: at, hiddenBy: actors.owner.userId, hiddenReason: "test" })
    .where(eq(chatMessages.id, id));

describe("a stream's chat, numbered and paged", () => {
  it("numbers each stream's messages 1, 2, 3, ... and keeps the counter on the booking", async () => {
    const [a, b] = [await stream(), await stream()];
    const inA = await fill(a, 3);
    const inB = await postMessage(db(), actors.resident, b.publicId, { body: "另一场" }, b.before);
    expect(inA.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(inB.seq).toBe(1);
    const [row] = await db()
      .select({ chatSeq: bookings.chatSeq })
      .from(bookings)
      .where(eq(bookings.publicId, a.publicId));
    expect(row.chatSeq).toBe(3);
  });

  it("gives concurrent messages distinct seqs without gaps, in the order they committed", async () => {
    const s = await stream();
    const people = [actors.resident, actors.owner, actors.officer];
    const sent = await Promise.all(
      people.map((p, i) => postMessage(db(), p, s.publicId, { body: `同时 ${i}` }, s.before)),
    );
    expect(sent.map((m) => m.seq).sort()).toEqual([1, 2, 3]);
    // The next seq is taken right before the insert, under the booking row's lock: ids follow seqs.
    const bySeq = [...sent].sort((x, y) => x.seq - y.seq);
    expect(bySeq.map((m) => m.id)).toEqual([...sent].map((m) => m.id).sort((x, y) => x - y));
  });

  it("pages through every visible message of a 96-message show, 50 at a time, hidden ones left out", async () => {
    const s = await stream();
    const sent = await fill(s, 96);
    const hidden = [sent[3], sent[47], sent[90]];
    for (const m of hidden) await hide(m.id, s.before);
    const visible = sent.filter((m) => !hidden.includes(m));

    const first = await chatHistoryPage(db(), null, s.publicId);
    expect(first.messages.map((m) => m.seq)).toEqual(visible.slice(-50).map((m) => m.seq));
    expect(first.olderBefore).toBe(first.messages[0].seq);
    const second = await chatHistoryPage(db(), null, s.publicId, { beforeSeq: first.olderBefore! });
    expect(second.messages.map((m) => m.id)).toEqual(visible.slice(0, -50).map((m) => m.id));
    expect(second.olderBefore).toBeNull();
    expect([...second.messages, ...first.messages].map((m) => m.body)).toEqual(visible.map((m) => m.body));
  });

  it("catches up by seq, and reads an old client's afterId as that message's seq", async () => {
    const s = await stream();
    const sent = await fill(s, 6);
    await hide(sent[4].id, s.before);
    expect((await chatHistory(db(), null, s.publicId, { afterSeq: sent[2].seq })).map((m) => m.id)).toEqual([
      sent[3].id,
      sent[5].id,
    ]);
    expect((await chatHistory(db(), null, s.publicId, { afterId: sent[2].id })).map((m) => m.id)).toEqual([
      sent[3].id,
      sent[5].id,
    ]);
    expect(await chatHistory(db(), null, s.publicId, { afterSeq: sent[5].seq })).toEqual([]);
  });

  it("serves older pages from the watch page's loader, on the replay and while the chat is open", async () => {
    const s = await stream();
    const sent = await fill(s, 60);
    // Upcoming (chat open): the socket brings the newest; ?chatBefore= gives a page of older ones.
    const open = await watch(`/live/${s.publicId}?chatBefore=${sent[55].seq}`, s.publicId);
    expect(open.chatOpen).toBe(true);
    expect(open.chat.map((m) => m.seq)).toEqual(sent.slice(5, 55).map((m) => m.seq));
    expect(open.chatOlderBefore).toBe(sent[5].seq);

    // Ended: the replay renders the newest page, with where the older one starts.
    await db()
      .update(bookings)
      .set({ liveSince: s.before, liveEndedAt: addMinutes(s.before, 60), endsAt: addMinutes(s.before, 60) })
      .where(eq(bookings.publicId, s.publicId));
    const replay = await watch(`/live/${s.publicId}`, s.publicId);
    expect(replay.chatOpen).toBe(false);
    expect(replay.chat.map((m) => m.id)).toEqual(sent.slice(10).map((m) => m.id));
    const older = await watch(`/live/${s.publicId}?chatBefore=${replay.chatOlderBefore}`, s.publicId);
    expect(older.chat.map((m) => m.id)).toEqual(sent.slice(0, 10).map((m) => m.id));
    expect(older.chatOlderBefore).toBeNull();
  });

  it("answers a malformed page cursor with 400 and a message in the reader's language", async () => {
    const s = await stream();
    for (const bad of ["abc", "-1", "1.5", "0"]) {
      await expect(watch(`/live/${s.publicId}?chatBefore=${bad}`, s.publicId)).rejects.toMatchObject({
        init: { status: 400 },
        data: { code: "chat.badPage" },
      });
    }
    expect(createI18n("zh-CN").t("chat.badPage")).toBe("没有这一页聊天记录。");
    expect(createI18n("en").t("chat.badPage")).toBe("That page of the chat does not exist.");
  });
});
