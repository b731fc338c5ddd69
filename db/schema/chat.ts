import { index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
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
  },
  (t) => [index("chat_messages_booking_id_idx").on(t.bookingId, t.id)],
);
