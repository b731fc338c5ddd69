import { and, asc, desc, eq, gt, isNull, lt, lte, max, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  bookings,
  businesses,
  chatMessages,
  chatPins,
  products,
  chatSanctions,
  feedback,
  users,
  type FeedbackKind,
} from "../../../db/schema";
import {
  CHAT_CATCH_UP_LIMIT,
  CHAT_HISTORY_SIZE,
  CHAT_RATE_LIMIT,
  type ChatMessage,
  type ChatPinnedProduct,
} from "./protocol";
import { maskPhone } from "../../lib/phone";
import { loadUser } from "../accounts/accounts.server";
import type { Actor } from "../accounts/actor";
import { notify } from "../notifications/notifications.server";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404, notFound } from "../errors";
import { districtMinute, formatClock, streamState, type StreamState } from "../studio/slots";
import {
  chatHideSchema,
  chatSanctionSchema,
  chatSlowModeSchema,
  chatToFeedbackSchema,
  chatPostSchema,
  type ChatPostInput,
} from "./schemas";
import { columnsOf, preparedFor } from "../../../db/select";

/**
 * Live chat beside a stream. Anyone may read a stream's chat; posting needs an account and is
 * open while the stream is upcoming or live. After it ended (or was cancelled) the chat is
 * read-only and stays on the replay page.
 */
export const chatOpenIn = (state: StreamState) => state === "upcoming" || state === "live";

/** Display names are what people typed at registration; a phone number typed there is masked. */
export const publicName = (name: string) => name.replace(/1[3-9]\d{9}/g, (phone) => maskPhone(phone));

async function findStream(db: Db, publicId: string) {
  // Every stream page, chat message and poll starts here: built once (docs/decisions/047).
  const row = await foundOr404(
    preparedFor(db, "chatStream", () =>
      db
        .select({
          ...columnsOf(
            bookings,
            "id",
            "publicId",
            "businessId",
            "status",
            "endsAt",
            "liveSince",
            "liveEndedAt",
            "chatSlowSeconds",
            "title",
          ),
          businessName: businesses.name,
        })
        .from(bookings)
        .innerJoin(businesses, eq(businesses.id, bookings.businessId))
        .where(eq(bookings.publicId, sql.placeholder("publicId"))),
    ).execute({ publicId }),
  );
  return row;
}

const messageColumns = {
  id: chatMessages.id,
  seq: chatMessages.seq,
  body: chatMessages.body,
  kind: chatMessages.kind,
  authorId: chatMessages.authorId,
  authorName: users.displayName,
  createdAt: chatMessages.createdAt,
};

const toWire = (
  publicId: string,
  row: { id: number; seq: number; body: string; kind: string; authorId: string; authorName: string; createdAt: Date },
): ChatMessage => ({
  id: row.id,
  seq: row.seq,
  publicId,
  body: row.body,
  kind: row.kind,
  authorId: row.authorId,
  authorName: publicName(row.authorName),
  createdAt: row.createdAt.toISOString(),
});

/** What turns a chat message into a feedback item: its kind, or the moderator's choice. */
const feedbackKindOf = (kind: string): FeedbackKind | null =>
  kind === "suggestion" || kind === "complaint" || kind === "question" ? kind : null;

/**
 * The sanction that silences this user in this stream now, if any: a ban from the business's
 * streams, or a mute in this stream that has not run out.
 */
export async function activeSanction(db: Db, userId: string, stream: { id: number; businessId: number }, now: Date) {
  const rows = await db
    .select()
    .from(chatSanctions)
    .where(
      and(
        eq(chatSanctions.userId, userId),
        eq(chatSanctions.businessId, stream.businessId),
        or(
          and(eq(chatSanctions.kind, "ban"), isNull(chatSanctions.bookingId)),
          and(eq(chatSanctions.kind, "mute"), eq(chatSanctions.bookingId, stream.id)),
        ),
      ),
    )
    .orderBy(desc(chatSanctions.id));
  return rows.find((r) => r.until === null || r.until > now) ?? null;
}

const sanctionRefusal = (s: typeof chatSanctions.$inferSelect) =>
  s.kind === "ban"
    ? new DomainError("chat.banned", 403, undefined, { reason: s.reason })
    : new DomainError("chat.muted", 403, undefined, { reason: s.reason, until: formatClock(districtMinute(s.until!)) });

/**
 * Stores one message and returns it as it is broadcast. The row is committed when this returns,
 * so the caller broadcasts only what is stored, and the ack's id is the row's id.
 *
 * Rules, checked in one transaction that first locks the author's user row (so two processes
 * serving the same stream count the same rows): not banned from the business's streams, not muted
 * in this one, at most 3 messages in 2 seconds, and with slow mode on one message per N seconds
 * (the business's members, officers and staff are exempt from slow mode, not from the rate limit).
 * A suggestion, complaint or question also lands in the feedback desk, in the same transaction.
 *
 * The message's seq is the stream's counter plus one, taken by updating the booking row right
 * before the insert: the row stays locked until this transaction ends, so the next message of the
 * stream gets its seq (and its id) only after this one committed or rolled back. Seq order is
 * commit order, and a reader that has seq N has every visible message up to N (docs/decisions/023).
 */
export async function postMessage(
  db: Db,
  actor: Actor,
  publicId: string,
  input: ChatPostInput,
  now = new Date(),
): Promise<ChatMessage> {
  if (!actor) throw new DomainError("auth.required", 403);
  const parsed = chatPostSchema.safeParse(input);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0]?.message ?? "chat.invalid", 400, "body");
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.post", businessId: stream.businessId });
  if (!chatOpenIn(streamState(stream, now))) throw new DomainError("chat.closed", 409);
  const row = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).for("update");
    const sanction = await activeSanction(tx, actor.userId, stream, now);
    if (sanction) throw sanctionRefusal(sanction);
    // One read of the author's recent messages in this stream answers both the rate limit and
    // slow mode (the business's members, officers and staff are exempt from slow mode only).
    const slow = can(actor, { action: "chat.moderate", businessId: stream.businessId }) ? 0 : stream.chatSlowSeconds;
    const rateStart = new Date(now.getTime() - CHAT_RATE_LIMIT.windowSeconds * 1000);
    const slowStart = new Date(now.getTime() - slow * 1000);
    const since = slowStart < rateStart ? slowStart : rateStart;
    const [own] = await tx
      .select({
        recent:
          sql<number>`count(*) filter (where ${chatMessages.createdAt} > ${rateStart.toISOString()}::timestamptz)`.mapWith(
            Number,
          ),
        last: max(chatMessages.createdAt),
      })
      .from(chatMessages)
      .where(
        and(
          eq(chatMessages.bookingId, stream.id),
          eq(chatMessages.authorId, actor.userId),
          gt(chatMessages.createdAt, since),
        ),
      );
    if (own.recent >= CHAT_RATE_LIMIT.messages) {
      throw new DomainError("chat.rateLimited", 429, undefined, {
        count: CHAT_RATE_LIMIT.messages,
        seconds: CHAT_RATE_LIMIT.windowSeconds,
      });
    }
    if (slow > 0 && own.last && own.last > slowStart)
      throw new DomainError("chat.slowMode", 429, undefined, { seconds: slow });
    const [counter] = await tx
      .update(bookings)
      .set({ chatSeq: sql`${bookings.chatSeq} + 1` })
      .where(eq(bookings.id, stream.id))
      .returning({ seq: bookings.chatSeq });
    const [inserted] = await tx
      .insert(chatMessages)
      .values({
        seq: counter.seq,
        bookingId: stream.id,
        authorId: actor.userId,
        body: parsed.data.body,
        kind: parsed.data.kind,
        createdAt: now,
      })
      .returning();
    const kind = feedbackKindOf(parsed.data.kind);
    if (kind) {
      const item = await feedbackFromMessage(tx, { ...inserted, publicId, businessId: stream.businessId }, kind, now);
      await recordAudit(tx, actor, "feedback.given", item, {
        after: { kind, source: "live_chat", message: inserted.id },
      });
      return { ...inserted, feedbackId: item };
    }
    return inserted;
  });
  return toWire(publicId, { ...row, authorName: actor.displayName });
}

/** A feedback item from a chat message: the stream, its business, the time and the author; the message remembers it. */
async function feedbackFromMessage(
  tx: Db,
  message: { id: number; body: string; authorId: string; createdAt: Date; publicId: string; businessId: number },
  kind: FeedbackKind,
  now: Date,
) {
  const [item] = await tx
    .insert(feedback)
    .values({
      source: "live_chat",
      kind,
      businessId: message.businessId,
      streamRef: message.publicId,
      authorId: message.authorId,
      body: message.body,
      createdAt: message.createdAt,
      updatedAt: now,
    })
    .returning({ id: feedback.id });
  await tx.update(chatMessages).set({ feedbackId: item.id }).where(eq(chatMessages.id, message.id));
  return item.id;
}

/** Whether this actor moderates this stream's chat: the business's members, officers, staff. */
export async function canModerateChat(db: Db, actor: Actor, publicId: string) {
  const stream = await findStream(db, publicId);
  return can(actor, { action: "chat.moderate", businessId: stream.businessId });
}

async function findMessage(tx: Db, streamId: number, id: number) {
  const row = await foundOr404(
    tx
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.id, id), eq(chatMessages.bookingId, streamId)))
      .for("update"),
  );
  return row;
}

/**
 * Hides a message for everyone (the author included): it leaves the history, the caller tells
 * the room (`chat:hidden`). The row stays, with who hid it and why, for the audit trail.
 */
export async function hideMessage(db: Db, actor: Actor, publicId: string, input: unknown, now: Date) {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.moderate", businessId: stream.businessId });
  const parsed = chatHideSchema.safeParse(input);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0]?.message ?? "chat.invalid", 400, "reason");
  const { id, reason } = parsed.data;
  return db.transaction(async (tx) => {
    const message = await findMessage(tx, stream.id, id);
    if (message.hiddenAt) return { id, publicId };
    await tx
      .update(chatMessages)
      .set({ hiddenAt: now, hiddenBy: actor.userId, hiddenReason: reason })
      .where(eq(chatMessages.id, id));
    await notify(tx, message.authorId, {
      kind: "chat.messageHidden",
      params: { title: stream.title, reason },
      link: `/live/${publicId}`,
    });
    await recordAudit(tx, actor, "chat.hide", id, {
      before: { body: message.body, authorId: message.authorId },
      after: { reason },
    });
    return { id, publicId };
  });
}

/**
 * Mutes a user in this stream for N minutes, or bans them from every stream of the business.
 * Nobody silences the stream's own moderators (its business's members, officers, staff).
 */
export async function sanctionUser(db: Db, actor: Actor, publicId: string, input: unknown, now: Date) {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.moderate", businessId: stream.businessId });
  const parsed = chatSanctionSchema.safeParse(input);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0]?.message ?? "chat.invalid", 400, "reason");
  const v = parsed.data;
  const target = await loadUser(db, v.userId);
  if (!target) throw notFound();
  if (can(target, { action: "chat.moderate", businessId: stream.businessId }))
    throw new DomainError("chat.cannotSanction", 409);
  return db.transaction(async (tx) => {
    const until = v.kind === "mute" ? new Date(now.getTime() + v.minutes! * 60_000) : null;
    const [row] = await tx
      .insert(chatSanctions)
      .values({
        kind: v.kind,
        businessId: stream.businessId,
        bookingId: v.kind === "mute" ? stream.id : null,
        userId: v.userId,
        reason: v.reason,
        until,
        createdBy: actor.userId,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, actor, `chat.${v.kind}`, v.userId, {
      after: { stream: publicId, businessId: stream.businessId, reason: v.reason, until },
    });
    await notify(tx, v.userId, {
      kind: v.kind === "mute" ? "chat.muted" : "chat.banned",
      params: {
        reason: v.reason,
        title: stream.title,
        business: stream.businessName,
        until: until ? formatClock(districtMinute(until)) : "",
      },
      link: `/live/${publicId}`,
    });
    return row;
  });
}

/** Slow mode: one message per N seconds per viewer (0 turns it off). */
export async function setSlowMode(db: Db, actor: Actor, publicId: string, input: unknown) {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.moderate", businessId: stream.businessId });
  const parsed = chatSlowModeSchema.safeParse(input);
  if (!parsed.success) throw new DomainError("chat.invalid", 400, "seconds");
  const seconds = parsed.data.seconds;
  await db.transaction(async (tx) => {
    await tx.update(bookings).set({ chatSlowSeconds: seconds }).where(eq(bookings.id, stream.id));
    await recordAudit(tx, actor, "chat.slowMode", stream.id, {
      before: { seconds: stream.chatSlowSeconds },
      after: { seconds },
    });
  });
  return { publicId, slowModeSeconds: seconds };
}

/** A stream's chat settings as a joining client needs them. */
export async function chatSettings(db: Db, publicId: string) {
  const stream = await findStream(db, publicId);
  return { slowModeSeconds: stream.chatSlowSeconds };
}

/** An officer or the streaming merchant turns any message into a feedback item (once). */
export async function messageToFeedback(db: Db, actor: Actor, publicId: string, input: unknown, now: Date) {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.moderate", businessId: stream.businessId });
  const parsed = chatToFeedbackSchema.safeParse(input);
  if (!parsed.success) throw new DomainError("chat.invalid", 400, "kind");
  return db.transaction(async (tx) => {
    const message = await findMessage(tx, stream.id, parsed.data.id);
    if (message.feedbackId !== null) throw new DomainError("chat.alreadyFeedback", 409);
    const item = await feedbackFromMessage(
      tx,
      { ...message, publicId, businessId: stream.businessId },
      parsed.data.kind,
      now,
    );
    await recordAudit(tx, actor, "chat.toFeedback", message.id, {
      after: { feedbackId: item, kind: parsed.data.kind },
    });
    return { feedbackId: item };
  });
}

export interface ChatHistoryOptions {
  /** Every visible message after this seq (catch-up after a reconnection), oldest first, at most 500. */
  afterSeq?: number;
  /** The older cursor: after the message with this id (read as its seq in this stream). */
  afterId?: number;
  /** One page of the visible messages before this seq (oldest first): "load older". */
  beforeSeq?: number;
}

/**
 * A stream's visible messages, oldest first: the last 50; with `afterSeq` every message after that
 * seq (at most 500, the oldest of them, so a client can page on); with `beforeSeq` the 50 before it.
 */
export async function chatHistory(
  db: Db,
  actor: Actor,
  publicId: string,
  options: ChatHistoryOptions = {},
): Promise<ChatMessage[]> {
  return (await chatHistoryPage(db, actor, publicId, options)).messages;
}

/**
 * chatHistory with where the next older page starts: `olderBefore` is the seq to ask `beforeSeq`
 * with, or null when no older visible message is left.
 */
export async function chatHistoryPage(
  db: Db,
  _actor: Actor,
  publicId: string,
  options: ChatHistoryOptions = {},
): Promise<{ messages: ChatMessage[]; olderBefore: number | null }> {
  const stream = await findStream(db, publicId);
  // Each kind of page is built once (docs/decisions/047): the catch-up after a seq, the newest
  // page (every stream page's replay) and the pages before a seq.
  const shownIn = () => and(eq(chatMessages.bookingId, sql.placeholder("bookingId")), isNull(chatMessages.hiddenAt));
  const base = () => db.select(messageColumns).from(chatMessages).innerJoin(users, eq(users.id, chatMessages.authorId));
  let afterSeq = options.afterSeq;
  if (afterSeq === undefined && options.afterId !== undefined) {
    const [row] = await db
      .select({ seq: max(chatMessages.seq) })
      .from(chatMessages)
      .where(and(eq(chatMessages.bookingId, stream.id), lte(chatMessages.id, options.afterId)));
    afterSeq = row?.seq ?? 0;
  }
  if (afterSeq !== undefined) {
    const rows = await preparedFor(db, "chatPageAfter", () =>
      base()
        .where(and(shownIn(), gt(chatMessages.seq, sql.placeholder("afterSeq"))))
        .orderBy(asc(chatMessages.seq))
        .limit(CHAT_CATCH_UP_LIMIT),
    ).execute({ bookingId: stream.id, afterSeq });
    return { messages: rows.map((r) => toWire(publicId, r)), olderBefore: null };
  }
  const rows = await (
    options.beforeSeq === undefined
      ? preparedFor(db, "chatNewestPage", () =>
          base()
            .where(shownIn())
            .orderBy(desc(chatMessages.seq))
            .limit(CHAT_HISTORY_SIZE + 1),
        )
      : preparedFor(db, "chatPageBefore", () =>
          base()
            .where(and(shownIn(), lt(chatMessages.seq, sql.placeholder("beforeSeq"))))
            .orderBy(desc(chatMessages.seq))
            .limit(CHAT_HISTORY_SIZE + 1),
        )
  ).execute({ bookingId: stream.id, beforeSeq: options.beforeSeq });
  const more = rows.length > CHAT_HISTORY_SIZE;
  const page = rows.slice(0, CHAT_HISTORY_SIZE).reverse();
  return { messages: page.map((r) => toWire(publicId, r)), olderBefore: more && page[0] ? page[0].seq : null };
}

/** The product pinned above a stream's chat, as every viewer sees it (a hidden product is not shown). */
export async function pinnedProduct(db: Db, publicId: string): Promise<ChatPinnedProduct | null> {
  const [row] = await db
    .select(columnsOf(products, "id", "name", "priceFen"))
    .from(chatPins)
    .innerJoin(bookings, eq(bookings.id, chatPins.bookingId))
    .innerJoin(products, eq(products.id, chatPins.productId))
    .where(and(eq(bookings.publicId, publicId), eq(products.hidden, false)));
  return row ?? null;
}

/** The products the streaming business may pin: its own, not hidden (for its members' picker). */
export async function pinChoices(db: Db, actor: Actor, publicId: string) {
  const stream = await findStream(db, publicId);
  if (!can(actor, { action: "chat.pin", businessId: stream.businessId })) return [];
  return db
    .select(columnsOf(products, "id", "name", "priceFen"))
    .from(products)
    .where(and(eq(products.businessId, stream.businessId), eq(products.hidden, false)))
    .orderBy(asc(products.id));
}

/**
 * The streaming merchant pins one of its products above the chat (replacing any other), or
 * unpins with `productId: null`. The pin is stored, so it survives a reload and reaches late joiners.
 */
export async function pinProduct(db: Db, actor: Actor, publicId: string, input: { productId: unknown }, now: Date) {
  const stream = await findStream(db, publicId);
  assertCan(actor, { action: "chat.pin", businessId: stream.businessId });
  const productId = input.productId;
  if (productId !== null && (typeof productId !== "number" || !Number.isInteger(productId) || productId <= 0))
    throw new DomainError("chat.invalid", 400);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(chatPins).where(eq(chatPins.bookingId, stream.id)).for("update");
    if (productId === null) {
      await tx.delete(chatPins).where(eq(chatPins.bookingId, stream.id));
    } else {
      const [product] = await tx.select().from(products).where(eq(products.id, productId));
      if (!product || product.businessId !== stream.businessId || product.hidden)
        throw new DomainError("chat.pinNotYours", 400);
      await tx
        .insert(chatPins)
        .values({ bookingId: stream.id, productId, pinnedBy: actor.userId, pinnedAt: now })
        .onConflictDoUpdate({ target: chatPins.bookingId, set: { productId, pinnedBy: actor.userId, pinnedAt: now } });
    }
    await recordAudit(tx, actor, productId === null ? "chat.unpin" : "chat.pin", stream.id, {
      before: { productId: before?.productId ?? null },
      after: { productId },
    });
  });
  return { publicId, product: await pinnedProduct(db, publicId) };
}
