import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, serialId, intRef } from "./columns";
import { businesses } from "./directory";
import { products } from "./market";
import { userRef } from "./references";
import { chatMessageKinds } from "./enums";
import { bookings } from "./studio";

/**
 * One chat message in a stream's room. Stored before it is broadcast; its id is the order of the
 * room and what a reconnecting client asks "everything after". `kind` lets a viewer mark a
 * message as a suggestion, complaint or question (the feedback desk picks those up); a hidden
 * message keeps its row (for the audit trail) but is no longer shown.
 */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: serialId(),
    bookingId: intRef("booking_id", () => bookings.id),
    authorId: userRef("author_id").notNull(),
    body: text("body").notNull(),
    kind: text("kind", { enum: chatMessageKinds }).notNull().default("chat"),
    createdAt: createdAt(),
    hiddenAt: at("hidden_at"),
    hiddenBy: userRef("hidden_by"),
    hiddenReason: text("hidden_reason"),
    /** The feedback item this message became (sent as one, or turned into one by a moderator). */
    feedbackId: integer("feedback_id"),
    /**
     * The message's place in its stream, 1, 2, 3, ...: taken from `bookings.chat_seq` under that
     * row's lock in the sending transaction, so a higher seq is always committed after a lower one
     * (the commit-ordered cursor for catch-up and paging; docs/decisions/023).
     */
    seq: integer("seq").notNull().default(0),
  },
  (t) => [
    index("chat_messages_booking_id_idx").on(t.bookingId, t.id),
    index("chat_messages_booking_seq_idx").on(t.bookingId, t.seq),
  ],
);

/**
 * A user silenced in the chat: `mute` for one stream until `until`; `ban` from every stream of
 * the business (`until` null: until lifted). Rows are kept (the audit trail); the latest applies.
 */
export const chatSanctions = pgTable(
  "chat_sanctions",
  {
    id: serialId(),
    kind: text("kind", { enum: ["mute", "ban"] }).notNull(),
    businessId: intRef("business_id", () => businesses.id),
    /** The stream of a mute; null for a ban (all the business's streams). */
    bookingId: integer("booking_id").references(() => bookings.id),
    userId: userRef("user_id").notNull(),
    reason: text("reason").notNull(),
    until: at("until"),
    createdBy: userRef("created_by").notNull(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [index("chat_sanctions_user_idx").on(t.userId, t.businessId)],
);

/** The product the streaming merchant pinned above a stream's chat (one at a time; no row: none). */
export const chatPins = pgTable("chat_pins", {
  bookingId: integer("booking_id")
    .primaryKey()
    .references(() => bookings.id),
  productId: intRef("product_id", () => products.id),
  pinnedBy: userRef("pinned_by").notNull(),
  pinnedAt: at("pinned_at").notNull(),
});

/** A live poll: 2 to 6 options; at most one open per stream (the partial unique index). */
export const chatPolls = pgTable(
  "chat_polls",
  {
    id: serialId(),
    bookingId: intRef("booking_id", () => bookings.id),
    question: text("question").notNull(),
    options: jsonb("options").$type<string[]>().notNull(),
    createdBy: userRef("created_by").notNull(),
    createdAt: at("created_at").notNull(),
    closedAt: at("closed_at"),
  },
  (t) => [
    index("chat_polls_booking_idx").on(t.bookingId, t.id),
    uniqueIndex("chat_polls_one_open")
      .on(t.bookingId)
      .where(sql`closed_at is null`),
  ],
);

/** One vote per account per poll (the primary key). */
export const chatPollVotes = pgTable(
  "chat_poll_votes",
  {
    pollId: intRef("poll_id", () => chatPolls.id),
    userId: userRef("user_id").notNull(),
    option: smallint("option").notNull(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId] })],
);
