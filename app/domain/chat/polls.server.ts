import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { bookings, chatPolls, chatPollVotes } from "../../../db/schema";
import type { ChatPoll } from "./protocol";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404, notFound } from "../errors";
import { streamState } from "../studio/slots";
import { chatOpenIn } from "./chat.server";
import { pollOpenSchema, pollVoteSchema } from "./schemas";
import { columnsOf, preparedFor } from "../../../db/select";

/**
 * Live polls beside a stream. The streaming business's members, officers and staff ask a
 * question with 2 to 6 options; one open poll per stream at a time (a partial unique index holds
 * it even between processes); one vote per account (the primary key). Polls and results stay on
 * the replay page.
 */
async function findStream(db: Db, publicId: string) {
  const row = await foundOr404(
    preparedFor(db, "pollStream", () =>
      db
        .select(columnsOf(bookings, "id", "businessId", "status", "endsAt", "liveSince", "liveEndedAt"))
        .from(bookings)
        .where(eq(bookings.publicId, sql.placeholder("publicId"))),
    ).execute({ publicId }),
  );
  return row;
}

/** A stream's polls, oldest first, with the counts per option and the actor's own vote. */
export async function streamPolls(db: Db, actor: Actor, publicId: string): Promise<ChatPoll[]> {
  const stream = await findStream(db, publicId);
  const polls = await preparedFor(db, "streamPolls", () =>
    db
      .select()
      .from(chatPolls)
      .where(eq(chatPolls.bookingId, sql.placeholder("bookingId")))
      .orderBy(asc(chatPolls.id)),
  ).execute({ bookingId: stream.id });
  if (polls.length === 0) return [];
  const ids = polls.map((p) => p.id);
  const counts = await db
    .select({ pollId: chatPollVotes.pollId, option: chatPollVotes.option, n: count() })
    .from(chatPollVotes)
    .where(inArray(chatPollVotes.pollId, ids))
    .groupBy(chatPollVotes.pollId, chatPollVotes.option);
  const mine = actor
    ? await db
        .select({ pollId: chatPollVotes.pollId, option: chatPollVotes.option })
        .from(chatPollVotes)
        .where(and(inArray(chatPollVotes.pollId, ids), eq(chatPollVotes.userId, actor.userId)))
    : [];
  return polls.map((p) => ({
    id: p.id,
    publicId,
    question: p.question,
    options: p.options,
    votes: p.options.map((_, i) => counts.find((c) => c.pollId === p.id && c.option === i)?.n ?? 0),
    open: p.closedAt === null,
    myVote: mine.find((m) => m.pollId === p.id)?.option ?? null,
  }));
}

async function pollById(db: Db, actor: Actor, publicId: string, id: number) {
  const poll = (await streamPolls(db, actor, publicId)).find((p) => p.id === id);
  if (!poll) throw notFound();
  return poll;
}

export async function openPoll(db: Db, actor: Actor, publicId: string, input: unknown, now: Date): Promise<ChatPoll> {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.moderate", businessId: stream.businessId });
  const parsed = pollOpenSchema.safeParse(input);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0]?.message ?? "chat.invalid", 400, "question");
  if (!chatOpenIn(streamState(stream, now))) throw new DomainError("chat.closed", 409);
  const id = await db.transaction(async (tx) => {
    const [open] = await tx
      .select({ id: chatPolls.id })
      .from(chatPolls)
      .where(and(eq(chatPolls.bookingId, stream.id), isNull(chatPolls.closedAt)));
    if (open) throw new DomainError("chat.pollAlreadyOpen", 409);
    const [row] = await tx
      .insert(chatPolls)
      .values({
        bookingId: stream.id,
        question: parsed.data.question,
        options: parsed.data.options,
        createdBy: actor.userId,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: chatPolls.id });
    if (!row) throw new DomainError("chat.pollAlreadyOpen", 409);
    await recordAudit(tx, actor, "chat.pollOpen", row.id, { after: parsed.data });
    return row.id;
  });
  return pollById(db, actor, publicId, id);
}

export async function closePoll(
  db: Db,
  actor: Actor,
  publicId: string,
  input: { pollId: unknown },
  now: Date,
): Promise<ChatPoll> {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.moderate", businessId: stream.businessId });
  const pollId = Number(input.pollId);
  if (!Number.isInteger(pollId) || pollId <= 0) throw new DomainError("chat.invalid", 400);
  await db.transaction(async (tx) => {
    const poll = await foundOr404(
      tx
        .select()
        .from(chatPolls)
        .where(and(eq(chatPolls.id, pollId), eq(chatPolls.bookingId, stream.id)))
        .for("update"),
    );
    if (poll.closedAt) throw new DomainError("chat.pollClosed", 409);
    await tx.update(chatPolls).set({ closedAt: now }).where(eq(chatPolls.id, pollId));
    await recordAudit(tx, actor, "chat.pollClose", pollId);
  });
  return pollById(db, actor, publicId, pollId);
}

/** One vote per account, on an open poll of a stream whose chat is open. */
export async function votePoll(db: Db, actor: Actor, publicId: string, input: unknown, now: Date): Promise<ChatPoll> {
  if (!actor) throw new DomainError("auth.required", 403);
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.post", businessId: stream.businessId });
  const parsed = pollVoteSchema.safeParse(input);
  if (!parsed.success) throw new DomainError("chat.invalid", 400);
  const { pollId, option } = parsed.data;
  await db.transaction(async (tx) => {
    const poll = await foundOr404(
      tx
        .select()
        .from(chatPolls)
        .where(and(eq(chatPolls.id, pollId), eq(chatPolls.bookingId, stream.id))),
    );
    if (poll.closedAt || !chatOpenIn(streamState(stream, now))) throw new DomainError("chat.pollClosed", 409);
    if (option >= poll.options.length) throw new DomainError("chat.invalid", 400);
    const [row] = await tx
      .insert(chatPollVotes)
      .values({ pollId, userId: actor.userId, option, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DomainError("chat.alreadyVoted", 409);
  });
  return pollById(db, actor, publicId, pollId);
}
