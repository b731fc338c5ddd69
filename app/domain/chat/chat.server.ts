import { and, asc, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { bookings, chatMessages, users } from "../../../db/schema";
import { CHAT_CATCH_UP_LIMIT, CHAT_HISTORY_SIZE, type ChatMessage } from "../../../livestream/chat-protocol";
import { maskPhone } from "../../lib/phone";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { DomainError, notFound } from "../errors";
import { streamState, type StreamState } from "../studio/slots";
import { chatPostSchema, type ChatPostInput } from "./schemas";

/**
 * Live chat beside a stream. Anyone may read a stream's chat; posting needs an account and is
 * open while the stream is upcoming or live. After it ended (or was cancelled) the chat is
 * read-only and stays on the replay page.
 */
export const chatOpenIn = (state: StreamState) => state === "upcoming" || state === "live";

/** Display names are what people typed at registration; a phone number typed there is masked. */
export const publicName = (name: string) => name.replace(/1[3-9]\d{9}/g, (phone) => maskPhone(phone));

async function findStream(db: Db, publicId: string) {
  const [row] = await db
    .select({
      id: bookings.id,
      publicId: bookings.publicId,
      businessId: bookings.businessId,
      status: bookings.status,
      endsAt: bookings.endsAt,
      liveSince: bookings.liveSince,
      liveEndedAt: bookings.liveEndedAt,
    })
    .from(bookings)
    .where(eq(bookings.publicId, publicId));
  if (!row) throw notFound();
  return row;
}

const messageColumns = {
  id: chatMessages.id,
  body: chatMessages.body,
  kind: chatMessages.kind,
  authorId: chatMessages.authorId,
  authorName: users.displayName,
  createdAt: chatMessages.createdAt,
};

const toWire = (publicId: string, row: { id: number; body: string; kind: string; authorId: string; authorName: string; createdAt: Date }): ChatMessage => ({
  id: row.id,
  publicId,
  body: row.body,
  kind: row.kind,
  authorId: row.authorId,
  authorName: publicName(row.authorName),
  createdAt: row.createdAt.toISOString(),
});

/**
 * Stores one message and returns it as it is broadcast. The row is committed when this returns,
 * so the caller broadcasts only what is stored, and the ack's id is the row's id.
 */
export async function postMessage(db: Db, actor: Actor, publicId: string, input: ChatPostInput, now = new Date()): Promise<ChatMessage> {
  if (!actor) throw new DomainError("auth.required", 403);
  const parsed = chatPostSchema.safeParse(input);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0]?.message ?? "chat.invalid", 400, "body");
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.post", businessId: stream.businessId });
  if (!chatOpenIn(streamState(stream, now))) throw new DomainError("chat.closed", 409);
  const [row] = await db
    .insert(chatMessages)
    .values({ bookingId: stream.id, authorId: actor.userId, body: parsed.data.body, kind: parsed.data.kind, createdAt: now })
    .returning();
  return toWire(publicId, { ...row!, authorName: actor.displayName });
}

/**
 * A stream's visible messages, oldest first: the last 50, or with `afterId` every message after
 * that id (at most 500, the oldest of them, so a client can page on).
 */
export async function chatHistory(db: Db, _actor: Actor, publicId: string, options: { afterId?: number } = {}): Promise<ChatMessage[]> {
  const stream = await findStream(db, publicId);
  const visible = and(eq(chatMessages.bookingId, stream.id), isNull(chatMessages.hiddenAt));
  const base = db.select(messageColumns).from(chatMessages).innerJoin(users, eq(users.id, chatMessages.authorId));
  if (options.afterId !== undefined) {
    const rows = await base
      .where(and(visible, gt(chatMessages.id, options.afterId)))
      .orderBy(asc(chatMessages.id))
      .limit(CHAT_CATCH_UP_LIMIT);
    return rows.map((r) => toWire(publicId, r));
  }
  const rows = await base.where(visible).orderBy(desc(chatMessages.id)).limit(CHAT_HISTORY_SIZE);
  return rows.reverse().map((r) => toWire(publicId, r));
}
