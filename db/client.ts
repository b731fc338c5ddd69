import path from "node:path";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { planReusingClient } from "./pglite-plans";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The database as the domain sees it; a transaction has the same shape. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Present on PGlite only: tests dump and load whole data directories through it. */
  pglite?: PGlite;
  /**
   * LISTEN on a channel. `onNotify` gets each payload (delivered at the notifying commit);
   * `onListen` runs once listening has begun and again after every reconnect, when notifications
   * may have been missed. Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type OpenOptions = { url: string; maxConnections?: number } | { dataDir?: string; loadDataDir?: Blob | File };

/** PGlite needs its extensions named at creation; the SQL in migrations then creates them. */
export const pgliteExtensions = { btree_gist, pg_trgm };

/**
 * PGlite's own start parameters plus a smaller buffer pool. Its default shared_buffers of 128 MB
 * lives in the WebAssembly memory and was most of a resting server's memory; the demo district's
 * working set is a few MB and the operating system caches the data files anyway
 * (docs/decisions/027). PGLITE_SHARED_BUFFERS sets it (a Postgres size, e.g. "64MB").
 */
const pgliteStartParams = [
  ...PGlite.defaultStartParams,
  ...["-c", `shared_buffers=${process.env.PGLITE_SHARED_BUFFERS || "16MB"}`],
];

/**
 * Opens Postgres: postgres.js against a server when a URL is given, else PGlite in `dataDir`
 * (in memory when no folder is given).
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if ("url" in options) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connection: { TimeZone: "UTC" },
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      // postgres.js listens on a connection of its own and listens again after a reconnect.
      listen: async (channel, onNotify, onListen) => (await client.listen(channel, onNotify, onListen)).unlisten,
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: pgliteExtensions,
    startParams: pgliteStartParams,
  });
  await pglite.exec("SET TIME ZONE 'UTC'");
  // Each statement is planned once and run with one protocol message (./pglite-plans.ts).
  const db = drizzlePglite(planReusingClient(pglite), { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite,
    // In-process: listeners run before the notifying statement's promise resolves.
    listen: async (channel, onNotify, onListen) => {
      const unlisten = await pglite.listen(channel, onNotify);
      onListen?.();
      return unlisten;
    },
    close: () => pglite.close(),
  };
}

/** Where the migrations live; resolved from the working directory, not from this module. */
export function migrationsFolder(): string {
  return path.resolve(process.cwd(), "db/migrations");
}

export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: migrationsFolder() };
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, config);
  } else {
    await migratePostgres(database.db as never, config);
  }
}

/** The data folder: PGlite's files, uploads, nginx's config and logs. */
export function dataDir(): string {
  return path.resolve(process.cwd(), process.env.XQ_DATA_DIR ?? ".data");
}

/** PGlite's folder when no DATABASE_URL is set. */
export function pgliteDir(): string {
  return path.join(dataDir(), "pglite");
}

/** True when the configured database is PGlite and its folder holds no database yet (a first start). */
export function isNewPglite(): boolean {
  return !process.env.DATABASE_URL && !fs.existsSync(path.join(pgliteDir(), "PG_VERSION"));
}

/** Opens the database the environment names: DATABASE_URL, else PGlite under the data folder. */
export function openConfiguredDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ url });
  return openDatabase({ dataDir: pgliteDir() });
}

/** Rows of a raw `db.execute(sql...)`: postgres.js answers an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
