import path from "node:path";
import fs from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { createPglite } from "./pglite-open";
import { planReusingClient } from "./pglite-plans";
import { asPglite, openPgliteThread } from "./pglite-thread";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The database as the domain sees it; a transaction has the same shape. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Present on PGlite in this thread only: tests dump and load whole data directories through it. */
  pglite?: PGlite;
  /**
   * LISTEN on a channel. `onNotify` gets each payload (delivered at the notifying commit);
   * `onListen` runs once listening has begun and again after every reconnect, when notifications
   * may have been missed. Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * PGlite on its thread only: `callback` runs once if the thread dies without being closed, after
   * which every call fails (the server logs it and exits, so that it can be restarted).
   */
  onFailure?(callback: (error: Error) => void): void;
}

/** `thread`: PGlite runs on a worker thread of its own (./pglite-thread.ts, docs/decisions/035). */
export type OpenOptions =
  { url: string; maxConnections?: number } | { dataDir?: string; loadDataDir?: Blob | File; thread?: boolean };

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
    const db = drizzlePostgres(preparingStatements(client), { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      // postgres.js listens on a connection of its own and listens again after a reconnect.
      listen: async (channel, onNotify, onListen) => (await client.listen(channel, onNotify, onListen)).unlisten,
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.thread) {
    const client = await openPgliteThread({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
    return {
      db: drizzlePglite(asPglite(client), { schema }) as unknown as Db,
      kind: "pglite",
      // Notifications are posted before the answer to the notifying statement, so they still arrive first.
      listen: async (channel, onNotify, onListen) => {
        const unlisten = await client.listen(channel, onNotify);
        onListen?.();
        return unlisten;
      },
      close: () => client.close(),
      onFailure: (callback) => client.onFailure(callback),
    };
  }
  const pglite = await createPglite(options);
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

/**
 * The postgres.js client as drizzle should use it: every statement with parameters is prepared
 * under a name on its connection and reused (postgres.js keeps them per connection by text and
 * parameter types), so that the server parses and plans it once, not on every execution.
 * drizzle-orm/postgres-js prepares only queries given a name with `.prepare(name)`; the rest went
 * as unnamed statements, parsed, described and planned every time (the directory search: ~2.7 ms
 * of planning a request; docs/decisions/043). postgres.js prepares the statement again after a
 * schema change invalidates it, and a connection's statements go with it when postgres.js replaces
 * the connection (every 30–60 minutes). Not prepared: statements inside a transaction (drizzle's
 * default), and those with more than 100 parameters (a bulk insert, a long `IN` list), whose every
 * length would be a statement of its own.
 */
const preparable = (parameters: readonly unknown[] | undefined) =>
  parameters !== undefined && parameters.length > 0 && parameters.length <= 100;

export function preparingStatements(client: postgres.Sql): postgres.Sql {
  const unsafe: postgres.Sql["unsafe"] = (query, parameters, options) =>
    client.unsafe(query, parameters, preparable(parameters) ? { ...options, prepare: true } : options);
  return new Proxy(client, {
    get: (target, key, receiver) => (key === "unsafe" ? unsafe : Reflect.get(target, key, receiver)),
  });
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

/**
 * Opens the database the environment names: DATABASE_URL, else PGlite under the data folder, on a
 * thread of its own unless `thread` is false or XQ_PGLITE_THREAD=0 (docs/decisions/035).
 */
export function openConfiguredDatabase(options: { thread?: boolean } = {}): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ url });
  return openDatabase({ dataDir: pgliteDir(), thread: options.thread ?? process.env.XQ_PGLITE_THREAD !== "0" });
}

/** Rows of a raw `db.execute(sql...)`: postgres.js answers an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
