/**
 * Catch-up cannot skip a message committed late (docs/decisions/023). Two chat messages of one
 * stream in two open transactions: the first takes its number, then waits (a lock another
 * connection holds on the feedback table, which a question must write to) while the second is
 * sent; a reader catches up in between and again after both committed, each time from the last
 * message it has, as the watch page does. It must end with both messages.
 * Postgres server only: PGlite runs one transaction at a time, so two cannot interleave there.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client";
import { chatHistory, postMessage } from "~/domain/chat/chat.server";
import { addMinutes } from "~/domain/studio/slots";
import type { ChatMessage } from "../../livestream/chat-protocol";
import { useTestDatabase } from "../helpers/kit";

if (process.env.XQ_TEST_DB !== "postgres") throw new Error("chat-order runs on the Postgres server only");

const kit = useTestDatabase();
const { db } = kit;
const actors = kit.signedIn({ resident: "resident", owner: "shopOwner", officer: "president" });

/** Sessions of this database waiting for a lock now. */
async function waiting(): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await db().execute(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    ),
  );
  return rows[0].n;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out");
}

describe("catching up after a reconnection", () => {
  it("gets a message committed after a later one was sent, which an id cursor would skip", async () => {
    const { publicId, startsAt } = await kit.newStream({
      startsAt: new Date("2030-09-01T02:00:00Z"),
      idPrefix: "ordr",
    });
    const at = addMinutes(startsAt, -20);
    const first = await postMessage(db(), actors.officer, publicId, { body: "开始" }, at);
    // The reader has everything so far; its cursor is the last message's seq.
    const reader: ChatMessage[] = await chatHistory(db(), null, publicId);
    expect(reader.map((m) => m.id)).toEqual([first.id]);
    const cursor = () => reader.at(-1)!.seq;

    // Another connection holds the feedback table: a question (which lands on the desk) waits there.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db().transaction(async (tx) => {
      await tx.execute(sql`lock table feedback in exclusive mode`);
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await isLocked;
    const late = postMessage(db(), actors.resident, publicId, { body: "几点开始？", kind: "question" }, at);
    await until(async () => (await waiting()) >= 1); // it took its number and waits inside its transaction
    const early = postMessage(db(), actors.owner, publicId, { body: "马上就来" }, at);
    // With an id cursor the plain message commits now with the higher id; here it waits its turn.
    await Promise.race([early, until(async () => (await waiting()) >= 2)]);

    reader.push(...(await chatHistory(db(), null, publicId, { afterSeq: cursor() })));
    release();
    await holder;
    const [lateMessage, earlyMessage] = await Promise.all([late, early]);
    reader.push(...(await chatHistory(db(), null, publicId, { afterSeq: cursor() })));

    expect(reader.map((m) => m.id).sort((x, y) => x - y)).toEqual(
      [first.id, lateMessage.id, earlyMessage.id].sort((x, y) => x - y),
    );
    // The one sent first committed first, and its seq says so.
    expect(lateMessage.seq).toBeLessThan(earlyMessage.seq);
  });
});
