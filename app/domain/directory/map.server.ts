import { asc, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { gridContacts, grids, microGrids, places, streets } from "../../../db/schema";
import type { DirectoryFilters } from "./filters";
import { cachedDirectoryRead } from "./cache.server";
import { encodeMapPoints, type MapPoint } from "./map-points";
import { matchingBusinessIds } from "./search.server";

/**
 * Everything the district map draws: grids in their colours, micro-grids with their contacts,
 * labelled streets, every storefront (vacant or occupied) and stall, the community's places, and
 * which businesses match the current filters. What does not depend on the filters is read once
 * per directory version (`map:base`), so a new search costs only its matching query.
 */
export async function districtMap(db: Db, filters: DirectoryFilters, now = new Date()) {
  const [base, matching] = await Promise.all([
    cachedDirectoryRead(db, "map:base", () => queryMap(db)),
    matchingBusinessIds(db, filters, now),
  ]);
  const matchingIds = new Set(matching);
  const matchingByMicroGrid = new Map<number, number>();
  for (const p of base.points)
    if (p.businessId !== null && matchingIds.has(p.businessId))
      matchingByMicroGrid.set(p.microGridId, (matchingByMicroGrid.get(p.microGridId) ?? 0) + 1);
  return {
    grids: base.grids.map((g) => ({
      ...g,
      microGrids: g.microGrids.map((mg) => ({ ...mg, matchingCount: matchingByMicroGrid.get(mg.id) ?? 0 })),
    })),
    streets: base.streets,
    places: base.places,
    /** Every storefront and stall, and whether its business matches. */
    get points() {
      return base.points.map((p) => ({ ...p, matches: p.businessId !== null && matchingIds.has(p.businessId) }));
    },
    /** The same points as one string for the page (map-points.ts), without `matches`. */
    encodedPoints: base.encodedPoints,
    /** The matching businesses' ids, in id order. */
    matching: [...matchingIds].sort((a, b) => a - b),
    matchingCount: matchingIds.size,
  };
}

async function queryMap(db: Db) {
  const [gridRows, microGridRows, contactRows, streetRows, placeRows, pointResult] = await Promise.all([
    db.select().from(grids).orderBy(asc(grids.code)),
    db.select().from(microGrids).orderBy(asc(microGrids.code)),
    db
      .select({
        microGridId: gridContacts.microGridId,
        role: gridContacts.role,
        name: gridContacts.name,
        phone: gridContacts.phone,
      })
      .from(gridContacts)
      .orderBy(asc(gridContacts.microGridId), asc(gridContacts.role), asc(gridContacts.sort), asc(gridContacts.id)),
    db.select().from(streets).orderBy(asc(streets.sort), asc(streets.code)),
    db.select().from(places).orderBy(asc(places.code)),
    db.execute(sql`
      SELECT 'storefront' AS place, sf.id AS place_id, sf.x, sf.y, sf.micro_grid_id, b.id AS business_id, b.name, b.kind
        FROM storefronts sf LEFT JOIN businesses b ON b.storefront_id = sf.id AND b.status = 'open'
      UNION ALL
      SELECT 'stall', sl.id, sl.x, sl.y, sl.micro_grid_id, b.id, b.name, b.kind
        FROM stalls sl LEFT JOIN businesses b ON b.stall_id = sl.id AND b.status = 'open'
      ORDER BY 1, 2`),
  ]);
  const points: MapPoint[] = rowsOf<{
    place: "storefront" | "stall";
    place_id: number;
    x: number;
    y: number;
    micro_grid_id: number;
    business_id: number | null;
    name: string | null;
  }>(pointResult).map((p) => ({
    place: p.place,
    x: Number(p.x),
    y: Number(p.y),
    microGridId: Number(p.micro_grid_id),
    businessId: p.business_id === null ? null : Number(p.business_id),
    name: p.name,
  }));
  const microGridsWithContacts = microGridRows.map((mg) => ({
    ...mg,
    contacts: contactRows
      .filter((c) => c.microGridId === mg.id)
      .map(({ role, name, phone }) => ({ role, name, phone })),
    businessCount: points.filter((p) => p.microGridId === mg.id && p.businessId !== null).length,
  }));
  return {
    grids: gridRows.map((g) => ({
      ...g,
      microGrids: microGridsWithContacts.filter((mg) => mg.gridId === g.id),
    })),
    streets: streetRows,
    places: placeRows,
    points,
    encodedPoints: encodeMapPoints(points),
  };
}
