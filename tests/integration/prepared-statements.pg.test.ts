/**
 * On a Postgres server every statement drizzle sends with parameters is prepared once per
 * connection and reused (db/client.ts `preparingStatements`, docs/decisions/043): the server
 * parses and plans the directory search once, not on every page. Postgres server only: PGlite's
 * own statements are planned once by db/pglite-plans.ts (tests/integration/pglite-plans.test.ts).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type Database } from "../../db/client";
import { businesses } from "../../db/schema";
import { directoryFilterSchema } from "~/domain/directory/filters";
import { querySearch } from "~/domain/directory/search.server";
import { openTestDatabase } from "../helpers/db";

if (process.env.XQ_TEST_DB !== "postgres") throw new Error("prepared-statements runs on the Postgres server only");

let database: Database;
const db = () => database.db;

/** The statements prepared on the one connection this file's database has, by their text. */
async function prepared(): Promise<string[]> {
  // No parameters: sent as a simple query, never prepared itself.
  const rows = rowsOf<{ statement: string }>(await db().execute(sql`SELECT statement FROM pg_prepared_statements`));
  return rows.map((r) => r.statement);
}

/** How many times the server has planned the statement whose text holds `marker`. */
async function plans(marker: string): Promise<{ generic: number; custom: number }> {
  const rows = rowsOf<{ statement: string; generic_plans: string; custom_plans: string }>(
    await db().execute(sql`SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements`),
  ).filter((r) => r.statement.includes(marker));
  expect(rows).toHaveLength(1);
  return { generic: Number(rows[0].generic_plans), custom: Number(rows[0].custom_plans) };
}

describe("statements prepared once on a Postgres server", () => {
  beforeAll(async () => {
    // One connection: every statement of this file goes through it, so its prepared statements are the ones read.
    database = await openTestDatabase({ maxConnections: 1 });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("prepares a select the first time and runs it again without preparing another", async () => {
    const before = (await prepared()).length;
    for (const code of ["S0001", "S0002", "S0003"]) {
      const rows = await db().select({ name: businesses.name }).from(businesses).where(eq(businesses.code, code));
      expect(rows).toHaveLength(1);
    }
    const after = await prepared();
    expect(after.length).toBe(before + 1);
    expect(after.filter((s) => s.includes('"businesses"."code" = $1'))).toHaveLength(1);
  });

  it("runs the directory search as one prepared statement, each term answered with its own rows", async () => {
    const filters = (q: string) => directoryFilterSchema.parse({ q });
    const names: Record<string, string[]> = {};
    for (const q of ["面", "茶", "路", "面", "茶", "路", "面", "茶"])
      names[q] = (await querySearch(db(), filters(q))).items.map((i) => i.name);
    expect(names["面"].every((n) => n.includes("面"))).toBe(true);
    expect(names["茶"].every((n) => n.includes("茶"))).toBe(true);
    expect(names["面"]).not.toEqual(names["茶"]);
    const counted = await plans("current_awards AS");
    // Eight runs of one prepared statement (Postgres plans a run anew, custom, or reuses its generic plan).
    expect(counted.generic + counted.custom).toBe(8);
  });

  it("still answers after a schema change invalidates a prepared statement", async () => {
    // SELECT *: a new column changes the prepared statement's result type, which Postgres refuses
    // ("cached plan must not change result type"); postgres.js then prepares it again.
    const read = async () =>
      rowsOf<Record<string, unknown>>(await db().execute(sql`SELECT * FROM businesses WHERE code = ${"S0001"}`));
    expect(await read()).toHaveLength(1);
    expect((await prepared()).filter((s) => s.startsWith("SELECT * FROM businesses"))).toHaveLength(1);
    await db().execute(sql`ALTER TABLE businesses ADD COLUMN xq_test_extra int`);
    try {
      const [row] = await read();
      expect(row.code).toBe("S0001");
      expect(row).toHaveProperty("xq_test_extra", null);
    } finally {
      await db().execute(sql`ALTER TABLE businesses DROP COLUMN xq_test_extra`);
    }
  });

  it("does not prepare a statement with more than 100 parameters", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => i + 1);
    const before = (await prepared()).length;
    const rows = await db()
      .select({ id: businesses.id })
      .from(businesses)
      .where(and(inArray(businesses.id, ids), eq(businesses.kind, "shop")));
    expect(rows.length).toBeGreaterThan(0);
    expect((await prepared()).length).toBe(before);
  });
});
