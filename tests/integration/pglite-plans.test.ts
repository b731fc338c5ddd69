import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, rowsOf, type Database } from "../../db/client";
import { createLogger } from "~/lib/log.server";

/**
 * PGlite under drizzle plans each statement once and runs it in one protocol message
 * (db/pglite-plans.ts, docs/decisions/031): the answers must be those PGlite's own `query()`
 * gives, errors keep their Postgres codes, and a write still notifies its listeners.
 */
let database: Database;

beforeAll(async () => {
  database = await openDatabase({});
  await database.pglite!.exec(`
    CREATE TABLE plan_things (id serial PRIMARY KEY, name text UNIQUE NOT NULL, n int, at timestamptz, ok boolean, tags text[]);
    CREATE FUNCTION plan_things_notify() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_notify('plan_things', NEW.name); RETURN NEW; END $$;
    CREATE TRIGGER plan_things_notify AFTER INSERT OR UPDATE ON plan_things FOR EACH ROW EXECUTE FUNCTION plan_things_notify();
  `);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

const prepared = async () =>
  (await database.pglite!.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements")).rows.map(
    (r) => r.statement,
  );

describe("PGlite statements planned once", () => {
  it("answers as PGlite's own query does, with quotes, nulls, numbers, booleans and timestamps", async () => {
    const { db, pglite } = database;
    const name = "O'Brien's \\ 老王";
    const inserted = rowsOf<{ id: number }>(
      await db.execute(
        sql`INSERT INTO plan_things (name, n, at, ok, tags) VALUES (${name}, ${-7}, ${"2026-12-06T07:00:00.123Z"}, ${true}, ARRAY['a','b']) RETURNING id`,
      ),
    );
    expect(inserted).toHaveLength(1);
    const query = sql`SELECT id, name, n, at, ok, tags, ${null}::int AS nothing FROM plan_things WHERE name = ${name} AND n < ${0}`;
    const viaDrizzle = rowsOf<Record<string, unknown>>(await db.execute(query));
    const viaPglite = (
      await pglite!.query<Record<string, unknown>>(
        "SELECT id, name, n, at::text AS at, ok, tags, $1::int AS nothing FROM plan_things WHERE name = $2 AND n < $3",
        [null, name, 0],
      )
    ).rows;
    expect(viaDrizzle).toEqual(viaPglite);
    expect(viaDrizzle[0]).toMatchObject({ name, n: -7, ok: true, tags: ["a", "b"], nothing: null });
    // drizzle's parsers keep a timestamp as the text Postgres sent
    expect(typeof viaDrizzle[0].at).toBe("string");
    // the same text is prepared once, whatever the values
    await db.execute(
      sql`SELECT id, name, n, at, ok, tags, ${null}::int AS nothing FROM plan_things WHERE name = ${"x"} AND n < ${5}`,
    );
    expect((await prepared()).filter((s) => s.includes("FROM plan_things WHERE name"))).toHaveLength(1);
  });

  it("keeps the Postgres error code of a refused write, and runs what it cannot prepare as before", async () => {
    const { db } = database;
    await db.execute(sql`INSERT INTO plan_things (name) VALUES (${"twice"})`);
    const error = await db.execute(sql`INSERT INTO plan_things (name) VALUES (${"twice"})`).catch((e: unknown) => e);
    const code =
      (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    expect(code).toBe("23505");
    // SHOW cannot be prepared: it runs through PGlite's query() unchanged.
    const shown = rowsOf<{ TimeZone: string }>(await db.execute(sql.raw("SHOW TIME ZONE")));
    expect(shown[0]).toEqual({ TimeZone: "UTC" });
  });

  it("leaves a write made through it in the data folder, for the next start to read", async () => {
    // Its statements skip PGlite's sync to the file system: the folder's file system writes through.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-plans-"));
    try {
      const first = await openDatabase({ dataDir });
      await first.db.execute(sql`CREATE TABLE kept (name text PRIMARY KEY, n int)`);
      await first.db.execute(sql`INSERT INTO kept VALUES (${"老王"}, ${1})`);
      await first.db.execute(sql`UPDATE kept SET n = n + ${41} WHERE name = ${"老王"}`);
      await first.close();
      const again = await openDatabase({ dataDir });
      try {
        expect(rowsOf(await again.db.execute(sql`SELECT name, n FROM kept`))).toEqual([{ name: "老王", n: 42 }]);
      } finally {
        await again.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("delivers the notifications of a write made through it", async () => {
    const heard: string[] = [];
    const stop = await database.listen("plan_things", (payload) => heard.push(payload));
    await database.db.execute(sql`UPDATE plan_things SET n = ${1} WHERE name = ${"twice"}`);
    await expect.poll(() => heard).toEqual(["twice"]);
    await stop();
  });
});

describe("the directory version followed by server.ts", () => {
  it("is seen by another copy of the module (the built server bundle holds its own)", async () => {
    const first = await import("~/lib/directory-version.server");
    // @ts-expect-error -- a second instance of the same module, as Vite's server bundle has
    const second = (await import("~/lib/directory-version.server?bundle-copy")) as typeof first;
    expect(second).not.toBe(first);
    await database.pglite!.exec(
      "CREATE TABLE IF NOT EXISTS cache_versions (name text PRIMARY KEY, version bigint NOT NULL); INSERT INTO cache_versions VALUES ('directory', 3) ON CONFLICT DO NOTHING",
    );
    const followed = first.followDirectoryVersion(database, createLogger("silent"));
    await expect.poll(() => followed.current()).toBe(3);
    expect(second.followedDirectoryVersion(database.db)?.current()).toBe(3);
  });
});
