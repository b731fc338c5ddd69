import { count, eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { currentAwardsCte } from "./search.server";
import type { Db } from "../../../db/client";
import { businesses, grids, microGrids, streets } from "../../../db/schema";

/** The district's headline numbers, counted from the database. */
export async function districtCounts(db: Db, now = new Date()) {
  const [kinds, [streetRow], [gridRow], [microGridRow], plaqueResult] = await Promise.all([
    db
      .select({ kind: businesses.kind, n: count() })
      .from(businesses)
      .where(eq(businesses.status, "open"))
      .groupBy(businesses.kind),
    db.select({ n: count() }).from(streets),
    db.select({ n: count() }).from(grids),
    db.select({ n: count() }).from(microGrids),
    db.execute(sql`WITH ${currentAwardsCte(now)}
      SELECT count(DISTINCT ca.business_id)::int AS n FROM current_awards ca JOIN businesses b ON b.id = ca.business_id AND b.status = 'open'`),
  ]);
  const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
  return {
    shops: byKind.shop ?? 0,
    stalls: byKind.stall ?? 0,
    streets: streetRow?.n ?? 0,
    grids: gridRow?.n ?? 0,
    microGrids: microGridRow?.n ?? 0,
    plaques: Number(rowsOf<{ n: number }>(plaqueResult)[0]?.n ?? 0),
  };
}
