import { and, asc, count, eq, gte } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { allianceActivities, allianceActivitySignups, businessMembers, businesses } from "../../../db/schema";
import { ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404 } from "../errors";
import { notify } from "../notifications/notifications.server";
import { assertActsFor } from "./members.server";

export async function createActivity(
  db: Db,
  actor: Actor,
  input: { title: string; body: string; place: string; startsAt: Date; endsAt: Date; capacity?: number },
) {
  assertCan(actor, { action: "alliance.manageActivities" });
  if (input.endsAt <= input.startsAt) throw new DomainError("alliance.errors.windowsOutOfOrder", 400, "endsAt");
  return db.transaction(async (tx) => {
    const [activity] = await tx
      .insert(allianceActivities)
      .values({ ...input, capacity: input.capacity ?? null, createdBy: actor.userId })
      .returning({ id: allianceActivities.id });
    await recordAudit(tx, actor, "activity.created", activity.id, { after: { title: input.title } });
    return activity;
  });
}

/** A member business signs up once; refused when the activity is full or already over. */
export async function signUp(db: Db, actor: Actor, activityId: number, businessId: number, now: Date) {
  assertActsFor(actor, businessId);
  await db.transaction(async (tx) => {
    const activity = await lockedActivity(tx, activityId);
    if (activity.endsAt <= now) throw new DomainError("alliance.errors.activityOver", 409);
    if (activity.cancelledAt) throw new DomainError("alliance.errors.activityCancelled", 409);
    const [already] = await tx
      .select({ n: count() })
      .from(allianceActivitySignups)
      .where(
        and(eq(allianceActivitySignups.activityId, activityId), eq(allianceActivitySignups.businessId, businessId)),
      );
    if ((already?.n ?? 0) > 0) throw new DomainError("alliance.errors.alreadySignedUp", 409);
    if (activity.capacity != null) {
      const [taken] = await tx
        .select({ n: count() })
        .from(allianceActivitySignups)
        .where(eq(allianceActivitySignups.activityId, activityId));
      if ((taken?.n ?? 0) >= activity.capacity) throw new DomainError("alliance.errors.activityFull", 409);
    }
    const inserted = await tx
      .insert(allianceActivitySignups)
      .values({ activityId, businessId, userId: actor.userId, createdAt: now })
      .onConflictDoNothing()
      .returning({ activityId: allianceActivitySignups.activityId });
    if (inserted.length === 0) throw new DomainError("alliance.errors.alreadySignedUp", 409);
    await recordAudit(tx, actor, "activity.signedUp", activityId, { after: { businessId } });
  });
}

/** Upcoming and current activities, with sign-ups (business names are public in the alliance). */
export async function listActivities(db: Db, actor: Actor, now: Date) {
  const activities = await db
    .select()
    .from(allianceActivities)
    .where(gte(allianceActivities.endsAt, now))
    .orderBy(asc(allianceActivities.startsAt))
    .limit(50);
  const signups = await db
    .select({
      activityId: allianceActivitySignups.activityId,
      businessId: allianceActivitySignups.businessId,
      businessName: businesses.name,
    })
    .from(allianceActivitySignups)
    .innerJoin(businesses, eq(businesses.id, allianceActivitySignups.businessId))
    .orderBy(asc(allianceActivitySignups.createdAt));
  const mine = new Set(ownedBusinessIds(actor));
  return activities.map((a) => {
    const those = signups.filter((s) => s.activityId === a.id);
    const upcoming = !a.cancelledAt && a.startsAt > now;
    return {
      ...a,
      /** Officers may still change or cancel it; owners may still withdraw a sign-up. */
      upcoming,
      signups: those.map((s) => s.businessName),
      mySignedUp: those.filter((s) => mine.has(s.businessId)).map((s) => s.businessId),
    };
  });
}

/** The activity, locked for the rest of the transaction; 404 when there is none. */
async function lockedActivity(tx: Db, activityId: number) {
  const activity = await foundOr404(
    tx.select().from(allianceActivities).where(eq(allianceActivities.id, activityId)).for("update"),
  );
  return activity;
}

/** The activity, locked, for a change before it starts; a started, ended or cancelled one is refused. */
async function upcomingActivity(tx: Db, activityId: number, now: Date) {
  const activity = await lockedActivity(tx, activityId);
  if (activity.cancelledAt) throw new DomainError("alliance.errors.activityCancelled", 409);
  if (activity.startsAt <= now) throw new DomainError("alliance.errors.activityStarted", 409);
  return activity;
}

/** The owners of every business signed up (each told once), for notices about a change. */
async function signedUpOwners(tx: Db, activityId: number): Promise<string[]> {
  const rows = await tx
    .select({ userId: businessMembers.userId, signedUpBy: allianceActivitySignups.userId })
    .from(allianceActivitySignups)
    .innerJoin(businessMembers, eq(businessMembers.businessId, allianceActivitySignups.businessId))
    .where(and(eq(allianceActivitySignups.activityId, activityId), eq(businessMembers.role, "owner")));
  return [...new Set(rows.flatMap((r) => [r.userId, r.signedUpBy]))];
}

/**
 * An officer corrects an activity before it starts, with a reason; every signed-up business's
 * owner is told. A lower capacity never drops anyone already signed up.
 */
export async function editActivity(
  db: Db,
  actor: Actor,
  activityId: number,
  input: {
    title: string;
    body: string;
    place: string;
    startsAt: Date;
    endsAt: Date;
    capacity?: number;
    reason: string;
  },
  now: Date,
) {
  assertCan(actor, { action: "alliance.manageActivities" });
  if (input.endsAt <= input.startsAt) throw new DomainError("alliance.errors.windowsOutOfOrder", 400, "endsAt");
  await db.transaction(async (tx) => {
    const before = await upcomingActivity(tx, activityId, now);
    if (input.startsAt <= now) throw new DomainError("alliance.errors.activityInPast", 400, "startsAt");
    const after = {
      title: input.title,
      body: input.body,
      place: input.place,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      capacity: input.capacity ?? null,
    };
    await tx
      .update(allianceActivities)
      .set({ ...after, editedAt: now, editReason: input.reason })
      .where(eq(allianceActivities.id, activityId));
    await recordAudit(tx, actor, "activity.edited", activityId, {
      before: {
        title: before.title,
        place: before.place,
        startsAt: before.startsAt.toISOString(),
        endsAt: before.endsAt.toISOString(),
        capacity: before.capacity,
      },
      after: {
        ...after,
        startsAt: after.startsAt.toISOString(),
        endsAt: after.endsAt.toISOString(),
        reason: input.reason,
      },
    });
    for (const userId of await signedUpOwners(tx, activityId))
      await notify(tx, userId, {
        kind: "alliance.activityChanged",
        params: { title: input.title, reason: input.reason },
        link: `/alliance/activities#activity-${activityId}`,
      });
  });
}

/** An officer cancels an activity before it starts, with a reason every signed-up business's owner is told. */
export async function cancelActivity(db: Db, actor: Actor, activityId: number, reason: string, now: Date) {
  assertCan(actor, { action: "alliance.manageActivities" });
  await db.transaction(async (tx) => {
    const activity = await upcomingActivity(tx, activityId, now);
    await tx
      .update(allianceActivities)
      .set({ cancelledAt: now, cancelReason: reason })
      .where(eq(allianceActivities.id, activityId));
    await recordAudit(tx, actor, "activity.cancelled", activityId, { after: { reason } });
    for (const userId of await signedUpOwners(tx, activityId))
      await notify(tx, userId, {
        kind: "alliance.activityCancelled",
        params: { title: activity.title, reason },
        link: `/alliance/activities#activity-${activityId}`,
      });
  });
}

/** The owner takes their business off an activity before it starts (freeing the place). */
export async function withdrawSignUp(db: Db, actor: Actor, activityId: number, businessId: number, now: Date) {
  assertActsFor(actor, businessId);
  await db.transaction(async (tx) => {
    await upcomingActivity(tx, activityId, now);
    const removed = await tx
      .delete(allianceActivitySignups)
      .where(
        and(eq(allianceActivitySignups.activityId, activityId), eq(allianceActivitySignups.businessId, businessId)),
      )
      .returning({ businessId: allianceActivitySignups.businessId });
    if (removed.length === 0) throw new DomainError("alliance.errors.notSignedUp", 409);
    await recordAudit(tx, actor, "activity.signUpWithdrawn", activityId, { before: { businessId } });
  });
}
