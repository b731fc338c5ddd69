import { and, asc, eq, gte, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { awards, businessMembers, feedback } from "../../../db/schema";
import { standingYearOf } from "../directory/search.server";
import { businessRecord } from "./feedback.server";
import { median, OVERDUE_DAYS, standingOf } from "./standing";
import { columnsOf } from "../../../db/select";

const DAY_MS = 24 * 60 * 60 * 1000;

export type PlaqueState = "current" | "superseded" | "revoked";

/** Revoked; genuine but from before the standing year (a later round finished); or current. */
const stateOf = (p: { revokedAt: Date | null; year: number; standingYear: number | null }): PlaqueState =>
  p.revokedAt ? "revoked" : p.standingYear != null && p.year < Number(p.standingYear) ? "superseded" : "current";

/**
 * A business's public trust record (诚信档案) over the 12 months before `now`
 * (docs/decisions/020-trust-record.md): its complaints by outcome (a complaint the desk turned
 * into a dispute counts once, as the dispute), how the merchant answered what the desk sent it,
 * the disputes against it and how they ended, its plaques and any revocation, and the standing
 * those counts give. Counts only: no names, no texts, nothing about who complained.
 */
export async function trustRecord(db: Db, businessId: number, now: Date) {
  const record = await businessRecord(db, businessId, now);
  const { since } = record;

  // Complaints the desk sent the merchant, and the merchant's own answers to them.
  const members = db
    .select({ userId: businessMembers.userId })
    .from(businessMembers)
    .where(eq(businessMembers.businessId, businessId));
  const sent = await db
    .select({
      status: feedback.status,
      sentAt: feedback.sentToMerchantAt,
      repliedAt: feedback.repliedAt,
      byMerchant: sql<boolean>`${feedback.repliedBy} IN (${members})`,
    })
    .from(feedback)
    .where(
      and(
        eq(feedback.businessId, businessId),
        eq(feedback.kind, "complaint"),
        isNotNull(feedback.sentToMerchantAt),
        gte(feedback.createdAt, since),
        lte(feedback.createdAt, now),
      ),
    );
  const answered = sent.filter((f) => f.repliedAt && f.byMerchant);
  const days = answered.map((f) => Math.max(0, f.repliedAt!.getTime() - f.sentAt!.getTime()) / DAY_MS);
  const overdue = sent.filter(
    (f) => f.status === "sent_to_merchant" && now.getTime() - f.sentAt!.getTime() > OVERDUE_DAYS * DAY_MS,
  ).length;

  const plaqueRows = await db
    .select({
      ...columnsOf(awards, "kind", "year", "revokedAt", "revokeReason"),
      code: awards.plaqueCode,
      standingYear: sql<number | null>`${standingYearOf(sql`${awards.kind}`, now)}`,
    })
    .from(awards)
    .where(eq(awards.businessId, businessId))
    .orderBy(asc(awards.year), asc(awards.id));
  const plaques = plaqueRows.map((p) => ({
    kind: p.kind,
    year: p.year,
    code: p.code,
    state: stateOf(p),
    revokedAt: p.revokedAt,
    revokeReason: p.revokedAt ? p.revokeReason : null,
  }));
  const revokedInPeriod = plaques.filter((p) => p.revokedAt && p.revokedAt >= since && p.revokedAt <= now).length;

  const c = record.complaintsByOutcome;
  const { standing, checks } = standingOf({ revoked: revokedInPeriod, upheld: c.upheld, overdue });
  return {
    businessId,
    since,
    until: now,
    complaints: {
      total: c.resolved + c.upheld + c.unfounded + c.withdrawn + c.open,
      resolved: c.resolved,
      upheld: c.upheld,
      unfounded: c.unfounded,
      withdrawn: c.withdrawn,
      open: c.open,
    },
    answers: {
      /** Complaints the desk sent the merchant to answer. */
      sent: sent.length,
      answered: answered.length,
      /** Answered ÷ sent, 0..1; null when nothing was sent. */
      share: sent.length === 0 ? null : answered.length / sent.length,
      medianDays: median(days),
      overdue,
    },
    disputes: {
      total: record.disputes,
      resolved: record.disputesByOutcome.resolved,
      withdrawn: record.disputesByOutcome.withdrawn,
      unresolvable: record.disputesByOutcome.unresolvable,
      open: record.disputesByOutcome.open,
    },
    plaques: {
      held: plaques.filter((p) => p.state === "current").length,
      list: plaques,
      revokedInPeriod,
    },
    standing,
    checks,
  };
}

export type TrustRecord = Awaited<ReturnType<typeof trustRecord>>;
