import type { Db } from "../../../db/client";
import { disputes, feedback } from "../../../db/schema";
import { disputeCategories, disputeLevels, feedbackKinds, feedbackSources } from "../../../db/schema/enums";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { daysBetween, median } from "./rules";

/** "2026-03": the month in district time (UTC+8 all year). */
export const districtMonth = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);

const countBy = <K extends string>(keys: readonly K[], values: readonly K[]) =>
  keys.map((key) => ({ key, count: values.filter((v) => v === key).length }));

/**
 * The desk's numbers, for officers and staff: aggregates only. Shares are of closed disputes
 * (resolved / closed); days to resolve run from filing to closure of the resolved ones;
 * "resolved at the grid" is the share of resolved disputes that never left the grid level.
 */
export async function deskStats(db: Db, actor: Actor) {
  assertCan(actor, { action: "desk.stats" });
  const ds = await db
    .select({
      category: disputes.category,
      level: disputes.level,
      status: disputes.status,
      outcome: disputes.outcome,
      createdAt: disputes.createdAt,
      closedAt: disputes.closedAt,
      satisfaction: disputes.satisfaction,
      filerConfirmedAt: disputes.filerConfirmedAt,
      respondentConfirmedAt: disputes.respondentConfirmedAt,
    })
    .from(disputes);
  const fb = await db.select({ kind: feedback.kind, source: feedback.source }).from(feedback);
  const closed = ds.filter((d) => d.status === "closed");
  // Resolved is an agreement both parties confirmed; a closure by an officer never counts as one.
  const resolved = closed.filter((d) => d.outcome === "resolved" && d.filerConfirmedAt && d.respondentConfirmedAt);
  const months = [...new Set(ds.map((d) => districtMonth(d.createdAt)))].sort();
  const ratings = ds.map((d) => d.satisfaction).filter((s): s is number => s !== null);
  return {
    disputes: {
      total: ds.length,
      byCategory: countBy(
        disputeCategories,
        ds.map((d) => d.category),
      ),
      byLevel: countBy(
        disputeLevels,
        ds.map((d) => d.level),
      ),
      byMonth: countBy(
        months,
        ds.map((d) => districtMonth(d.createdAt)),
      ),
      closed: closed.length,
      resolved: resolved.length,
      resolvedShare: closed.length === 0 ? null : resolved.length / closed.length,
      medianDaysToResolve: median(resolved.map((d) => daysBetween(d.createdAt, d.closedAt!))),
      resolvedAtGridShare:
        resolved.length === 0 ? null : resolved.filter((d) => d.level === "grid").length / resolved.length,
      satisfaction: {
        count: ratings.length,
        mean: ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length,
        byScore: countBy(
          ["1", "2", "3", "4", "5"] as const,
          ratings.map((r) => String(r) as "1"),
        ),
      },
    },
    feedback: {
      total: fb.length,
      byKind: countBy(
        feedbackKinds,
        fb.map((f) => f.kind),
      ),
      bySource: countBy(
        feedbackSources,
        fb.map((f) => f.source),
      ),
    },
  };
}
