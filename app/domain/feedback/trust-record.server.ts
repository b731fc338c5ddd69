import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses } from "../../../db/schema";
import { standingYearOf } from "../directory/search.server";
import type { PlaqueKind } from "../../../db/schema/enums";
import { fromJson, jsonDate, preparedFor } from "../../../db/select";
import { recordFromRows, recordRowsJson, recordSince } from "./feedback.server";
import { median, OVERDUE_DAYS, standingOf } from "./standing";

const DAY_MS = 24 * 60 * 60 * 1000;

type SentJson = { status: string; sentAt: string | null; repliedAt: string | null; byMerchant: boolean | null };
type PlaqueJson = {
  kind: PlaqueKind;
  year: number;
  revokedAt: string | null;
  revokeReason: string | null;
  code: string;
  standingYear: number | null;
};

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
  const since = recordSince(now);

  // In one query, as JSON: the rows of the business's record (its feedback and the disputes against
  // it), the complaints the desk sent the merchant with the merchant's own answers to them, and
  // the business's plaques with the standing year of each kind.
  // Built once and run with this business and these times (docs/decisions/047).
  const [businessParam, from, until] = [
    sql.placeholder("businessId"),
    sql.placeholder("since"),
    sql.placeholder("now"),
  ];
  const [row] = await preparedFor(db, "trustRecord", () =>
    db
      .select({
        ...recordRowsJson(businessParam, from, until),
        sent: sql<SentJson[] | string>`coalesce((SELECT json_agg(json_build_object(
          'status', f.status, 'sentAt', f.sent_to_merchant_at, 'repliedAt', f.replied_at,
          'byMerchant', f.replied_by IN (SELECT m.user_id FROM business_members m WHERE m.business_id = ${businessParam})))
        FROM feedback f
        WHERE f.business_id = ${businessParam} AND f.kind = 'complaint' AND f.sent_to_merchant_at IS NOT NULL
          AND f.created_at >= ${from}::timestamptz AND f.created_at <= ${until}::timestamptz), '[]'::json)`,
        plaques: sql<PlaqueJson[] | string>`coalesce((SELECT json_agg(json_build_object(
          'kind', a.kind, 'year', a.year, 'revokedAt', a.revoked_at, 'revokeReason', a.revoke_reason,
          'code', a.plaque_code, 'standingYear', ${standingYearOf(sql`a.kind`, until)}) ORDER BY a.year, a.id)
        FROM awards a WHERE a.business_id = ${businessParam}), '[]'::json)`,
      })
      .from(businesses)
      .where(eq(businesses.id, businessParam)),
  ).execute({ businessId, since: since.toISOString(), now: now.toISOString() });
  const record = recordFromRows(businessId, since, now, row);
  const sent = (row ? fromJson(row.sent) : []).map((f) => ({
    ...f,
    sentAt: jsonDate(f.sentAt),
    repliedAt: jsonDate(f.repliedAt),
  }));
  const answered = sent.filter((f) => f.repliedAt && f.byMerchant);
  const days = answered.map((f) => Math.max(0, f.repliedAt!.getTime() - f.sentAt!.getTime()) / DAY_MS);
  const overdue = sent.filter(
    (f) => f.status === "sent_to_merchant" && now.getTime() - f.sentAt!.getTime() > OVERDUE_DAYS * DAY_MS,
  ).length;

  const plaqueRows = (row ? fromJson(row.plaques) : []).map((p) => ({ ...p, revokedAt: jsonDate(p.revokedAt) }));
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
