import type { Db } from "../../../db/client";
import { disputes, feedback } from "../../../db/schema";
import { disputeCategories, disputeLevels, feedbackKinds, feedbackSources } from "../../../db/schema/enums";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { daysBetween, median } from "./rules";
import { columnsOf } from "../../../db/select";

/** "2026-03": the month in district time (UTC+8 all year). */
export const districtMonth = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);

/** How many of `rows` fall under each key, in the keys' order (a key no row has counts 0). */
const countBy = <K extends string, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K) =>
  keys.map((key) => ({ key, count: rows.filter((row) => keyOf(row) === key).length }));

/**
 * The desk's numbers, for officers and staff: aggregates only. Shares are of closed disputes
 * (resolved / closed); days to resolve run from filing to closure of the resolved ones;
 * "resolved at the grid" is the share of resolved disputes that never left the grid level.
 */
export async function deskStats(db: Db, actor: Actor) {
  assertCan(actor, { action: "desk.stats" });
  const ds = await db
    .select(
      columnsOf(
        disputes,
        "category",
        "level",
        "status",
        "outcome",
        "createdAt",
        "closedAt",
        "satisfaction",
        "filerConfirmedAt",
        "respondentConfirmedAt",
      ),
    )
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
      byCategory: countBy(disputeCategories, ds, (d) => d.category),
      byLevel: countBy(disputeLevels, ds, (d) => d.level),
      byMonth: countBy(months, ds, (d) => districtMonth(d.createdAt)),
      closed: closed.length,
      resolved: resolved.length,
      resolvedShare: closed.length === 0 ? null : resolved.length / closed.length,
      medianDaysToResolve: median(resolved.map((d) => daysBetween(d.createdAt, d.closedAt!))),
      resolvedAtGridShare:
        resolved.length === 0 ? null : resolved.filter((d) => d.level === "grid").length / resolved.length,
      satisfaction: {
        count: ratings.length,
        mean: ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length,
        byScore: countBy(["1", "2", "3", "4", "5"] as const, ratings, (r) => String(r) as "1"),
      },
    },
    feedback: {
      total: fb.length,
      byKind: countBy(feedbackKinds, fb, (f) => f.kind),
      bySource: countBy(feedbackSources, fb, (f) => f.source),
    },
  };
}
