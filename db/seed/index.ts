/**
 * Seeds the demo district once: inside one transaction, and only when `app_meta` has no `seed`
 * key yet, so running it again changes nothing. Ids are explicit (see district.ts), and the
 * serial sequences are moved past them afterwards.
 */
import { eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import {
  appMeta,
  awards,
  businessMembers,
  businesses,
  categories,
  claimCodes,
  gridContacts,
  grids,
  microGrids,
  places,
  plaqueNominations,
  plaqueRounds,
  stalls,
  storefronts,
  streets,
  userRoles,
  users,
} from "../schema";
import { hashPassword } from "../../shared/secrets.server";
import { seedAlliance } from "./alliance";
import { seedMarket } from "./market";
import { buildDistrict } from "./district";
import { buildPlaqueSelection } from "./badges";
import { DEMO_PASSWORD, SEED_META_KEY } from "./demo";
import { seedStudio } from "./studio";

/** Rows per INSERT: PGlite pays per statement, Postgres caps a statement at 65,535 parameters. */
const CHUNK = 500;

/** Tables with a serial id that the seed fills with explicit ids. */
const SERIAL_TABLES = [
  "streets",
  "grids",
  "micro_grids",
  "grid_contacts",
  "storefronts",
  "stalls",
  "places",
  "businesses",
  "claim_codes",
  "alliance_announcements",
  "alliance_proposals",
  "alliance_follow_ups",
  "alliance_comments",
  "alliance_activities",
  "plaque_rounds",
  "plaque_nominations",
] as const;

/** An arbitrary key for the advisory lock that keeps two seeders from racing. */
const SEED_LOCK_KEY = 7_202_601;

export async function seedDistrict(db: Db, log: (msg: string) => void = () => {}): Promise<{ seeded: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const existing = await tx.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, SEED_META_KEY));
    if (existing.length > 0) {
      log(`already seeded (${existing[0].value}); nothing to do`);
      return { seeded: false };
    }

    const district = buildDistrict();
    // argon2 is slow on purpose: hash once, share the hash among the demo accounts.
    const passwordHash = await hashPassword(DEMO_PASSWORD);

    const insert = async <T extends PgTable>(table: T, name: string, rows: T["$inferInsert"][]) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx.insert(table).values(rows.slice(i, i + CHUNK));
      }
      log(`${name}: ${rows.length}`);
    };

    // In foreign-key order.
    await insert(categories, "categories", district.categories);
    await insert(streets, "streets", district.streets);
    await insert(grids, "grids", district.grids);
    await insert(microGrids, "micro_grids", district.microGrids);
    await insert(
      users,
      "users",
      district.users.map((u) => ({ ...u, passwordHash })),
    );
    await insert(userRoles, "user_roles", district.userRoles);
    await insert(gridContacts, "grid_contacts", district.gridContacts);
    await insert(storefronts, "storefronts", district.storefronts);
    await insert(stalls, "stalls", district.stalls);
    await insert(places, "places", district.places);
    await insert(businesses, "businesses", district.businesses);
    await insert(businessMembers, "business_members", district.businessMembers);
    await insert(claimCodes, "claim_codes", district.claimCodes);
    const selection = buildPlaqueSelection({
      shopIds: district.businesses.filter((b) => b.kind === "shop").map((b) => b.id),
      stallIds: district.businesses.filter((b) => b.kind === "stall").map((b) => b.id),
      adminId: district.users.find((u) => u.id === "demo-admin")!.id,
      ownerId: district.users.find((u) => u.id === "demo-owner")!.id,
      presidentId: district.users.find((u) => u.id === "demo-president")!.id,
    });
    await insert(plaqueRounds, "plaque_rounds", selection.rounds);
    await insert(plaqueNominations, "plaque_nominations", selection.nominations);
    await insert(awards, "awards", selection.awards);
    await seedAlliance(tx);
    log("alliance: demo proposals, announcement, activity");
    await seedMarket(tx);
    log("market: demo products");

    // Explicit ids leave the sequences behind: move each past its table's largest id.
    const setvals = sql.join(
      SERIAL_TABLES.map(
        (t) =>
          sql`setval(pg_get_serial_sequence(${t}, 'id'), (select coalesce(max(id), 0) + 1 from ${sql.identifier(t)}), false)`,
      ),
      sql`, `,
    );
    await tx.execute(sql`select ${setvals}`);

    await seedStudio(tx, new Date(), log);

    await insert(appMeta, "app_meta", district.appMeta);
    return { seeded: true };
  });
}
