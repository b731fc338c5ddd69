import { relations } from "drizzle-orm";
import { index, integer, pgTable, smallint, text } from "drizzle-orm/pg-core";
import { at, createdAt, serialId, intRef } from "./columns";
import { userRef } from "./references";
import { businesses, places } from "./directory";
import { bookingStatuses } from "./enums";

/**
 * A shared studio (共享直播间), one per studio place. Opening hours are minutes after midnight,
 * Asia/Shanghai, the same every day; a booking lies wholly inside them.
 */
export const studios = pgTable("studios", {
  id: serialId(),
  placeId: integer("place_id")
    .notNull()
    .unique()
    .references(() => places.id),
  code: text("code").notNull().unique(),
  opensAt: smallint("opens_at").notNull(),
  closesAt: smallint("closes_at").notNull(),
});

/**
 * A booked slot. The column `slot` (tstzrange of starts_at and ends_at, generated) and the
 * EXCLUDE constraint that makes two confirmed bookings of one studio unable to overlap live in
 * the custom migration `studio_booking_exclusion`: drizzle has no builder for either.
 * The stream key is stored only as a SHA-256 hash; `public_id` names the stream and its HLS files.
 */
export const bookings = pgTable(
  "bookings",
  {
    id: serialId(),
    publicId: text("public_id").notNull().unique(),
    studioId: intRef("studio_id", () => studios.id),
    businessId: intRef("business_id", () => businesses.id),
    bookedBy: userRef("booked_by"),
    startsAt: at("starts_at").notNull(),
    endsAt: at("ends_at").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: bookingStatuses }).notNull().default("confirmed"),
    streamKeyHash: text("stream_key_hash").notNull(),
    /** Why an officer cancelled or moved it; the merchant reads it. */
    officerReason: text("officer_reason"),
    cancelledBy: userRef("cancelled_by"),
    cancelledAt: at("cancelled_at"),
    /**
     * The show (one session, docs/decisions/022) began: the first publish at or after the slot's
     * start, or the slot's start when a preview encoder was still connected. Null while upcoming.
     */
    liveSince: at("live_since"),
    /** The show ended (merchant, no encoder for a while, or the cut-off); see `endReason`. */
    liveEndedAt: at("live_ended_at"),
    /** Why the show ended: "merchant" pressed end, "idle" (no encoder for N minutes), "cutoff". */
    endReason: text("end_reason", { enum: ["merchant", "idle", "cutoff"] }),
    /** nginx-rtmp's client id of the encoder publishing now; null when none is connected. */
    encoderClient: text("encoder_client"),
    /** When the current encoder was last heard from (publish, update), or when the last one left. */
    encoderSeenAt: at("encoder_seen_at"),
    /** The replay's files were removed (age or storage cap, README "Replays"). */
    replayRemovedAt: at("replay_removed_at"),
    /** The chat's slow mode: one message per this many seconds per viewer (0: off). */
    chatSlowSeconds: integer("chat_slow_seconds").notNull().default(0),
    /** The last chat message's seq in this stream (the next message takes chat_seq + 1 under this row's lock). */
    chatSeq: integer("chat_seq").notNull().default(0),
    /** The ingest carrying the stream died without saying the publish ended (docs/decisions/023). */
    interruptedAt: at("interrupted_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("bookings_studio_starts_idx").on(t.studioId, t.startsAt),
    index("bookings_business_starts_idx").on(t.businessId, t.startsAt),
  ],
);

/** A business's weekly studio allowance when staff set one; otherwise the default applies. */
export const studioQuotas = pgTable("studio_quotas", {
  businessId: integer("business_id")
    .primaryKey()
    .references(() => businesses.id),
  weeklyMinutes: integer("weekly_minutes").notNull(),
  setBy: userRef("set_by"),
  setAt: at("set_at").notNull().defaultNow(),
});

export const studiosRelations = relations(studios, ({ one, many }) => ({
  place: one(places, { fields: [studios.placeId], references: [places.id] }),
  bookings: many(bookings),
}));
export const bookingsRelations = relations(bookings, ({ one }) => ({
  studio: one(studios, { fields: [bookings.studioId], references: [studios.id] }),
  business: one(businesses, { fields: [bookings.businessId], references: [businesses.id] }),
}));
