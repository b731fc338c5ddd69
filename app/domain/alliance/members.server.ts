import { and, countDistinct, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { allianceElectorates, allianceSettings, businessMembers, businesses } from "../../../db/schema";
import { ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError } from "../errors";
import { ALLIANCE_RULE } from "./rules";
import { columnsOf } from "../../../db/select";

/** Member businesses of the alliance: every open business that has an owner on Xinquan. */
export async function memberBusinessCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(businessMembers.businessId) })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(and(eq(businessMembers.role, "owner"), eq(businesses.status, "open")));
  return row?.n ?? 0;
}

export type ElectorateKind = "proposal" | "election";

/**
 * Fixes who may vote when a window opens: the member businesses at that moment. Returns their
 * number. Call inside the transaction that opens the window (idempotent).
 */
export async function fixElectorate(tx: Db, kind: ElectorateKind, subjectId: number): Promise<number> {
  const members = await tx
    .selectDistinct({ businessId: businessMembers.businessId })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(and(eq(businessMembers.role, "owner"), eq(businesses.status, "open")));
  if (members.length > 0)
    await tx
      .insert(allianceElectorates)
      .values(members.map((m) => ({ subjectKind: kind, subjectId, businessId: m.businessId })))
      .onConflictDoNothing();
  return members.length;
}

/**
 * A business votes in a window only if it was a member when the window opened and is still open:
 * one that joined later votes in later windows, one that closed has lost its vote.
 */
export async function assertInElectorate(tx: Db, kind: ElectorateKind, subjectId: number, businessId: number) {
  const [row] = await tx
    .select({ status: businesses.status })
    .from(allianceElectorates)
    .innerJoin(businesses, eq(businesses.id, allianceElectorates.businessId))
    .where(
      and(
        eq(allianceElectorates.subjectKind, kind),
        eq(allianceElectorates.subjectId, subjectId),
        eq(allianceElectorates.businessId, businessId),
      ),
    );
  if (!row) {
    // A window opened before electorates were recorded: every open member business votes in it.
    const [any] = await tx
      .select({ businessId: allianceElectorates.businessId })
      .from(allianceElectorates)
      .where(and(eq(allianceElectorates.subjectKind, kind), eq(allianceElectorates.subjectId, subjectId)))
      .limit(1);
    const [business] = await tx
      .select({ status: businesses.status })
      .from(businesses)
      .where(eq(businesses.id, businessId));
    if (any || !business) throw new DomainError("alliance.errors.notInElectorate", 403, "businessId");
    if (business.status !== "open") throw new DomainError("alliance.errors.businessClosed", 403, "businessId");
    return;
  }
  if (row.status !== "open") throw new DomainError("alliance.errors.businessClosed", 403, "businessId");
}

/** Refuses unless the actor owns `businessId`: a business acts in the alliance through its owner. */
export function assertActsFor(actor: Actor, businessId: number): asserts actor is NonNullable<Actor> {
  assertCan(actor, { action: "alliance.actFor", businessId });
}

/** The businesses the actor may act for, with names, for the "acting for" choice on forms. */
export async function myMemberBusinesses(db: Db, actor: Actor) {
  const ids = ownedBusinessIds(actor);
  if (ids.length === 0) return [];
  return db
    .select(columnsOf(businesses, "id", "code", "name"))
    .from(businesses)
    .where(and(inArray(businesses.id, ids), eq(businesses.status, "open")))
    .orderBy(businesses.code);
}

export interface AllianceSettings {
  /** Hours a proposal is discussed before its voting may open (default 24). */
  minDiscussionHours: number;
  /** Share of member businesses that must cast a ballot, blank included, for an election to elect. */
  electionQuorumPercent: number;
}

export const DEFAULT_SETTINGS: AllianceSettings = {
  minDiscussionHours: 24,
  electionQuorumPercent: ALLIANCE_RULE.quorumPercent,
};

export async function getAllianceSettings(db: Db): Promise<AllianceSettings> {
  const [row] = await db.select().from(allianceSettings).where(eq(allianceSettings.id, 1));
  return row
    ? { minDiscussionHours: row.minDiscussionHours, electionQuorumPercent: row.electionQuorumPercent }
    : DEFAULT_SETTINGS;
}

/** Administrators set the discussion period and the election turnout; both apply to windows opened later. */
export async function updateAllianceSettings(db: Db, actor: Actor, input: AllianceSettings, now: Date) {
  assertCan(actor, { action: "alliance.manageElections" });
  if (!Number.isInteger(input.minDiscussionHours) || input.minDiscussionHours < 0 || input.minDiscussionHours > 720)
    throw new DomainError("alliance.errors.badSetting", 400, "minDiscussionHours");
  if (
    !Number.isInteger(input.electionQuorumPercent) ||
    input.electionQuorumPercent < 1 ||
    input.electionQuorumPercent > 100
  )
    throw new DomainError("alliance.errors.badSetting", 400, "electionQuorumPercent");
  await db.transaction(async (tx) => {
    const before = await getAllianceSettings(tx);
    await tx
      .insert(allianceSettings)
      .values({ id: 1, ...input, updatedBy: actor.userId, updatedAt: now })
      .onConflictDoUpdate({ target: allianceSettings.id, set: { ...input, updatedBy: actor.userId, updatedAt: now } });
    await recordAudit(tx, actor, "alliance.settingsChanged", "settings", { before, after: input });
  });
}

/** The owners of member businesses, each once: whom the alliance tells of a change to an election. */
export async function memberOwnerIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: businessMembers.userId })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(and(eq(businessMembers.role, "owner"), eq(businesses.status, "open")));
  return rows.map((r) => r.userId);
}
