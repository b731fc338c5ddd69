import { count, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses, grids, microGrids, streets } from "../../../db/schema";

/** The district's headline numbers, counted from the database. */
export async function districtCounts(db: Db) {
  const [kinds, [streetRow], [gridRow], [microGridRow]] = await Promise.all([
    db
      .select({ kind: businesses.kind, n: count() })
      .from(businesses)
      .where(eq(businesses.status, "open"))
      .groupBy(businesses.kind),
    db.select({ n: count() }).from(streets),
    db.select({ n: count() }).from(grids),
    db.select({ n: count() }).from(microGrids),
  ]);
  const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
  return {
    shops: byKind.shop ?? 0,
    stalls: byKind.stall ?? 0,
    streets: streetRow?.n ?? 0,
    grids: gridRow?.n ?? 0,
    microGrids: microGridRow?.n ?? 0,
  };
}
