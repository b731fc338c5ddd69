import { asc, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { gridContacts, grids, microGrids, places, streets } from "../../../db/schema";
import type { DirectoryFilters } from "./filters";
import { cachedDirectoryRead } from "./cache.server";
import { matchingBusinessIds, minuteKey } from "./search.server";

/**
 * Everything the district map draws: grids in their colours, micro-grids with their contacts,
 * labelled streets, every storefront (vacant or occupied) and stall, the community's places, and
 * which businesses match the current filters.
 */
export function districtMap(db: Db, filters: DirectoryFilters, now = new Date()) {
  const key = `map:${minuteKey(now)}:${JSON.stringify({ ...filters, page: 1, perPage: 1 })}`;
  return cachedDirectoryRead(db, key, () => queryMap(db, filters, now));
}

async function queryMap(db: Db, filters: DirectoryFilters, now: Date) {
  const [gridRows, microGridRows, contactRows, streetRows, placeRows, pointResult, matching] = await Promise.all([
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
    matchingBusinessIds(db, filters, now),
  ]);
  const matchingIds = new Set(matching);
  const points = rowsOf<{
    place: "storefront" | "stall";
    place_id: number;
    x: number;
    y: number;
    micro_grid_id: number;
    business_id: number | null;
    name: string | null;
  }>(pointResult).map((p) => ({
    place: p.place,
    id: Number(p.place_id),
    x: Number(p.x),
    y: Number(p.y),
    microGridId: Number(p.micro_grid_id),
    businessId: p.business_id === null ? null : Number(p.business_id),
    name: p.name,
    matches: p.business_id !== null && matchingIds.has(Number(p.business_id)),
  }));
  const microGridsWithContacts = microGridRows.map((mg) => ({
    ...mg,
    contacts: contactRows
      .filter((c) => c.microGridId === mg.id)
      .map(({ role, name, phone }) => ({ role, name, phone })),
    businessCount: points.filter((p) => p.microGridId === mg.id && p.businessId !== null).length,
    matchingCount: points.filter((p) => p.microGridId === mg.id && p.matches).length,
  }));
  return {
    grids: gridRows.map((g) => ({
      ...g,
      microGrids: microGridsWithContacts.filter((mg) => mg.gridId === g.id),
    })),
    streets: streetRows,
    places: placeRows,
    points,
    matchingCount: matchingIds.size,
  };
}
