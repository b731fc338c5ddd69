import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { businesses } from "./directory";
import { products } from "./market";
import { users } from "./accounts";
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
    id: serial("id").primaryKey(),
    bookingId: integer("booking_id")
      .notNull()
      .references(() => bookings.id),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    kind: text("kind", { enum: chatMessageKinds }).notNull().default("chat"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenBy: text("hidden_by").references(() => users.id),
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
    id: serial("id").primaryKey(),
    kind: text("kind", { enum: ["mute", "ban"] }).notNull(),
    businessId: integer("business_id")
      .notNull()
      .references(() => businesses.id),
    /** The stream of a mute; null for a ban (all the business's streams). */
    bookingId: integer("booking_id").references(() => bookings.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    until: timestamp("until", { withTimezone: true }),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("chat_sanctions_user_idx").on(t.userId, t.businessId)],
);

/** The product the streaming merchant pinned above a stream's chat (one at a time; no row: none). */
export const chatPins = pgTable("chat_pins", {
  bookingId: integer("booking_id")
    .primaryKey()
    .references(() => bookings.id),
  productId: integer("product_id")
    .notNull()
    .references(() => products.id),
  pinnedBy: text("pinned_by")
    .notNull()
    .references(() => users.id),
  pinnedAt: timestamp("pinned_at", { withTimezone: true }).notNull(),
});

/** A live poll: 2 to 6 options; at most one open per stream (the partial unique index). */
export const chatPolls = pgTable(
  "chat_polls",
  {
    id: serial("id").primaryKey(),
    bookingId: integer("booking_id")
      .notNull()
      .references(() => bookings.id),
    question: text("question").notNull(),
    options: jsonb("options").$type<string[]>().notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
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
    pollId: integer("poll_id")
      .notNull()
      .references(() => chatPolls.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    option: smallint("option").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId] })],
);
