import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { bookings, businesses, places, studioQuotas, studios } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { isOfficer, memberRoleIn } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404, notFound } from "../errors";
import { notifyBusiness } from "../notifications/notifications.server";
import { hashStreamKey } from "../../../shared/secrets.server";
import {
  addMinutes,
  CANCEL_NOTICE_MINUTES,
  currentStep,
  CUTOFF_GRACE_MINUTES,
  DEFAULT_WEEKLY_MINUTES,
  districtMinute,
  MAX_SLOT_MINUTES,
  MIN_SLOT_MINUTES,
  PUBLISH_LEAD_MINUTES,
  SLOT_STEP_MINUTES,
  weekStartOf,
} from "./slots";
import { columnsOf, preparedFor } from "../../../db/select";

export interface SlotInput {
  studioCode: string;
  startsAt: Date;
  endsAt: Date;
}

export interface BookingInput extends SlotInput {
  businessId: number;
  title: string;
  description: string;
}

const idAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

/** The stream's public name (HLS files, URLs): 12 characters, no dashes, nothing secret. */
export function newPublicId(): string {
  let id = "";
  for (let i = 0; i < 12; i++) id += idAlphabet[randomInt(idAlphabet.length)];
  return id;
}

/** A stream key: 144 random bits, URL-safe so it can ride in the RTMP URL's query. */
export function newStreamKey(): string {
  return randomBytes(18).toString("base64url");
}

export { hashStreamKey };

function keyMatches(hash: string, key: string): boolean {
  const a = Buffer.from(hash, "hex");
  const b = Buffer.from(hashStreamKey(key), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Bookings of one studio are decided one at a time, in the transaction that writes one, before any
 * other row is locked. Without it two overlapping bookings written at the same moment each found
 * the other's uncommitted row while checking the EXCLUDE constraint and waited for it, and Postgres
 * aborted one of them as a deadlock (40P01): that merchant got a server error, not "overlaps
 * another booking". The constraint still refuses every overlap; this only orders the checks.
 */
async function lockStudio(tx: Db, studioId: number) {
  await tx.execute(sql`select id from studios where id = ${studioId} for update`);
}

/** Postgres answers an overlap with 23P01; drizzle may wrap the driver's error in `cause`. */
function isExclusionViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "23P01" || e?.cause?.code === "23P01";
}

export async function listStudios(db: Db) {
  return db
    .select({
      ...columnsOf(studios, "id", "code", "opensAt", "closesAt"),
      ...columnsOf(places, "nameZh", "nameEn", "addressZh", "addressEn"),
    })
    .from(studios)
    .innerJoin(places, eq(places.id, studios.placeId))
    .orderBy(asc(studios.code));
}

async function studioByCode(db: Db, code: string) {
  const [studio] = await db.select().from(studios).where(eq(studios.code, code));
  if (!studio) throw new DomainError("studio.errors.unknownStudio", 400, "studio");
  return studio;
}

/** The rules every slot obeys, whoever books or moves it. */
function checkSlot(studio: { opensAt: number; closesAt: number }, slot: SlotInput, now: Date): number {
  const { startsAt, endsAt } = slot;
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) {
    throw new DomainError("errors.invalid", 400);
  }
  if (endsAt <= startsAt) throw new DomainError("studio.errors.endBeforeStart", 400, "end");
  const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000;
  const step = SLOT_STEP_MINUTES * 60_000;
  if (startsAt.getTime() % step !== 0 || endsAt.getTime() % step !== 0) {
    throw new DomainError("studio.errors.step", 400, "start");
  }
  if (minutes < MIN_SLOT_MINUTES || minutes > MAX_SLOT_MINUTES) {
    throw new DomainError("studio.errors.length", 400, "end");
  }
  // The half hour under way may still be booked (walk in, go live now); anything earlier is past.
  if (startsAt < currentStep(now)) throw new DomainError("studio.errors.inPast", 400, "start");
  const startMinute = districtMinute(startsAt);
  if (startMinute < studio.opensAt || startMinute + minutes > studio.closesAt) {
    throw new DomainError("studio.errors.outOfHours", 400, "start");
  }
  return minutes;
}

export async function weeklyAllowance(db: Db, businessId: number): Promise<number> {
  const [row] = await db.select().from(studioQuotas).where(eq(studioQuotas.businessId, businessId));
  return row?.weeklyMinutes ?? DEFAULT_WEEKLY_MINUTES;
}

/** Minutes of confirmed bookings a business holds in the district week starting at `weekStart`. */
export async function weeklyUsage(
  db: Db,
  businessId: number,
  weekStart: Date,
  exceptBookingId?: number,
): Promise<number> {
  const [row] = await db
    .select({
      minutes: sql<string>`coalesce(sum(extract(epoch from ${bookings.endsAt} - ${bookings.startsAt}) / 60), 0)`,
    })
    .from(bookings)
    .where(
      and(
        eq(bookings.businessId, businessId),
        eq(bookings.status, "confirmed"),
        gte(bookings.startsAt, weekStart),
        lt(bookings.startsAt, addMinutes(weekStart, 7 * 24 * 60)),
        exceptBookingId ? ne(bookings.id, exceptBookingId) : undefined,
      ),
    );
  return Math.round(Number(row?.minutes ?? 0));
}

/**
 * Books a slot for a business. One transaction: the business row is locked so two bookings of
 * one business cannot both slip under its quota; the EXCLUDE constraint refuses overlaps.
 * Returns the stream key, which is shown now and never again (only its hash is kept).
 */
export async function bookSlot(db: Db, actor: Actor, input: BookingInput, now = new Date()) {
  assertCan(actor, { action: "studio.book", businessId: input.businessId });
  const title = input.title.trim();
  if (title.length < 2 || title.length > 60) throw new DomainError("studio.errors.title", 400, "title");
  const description = input.description.trim().slice(0, 1000);
  const studio = await studioByCode(db, input.studioCode);
  const minutes = checkSlot(studio, input, now);
  const streamKey = newStreamKey();
  try {
    const booking = await db.transaction(async (tx) => {
      await lockStudio(tx, studio.id);
      await tx.execute(sql`select id from businesses where id = ${input.businessId} for update`);
      const allowance = await weeklyAllowance(tx, input.businessId);
      const used = await weeklyUsage(tx, input.businessId, weekStartOf(input.startsAt));
      if (used + minutes > allowance) {
        throw new DomainError("studio.errors.quotaExceeded", 400, "end", {
          allowance: allowance / 60,
          used: used / 60,
        });
      }
      const [row] = await tx
        .insert(bookings)
        .values({
          publicId: newPublicId(),
          studioId: studio.id,
          businessId: input.businessId,
          bookedBy: actor.userId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          title,
          description,
          streamKeyHash: hashStreamKey(streamKey),
        })
        .returning();
      await recordAudit(tx, actor, "studio.book", row.publicId, {
        after: { studio: studio.code, startsAt: row.startsAt, endsAt: row.endsAt, title },
      });
      return row;
    });
    return { booking, streamKey };
  } catch (error) {
    if (isExclusionViolation(error)) throw new DomainError("studio.errors.overlap", 409, "start");
    throw error;
  }
}

async function bookingByPublicId(db: Db, publicId: string) {
  const row = await foundOr404(db.select().from(bookings).where(eq(bookings.publicId, publicId)));
  return row;
}

/**
 * A merchant cancels their own booking up to an hour before it starts; an officer cancels any
 * booking at any time, with a reason the merchant is told.
 */
export async function cancelBooking(db: Db, actor: Actor, publicId: string, reason = "", now = new Date()) {
  if (!actor) throw new DomainError("errors.forbidden", 403);
  const booking = await bookingByPublicId(db, publicId);
  if (booking.status === "cancelled") throw new DomainError("studio.errors.alreadyCancelled", 409);
  const isMember = memberRoleIn(actor, booking.businessId) !== undefined;
  const inTime = now <= addMinutes(booking.startsAt, -CANCEL_NOTICE_MINUTES);
  const byOfficer = !(isMember && inTime);
  if (byOfficer) {
    if (!can(actor, { action: "studio.manage" })) {
      if (isMember) throw new DomainError("studio.errors.tooLateToCancel", 400);
      throw new DomainError("errors.forbidden", 403);
    }
    if (reason.trim().length < 2) throw new DomainError("studio.errors.reasonRequired", 400, "reason");
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bookings)
      .set({
        status: "cancelled",
        cancelledAt: now,
        cancelledBy: actor.userId,
        officerReason: byOfficer ? reason.trim() : null,
      })
      .where(and(eq(bookings.id, booking.id), eq(bookings.status, "confirmed")))
      .returning();
    if (!row) throw new DomainError("studio.errors.alreadyCancelled", 409);
    await recordAudit(tx, actor, byOfficer ? "studio.cancelByOfficer" : "studio.cancel", publicId, {
      before: { status: "confirmed" },
      after: { status: "cancelled", reason: row.officerReason },
    });
    if (byOfficer) {
      await notifyBusiness(
        tx,
        booking.businessId,
        {
          kind: "studio.cancelled",
          params: { title: booking.title, reason: reason.trim() },
          link: `/live/${publicId}`,
        },
        actor.userId,
      );
    }
    return row;
  });
}

/** An officer moves a booking (another time or studio) and says why; the merchant is told. */
export async function moveBooking(
  db: Db,
  actor: Actor,
  publicId: string,
  slot: SlotInput & { reason: string },
  now = new Date(),
) {
  assertCan(actor, { action: "studio.manage" });
  if (slot.reason.trim().length < 2) throw new DomainError("studio.errors.reasonRequired", 400, "reason");
  const booking = await bookingByPublicId(db, publicId);
  if (booking.status === "cancelled") throw new DomainError("studio.errors.alreadyCancelled", 409);
  const studio = await studioByCode(db, slot.studioCode);
  checkSlot(studio, slot, now);
  try {
    return await db.transaction(async (tx) => {
      await lockStudio(tx, studio.id);
      const [row] = await tx
        .update(bookings)
        .set({ studioId: studio.id, startsAt: slot.startsAt, endsAt: slot.endsAt, officerReason: slot.reason.trim() })
        .where(eq(bookings.id, booking.id))
        .returning();
      await recordAudit(tx, actor, "studio.move", publicId, {
        before: { studioId: booking.studioId, startsAt: booking.startsAt, endsAt: booking.endsAt },
        after: { studioId: studio.id, startsAt: row.startsAt, endsAt: row.endsAt, reason: row.officerReason },
      });
      await notifyBusiness(
        tx,
        booking.businessId,
        {
          kind: "studio.moved",
          params: { title: booking.title, reason: slot.reason.trim() },
          link: `/live/${publicId}`,
        },
        actor.userId,
      );
      return row;
    });
  } catch (error) {
    if (isExclusionViolation(error)) throw new DomainError("studio.errors.overlap", 409, "start");
    throw error;
  }
}

/** A new stream key for a booking; the old one stops working at once. */
export async function regenerateStreamKey(db: Db, actor: Actor, publicId: string): Promise<string> {
  const booking = await bookingByPublicId(db, publicId);
  assertCan(actor, { action: "studio.streamKey", businessId: booking.businessId });
  if (booking.status !== "confirmed") throw new DomainError("studio.errors.alreadyCancelled", 409);
  const key = newStreamKey();
  await db.transaction(async (tx) => {
    await tx
      .update(bookings)
      .set({ streamKeyHash: hashStreamKey(key) })
      .where(eq(bookings.id, booking.id));
    await recordAudit(tx, actor, "studio.regenerateKey", publicId);
  });
  return key;
}

/** Staff set a business's weekly studio allowance, in hours. */
export async function setWeeklyQuota(db: Db, actor: Actor, businessCode: string, hours: number) {
  assertCan(actor, { action: "studio.setQuota" });
  if (!Number.isFinite(hours) || hours < 0 || hours > 7 * 24 || (hours * 2) % 1 !== 0) {
    throw new DomainError("studio.errors.quotaHours", 400, "hours");
  }
  const [business] = await db.select().from(businesses).where(eq(businesses.code, businessCode.trim().toUpperCase()));
  if (!business) throw new DomainError("studio.errors.unknownBusiness", 400, "businessCode");
  const weeklyMinutes = Math.round(hours * 60);
  await db.transaction(async (tx) => {
    const before = await weeklyAllowance(tx, business.id);
    await tx
      .insert(studioQuotas)
      .values({ businessId: business.id, weeklyMinutes, setBy: actor.userId })
      .onConflictDoUpdate({
        target: studioQuotas.businessId,
        set: { weeklyMinutes, setBy: actor.userId, setAt: new Date() },
      });
    await recordAudit(tx, actor, "studio.setQuota", business.code, {
      before: { weeklyMinutes: before },
      after: { weeklyMinutes },
    });
  });
  return { business, weeklyMinutes };
}

const bookingColumns = {
  id: bookings.id,
  publicId: bookings.publicId,
  businessId: bookings.businessId,
  title: bookings.title,
  description: bookings.description,
  startsAt: bookings.startsAt,
  endsAt: bookings.endsAt,
  status: bookings.status,
  officerReason: bookings.officerReason,
  liveSince: bookings.liveSince,
  liveEndedAt: bookings.liveEndedAt,
  endReason: bookings.endReason,
  replayRemovedAt: bookings.replayRemovedAt,
  interruptedAt: bookings.interruptedAt,
  studioCode: studios.code,
  studioNameZh: places.nameZh,
  studioNameEn: places.nameEn,
  businessName: businesses.name,
  businessCode: businesses.code,
};

function bookingQuery(db: Db) {
  return db
    .select(bookingColumns)
    .from(bookings)
    .innerJoin(studios, eq(studios.id, bookings.studioId))
    .innerJoin(places, eq(places.id, studios.placeId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId));
}

export type BookingView = Awaited<ReturnType<typeof getBooking>>;

/** One booking as its page shows it, with what this actor may do to it. */
export async function getBooking(db: Db, actor: Actor, publicId: string) {
  const row = await foundOr404(
    preparedFor(db, "bookingPage", () =>
      bookingQuery(db).where(eq(bookings.publicId, sql.placeholder("publicId"))),
    ).execute({ publicId }),
  );
  const isMember = memberRoleIn(actor, row.businessId) !== undefined;
  return { ...row, isMember, isOfficer: isOfficer(actor) };
}

/** The `/live` page: a week of bookings per studio, streams live now, upcoming, past replays. */
export async function liveOverview(db: Db, now = new Date()) {
  const weekStart = weekStartOf(now);
  const week = await bookingQuery(db)
    .where(
      and(
        eq(bookings.status, "confirmed"),
        gte(bookings.startsAt, weekStart),
        lt(bookings.startsAt, addMinutes(weekStart, 7 * 24 * 60)),
      ),
    )
    .orderBy(asc(bookings.startsAt));
  const upcoming = await bookingQuery(db)
    .where(and(eq(bookings.status, "confirmed"), gte(bookings.endsAt, now)))
    .orderBy(asc(bookings.startsAt))
    .limit(30);
  const past = await bookingQuery(db)
    .where(and(eq(bookings.status, "confirmed"), isNotNull(bookings.liveEndedAt)))
    .orderBy(desc(bookings.startsAt))
    .limit(20);
  return { weekStart, week, upcoming, past };
}

/** A merchant's own bookings (every business they belong to), newest first. */
export async function myBookings(db: Db, actor: Actor) {
  const ids = actor?.memberships.map((m) => m.businessId) ?? [];
  if (ids.length === 0) return [];
  return bookingQuery(db).where(inArray(bookings.businessId, ids)).orderBy(desc(bookings.startsAt)).limit(50);
}

/** Bookings for a calendar feed (one studio's, or one business's): confirmed and cancelled ones. */
export async function calendarBookings(db: Db, filter: { studioCode: string } | { businessCode: string }) {
  const where =
    "studioCode" in filter
      ? eq(studios.code, filter.studioCode)
      : eq(businesses.code, filter.businessCode.toUpperCase());
  const [exists] =
    "studioCode" in filter
      ? await db.select({ id: studios.id }).from(studios).where(where)
      : await db.select({ id: businesses.id }).from(businesses).where(where);
  if (!exists) throw notFound();
  return bookingQuery(db)
    .where(and(where, gte(bookings.endsAt, addMinutes(new Date(), -30 * 24 * 60))))
    .orderBy(asc(bookings.startsAt))
    .limit(500);
}

// ---- The media server's questions (nginx-rtmp callbacks): no actor, the key is the proof. ----
// A show is one session (docs/decisions/022): from the first publish in its slot to the merchant's
// "end", N minutes without an encoder, or the cut-off. RTMP connections come and go inside it.

/**
 * Stands in for the key when the encoder is the server's own ffmpeg for a browser go-live that
 * `authorizeBrowserPublish` allowed (docs/decisions/024): the rest of the checks are the same.
 */
export const VOUCHED_BY_BROWSER_PUBLISH: unique symbol = Symbol("vouched by a browser go-live");

export type PublishVerdict =
  | { ok: true; state: "preview" | "live"; reconnect: boolean }
  | { ok: false; reason: "unknown" | "cancelled" | "wrongKey" | "outsideWindow" | "ended" | "busy" };

/**
 * nginx-rtmp asks `update` every 10 s and drops a silent publisher after 10 s, so an encoder not
 * heard from for this long is gone even if its `publish_done` never arrived (the app was down).
 */
export const ENCODER_STALE_SECONDS = 30;

/** A show's cut-off: the slot's end plus the grace period. */
const cutOffOf = (booking: { endsAt: Date }) => addMinutes(booking.endsAt, CUTOFF_GRACE_MINUTES);

/**
 * May an encoder publish `publicId` with `key` now? The key must be this confirmed booking's, the
 * show not ended, the time within its window (10 minutes before the start to the end, or to the
 * cut-off once the show is live, so a dropped encoder can come back), and no other encoder
 * publishing (nginx refuses a second one: then nothing changes). Before the start a publish is a
 * preview only the merchant sees; from the start it begins the show, or continues it.
 * `client` is nginx-rtmp's client id of the connection.
 */
export async function authorizePublish(
  db: Db,
  publicId: string,
  key: string | typeof VOUCHED_BY_BROWSER_PUBLISH,
  now = new Date(),
  client = "",
): Promise<PublishVerdict> {
  const [booking] = await db.select().from(bookings).where(eq(bookings.publicId, publicId));
  if (!booking) return { ok: false, reason: "unknown" };
  if (key !== VOUCHED_BY_BROWSER_PUBLISH && !keyMatches(booking.streamKeyHash, key)) {
    return { ok: false, reason: "wrongKey" };
  }
  if (booking.status !== "confirmed") return { ok: false, reason: "cancelled" };
  if (booking.liveEndedAt) return { ok: false, reason: "ended" };
  const closesAt = booking.liveSince ? cutOffOf(booking) : booking.endsAt;
  if (now < addMinutes(booking.startsAt, -PUBLISH_LEAD_MINUTES) || now > closesAt) {
    return { ok: false, reason: "outsideWindow" };
  }
  const staleBefore = new Date(now.getTime() - ENCODER_STALE_SECONDS * 1000);
  if (
    booking.encoderClient &&
    booking.encoderClient !== client &&
    booking.encoderSeenAt &&
    booking.encoderSeenAt > staleBefore
  ) {
    return { ok: false, reason: "busy" };
  }
  const live = now >= booking.startsAt;
  await db
    .update(bookings)
    .set({
      encoderClient: client,
      encoderSeenAt: now,
      interruptedAt: null,
      liveSince: booking.liveSince ?? (live ? now : null),
    })
    .where(eq(bookings.id, booking.id));
  return { ok: true, state: live ? "live" : "preview", reconnect: booking.liveSince !== null };
}

/**
 * An encoder's connection closed. Only the current encoder's close counts (a refused second
 * encoder's close changes nothing); the show goes on without it until it comes back, the merchant
 * ends it, N minutes pass (endQuietShows) or the cut-off.
 */
export async function endPublish(db: Db, publicId: string, now = new Date(), client = ""): Promise<boolean> {
  const rows = await db
    .update(bookings)
    .set({ encoderClient: null, encoderSeenAt: now })
    .where(and(eq(bookings.publicId, publicId), eq(bookings.encoderClient, client)))
    .returning({ id: bookings.id });
  return rows.length > 0;
}

/**
 * Asked every 10 s while publishing: no once the show has ended, the booking was cancelled, or
 * the cut-off passed (nginx then cuts the encoder). Yes notes the encoder as heard from, and a
 * preview still running at the slot's start becomes the show.
 */
export async function mayKeepPublishing(db: Db, publicId: string, now = new Date(), client = ""): Promise<boolean> {
  const [booking] = await db.select().from(bookings).where(eq(bookings.publicId, publicId));
  if (!booking || booking.status !== "confirmed" || booking.liveEndedAt) return false;
  if (now > cutOffOf(booking)) return false;
  if (booking.encoderClient === null || booking.encoderClient === client) {
    await db
      .update(bookings)
      .set({
        encoderClient: client,
        encoderSeenAt: now,
        liveSince: booking.liveSince ?? (now >= booking.startsAt ? booking.startsAt : null),
      })
      .where(eq(bookings.id, booking.id));
  }
  return true;
}

/**
 * nginx asks `update` for every publishing stream every 10 s; a show whose encoder the app still
 * counts as connected but was not heard of for this long lost the ingest that carried it (killed
 * outright: no publish-done ever comes).
 */
export const INGEST_SILENCE_SECONDS = 30;

/**
 * Live shows whose ingest went silent (docs/decisions/023): their encoder is let go as a
 * publish-done would, and the show is marked interrupted (the page says so). The show itself goes
 * on as after any dropped encoder (docs/decisions/022): the encoder may come back through a working
 * ingest, and otherwise the show ends after the idle minutes or at the cut-off. Run by the
 * background jobs of every process, and so once soon after a restart. Returns their ids.
 */
export async function interruptSilentStreams(db: Db, now = new Date()): Promise<string[]> {
  const silentSince = new Date(now.getTime() - INGEST_SILENCE_SECONDS * 1000);
  const rows = await db
    .update(bookings)
    .set({ encoderClient: null, interruptedAt: now })
    .where(
      and(
        eq(bookings.status, "confirmed"),
        isNotNull(bookings.liveSince),
        isNull(bookings.liveEndedAt),
        isNotNull(bookings.encoderClient),
        or(isNull(bookings.encoderSeenAt), lt(bookings.encoderSeenAt, silentSince)),
      ),
    )
    .returning({ publicId: bookings.publicId });
  return rows.map((r) => r.publicId);
}

/** The merchant presses "end" on the go-live page: the show is over, its replay is packed. */
export async function endShow(db: Db, actor: Actor, publicId: string, now = new Date()) {
  const booking = await bookingByPublicId(db, publicId);
  assertCan(actor, { action: "studio.streamKey", businessId: booking.businessId });
  if (booking.status !== "confirmed") throw new DomainError("studio.errors.alreadyCancelled", 409);
  if (!booking.liveSince || booking.liveEndedAt || now > cutOffOf(booking)) {
    throw new DomainError("studio.errors.notLive", 409);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bookings)
      .set({ liveEndedAt: now, endReason: "merchant" })
      .where(and(eq(bookings.id, booking.id), isNull(bookings.liveEndedAt)))
      .returning();
    if (!row) throw new DomainError("studio.errors.notLive", 409);
    await recordAudit(tx, actor, "studio.endShow", publicId, { after: { liveEndedAt: now } });
    return row;
  });
}

/**
 * Ends the shows nobody will continue: no encoder for `idleMinutes` ("idle"), or past the cut-off
 * ("cutoff"). Idempotent; returns the public ids it ended (their replays are packed next).
 */
export async function endQuietShows(db: Db, now: Date, idleMinutes: number): Promise<string[]> {
  const idleBefore = addMinutes(now, -idleMinutes);
  const idle = await db
    .update(bookings)
    .set({ liveEndedAt: now, endReason: "idle" })
    .where(
      and(
        eq(bookings.status, "confirmed"),
        isNotNull(bookings.liveSince),
        isNull(bookings.liveEndedAt),
        isNull(bookings.encoderClient),
        or(
          lt(bookings.encoderSeenAt, idleBefore),
          and(isNull(bookings.encoderSeenAt), lt(bookings.liveSince, idleBefore)),
        ),
      ),
    )
    .returning({ publicId: bookings.publicId });
  const cut = await db
    .update(bookings)
    .set({
      liveEndedAt: sql`${bookings.endsAt} + ${sql.raw(`interval '${CUTOFF_GRACE_MINUTES} minutes'`)}`,
      endReason: "cutoff",
    })
    .where(
      and(
        eq(bookings.status, "confirmed"),
        isNotNull(bookings.liveSince),
        isNull(bookings.liveEndedAt),
        lt(bookings.endsAt, addMinutes(now, -CUTOFF_GRACE_MINUTES)),
      ),
    )
    .returning({ publicId: bookings.publicId });
  return [...idle, ...cut].map((r) => r.publicId);
}

/** Shows whose replay files still exist, oldest first: what the replay clean-up may remove. */
export async function keptReplays(db: Db) {
  return db
    .select({ publicId: bookings.publicId, liveEndedAt: bookings.liveEndedAt })
    .from(bookings)
    .where(and(isNotNull(bookings.liveEndedAt), isNull(bookings.replayRemovedAt)))
    .orderBy(asc(bookings.liveEndedAt));
}

/** The replay clean-up removed these shows' files: their pages say there is no replay. */
export async function markReplaysRemoved(db: Db, publicIds: string[], now = new Date()) {
  if (publicIds.length === 0) return;
  await db
    .update(bookings)
    .set({ replayRemovedAt: now })
    .where(and(inArray(bookings.publicId, publicIds), isNull(bookings.replayRemovedAt)));
}

/** Lets the go-live page (the business only) watch its preview before the show starts. */
export function previewToken(streamKeyHash: string): string {
  return createHash("sha256").update(`preview:${streamKeyHash}`).digest("hex").slice(0, 32);
}

/** The state the HLS route needs: is there a stream by this name, has it begun or ended? */
export async function playbackState(db: Db, publicId: string) {
  const [row] = await db
    .select(columnsOf(bookings, "status", "liveSince", "liveEndedAt", "endsAt", "streamKeyHash", "replayRemovedAt"))
    .from(bookings)
    .where(eq(bookings.publicId, publicId));
  if (!row) return null;
  const { streamKeyHash, ...state } = row;
  return { ...state, previewToken: previewToken(streamKeyHash) };
}

/** The go-live page: only the booking's business sees it. */
export async function goLiveBooking(db: Db, actor: Actor, publicId: string) {
  const booking = await getBooking(db, actor, publicId);
  assertCan(actor, { action: "studio.streamKey", businessId: booking.businessId });
  const [row] = await db
    .select({ hash: bookings.streamKeyHash, encoderClient: bookings.encoderClient })
    .from(bookings)
    .where(eq(bookings.id, booking.id));
  return { ...booking, previewToken: previewToken(row.hash), encoderConnected: row.encoderClient !== null };
}

/**
 * May this signed-in person go live for `publicId` from their browser now? Only the booking's
 * business (its owner or staff, as for the stream key), only while the booking is confirmed, and
 * only within the same window an encoder gets (10 minutes before the start to the end).
 * Throws the refusal; writes nothing (the publish itself is recorded by `authorizePublish`).
 */
export async function authorizeBrowserPublish(db: Db, actor: Actor, publicId: string, now = new Date()) {
  const booking = await goLiveBooking(db, actor, publicId);
  if (booking.status !== "confirmed") throw new DomainError("studio.errors.alreadyCancelled", 409);
  if (now < addMinutes(booking.startsAt, -PUBLISH_LEAD_MINUTES) || now > booking.endsAt) {
    throw new DomainError("studio.errors.outsidePublishWindow", 409);
  }
  return { publicId: booking.publicId };
}

/** The businesses this actor may book for, with this week's studio minutes left. */
export async function bookableBusinesses(db: Db, actor: Actor, now = new Date()) {
  const ids = actor?.memberships.map((m) => m.businessId) ?? [];
  if (ids.length === 0) return [];
  const rows = await db
    .select(columnsOf(businesses, "id", "code", "name"))
    .from(businesses)
    .where(inArray(businesses.id, ids))
    .orderBy(asc(businesses.code));
  return Promise.all(
    rows.map(async (b) => ({
      ...b,
      allowanceMinutes: await weeklyAllowance(db, b.id),
      usedMinutes: await weeklyUsage(db, b.id, weekStartOf(now)),
    })),
  );
}
