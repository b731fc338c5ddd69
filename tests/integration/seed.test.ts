import { count, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client";
import * as schema from "../../db/schema";
import { seedDistrict } from "../../db/seed";
import { useTestDatabase } from "../helpers/kit";

const database = useTestDatabase({ seeded: false });

const tables = {
  streets: schema.streets,
  grids: schema.grids,
  micro_grids: schema.microGrids,
  grid_contacts: schema.gridContacts,
  storefronts: schema.storefronts,
  stalls: schema.stalls,
  places: schema.places,
  businesses: schema.businesses,
  business_members: schema.businessMembers,
  users: schema.users,
  user_roles: schema.userRoles,
  claim_codes: schema.claimCodes,
};

async function fingerprint() {
  const result: Record<string, string> = {};
  for (const name of Object.keys(tables)) {
    const rows = await database
      .db()
      .execute(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${name} t`));
    result[name] = rowsOf<{ h: string }>(rows)[0].h;
  }
  return result;
}

describe("the demo district seed", () => {
  it("builds the district of the brief into an empty database", async () => {
    expect(await seedDistrict(database.db())).toEqual({ seeded: true });
    const n = async (table: (typeof tables)[keyof typeof tables]) =>
      (await database.db().select({ n: count() }).from(table))[0].n;
    expect(await n(schema.streets)).toBe(19);
    expect(await n(schema.grids)).toBe(8);
    expect(await n(schema.microGrids)).toBe(32);
    expect(await n(schema.storefronts)).toBe(1370);
    const kinds = await database
      .db()
      .select({ kind: schema.businesses.kind, n: count() })
      .from(schema.businesses)
      .groupBy(schema.businesses.kind);
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({ shop: 754, stall: 128 });
    // Each micro-grid has a leader and workers whose phones residents can call.
    const contacts = await database
      .db()
      .execute(
        sql`select count(distinct micro_grid_id) as grids, count(*) filter (where role = 'leader') as leaders from grid_contacts`,
      );
    const row = rowsOf<{ grids: number; leaders: number }>(contacts)[0];
    expect(Number(row.grids)).toBe(32);
    expect(Number(row.leaders)).toBe(32);
    // The community's own places are there.
    const places = await database.db().select({ kind: schema.places.kind }).from(schema.places);
    expect(new Set(places.map((p) => p.kind))).toEqual(
      new Set(["service_hall", "rest_stop", "library", "studio", "market"]),
    );
  });

  it("changes nothing when it runs again", async () => {
    const before = await fingerprint();
    expect(await seedDistrict(database.db())).toEqual({ seeded: false });
    expect(await fingerprint()).toEqual(before);
  });
});
