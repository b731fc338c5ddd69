import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client";
import type { TestKit } from "./kit";

/** Storefronts no open business uses, with their street's Chinese name and micro-grid code. */
export async function vacantStorefronts(kit: TestKit) {
  return rowsOf<{ id: number; street: string; number: string; micro_grid: string }>(
    await kit.db().execute(sql`
      SELECT sf.id, st.name_zh AS street, sf.number, mg.code AS micro_grid
        FROM storefronts sf JOIN streets st ON st.id = sf.street_id JOIN micro_grids mg ON mg.id = sf.micro_grid_id
       WHERE NOT EXISTS (SELECT 1 FROM businesses b WHERE b.storefront_id = sf.id AND b.status = 'open')
       ORDER BY sf.id`),
  );
}
