import { and, asc, count, eq, gte } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { allianceActivities, allianceActivitySignups, businesses } from "../../../db/schema";
import { ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, notFound } from "../errors";
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
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.created",
      subjectType: "activity",
      subjectId: activity.id,
      after: { title: input.title },
    });
    return activity;
  });
}

/** A member business signs up once; refused when the activity is full or already over. */
export async function signUp(db: Db, actor: Actor, activityId: number, businessId: number, now: Date) {
  assertActsFor(actor, businessId);
  await db.transaction(async (tx) => {
    const [activity] = await tx
      .select()
      .from(allianceActivities)
      .where(eq(allianceActivities.id, activityId))
      .for("update");
    if (!activity) throw notFound();
    if (activity.endsAt <= now) throw new DomainError("alliance.errors.activityOver", 409);
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
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.signedUp",
      subjectType: "activity",
      subjectId: activityId,
      after: { businessId },
    });
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
    return {
      ...a,
      signups: those.map((s) => s.businessName),
      mySignedUp: those.filter((s) => mine.has(s.businessId)).map((s) => s.businessId),
    };
  });
}
