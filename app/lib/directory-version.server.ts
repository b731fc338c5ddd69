import { eq } from "drizzle-orm";
import type { Database, Db } from "../../db/client";
import { cacheVersions } from "../../db/schema";
import type { Logger } from "./log.server";

/**
 * The `directory` cache version (triggers bump it on every write to the tables behind the
 * directory and notify `xq_directory`, migration `directory_cache_triggers`), kept in memory
 * while this process listens. The page cache, the directory read cache and the open-data API's
 * ETag all use it, so a request costs no database read to learn it.
 *
 * Until listening works (or if it cannot), `current` is undefined and callers read the version
 * from the database as before. On PGlite the notification is delivered before the writing
 * statement's promise resolves, so a write is seen by the next read of this process. On a
 * Postgres server it arrives over the listening connection a moment after the commit; until then
 * (about a millisecond on one host) this process may answer from the version before the write.
 */
export interface DirectoryVersion {
  /** The version while it is known to be current, else undefined. */
  current(): number | undefined;
  /** The version: from memory when listening, else read from the database. */
  read(): Promise<number | undefined>;
  /** Runs `onChange` whenever the version grows. */
  onChange(listener: (version: number) => void): void;
}

/**
 * Shared through `globalThis`: server.ts (run by tsx) starts following, but the loaders run from
 * the Vite-built server bundle, which holds its own copy of this module. A map per module copy
 * left the bundle's copy empty, so every directory read in production queried the version.
 */
const followedKey = Symbol.for("xinquan.directoryVersion.followed");
const followed: WeakMap<object, DirectoryVersion> = ((globalThis as Record<symbol, unknown>)[followedKey] ??=
  new WeakMap<object, DirectoryVersion>()) as WeakMap<object, DirectoryVersion>;

export async function readDirectoryVersion(db: Db): Promise<number | undefined> {
  const [row] = await db
    .select({ version: cacheVersions.version })
    .from(cacheVersions)
    .where(eq(cacheVersions.name, "directory"));
  return row?.version;
}

/** The version `db` is followed at (see `followDirectoryVersion`), or undefined. */
export function followedDirectoryVersion(db: object): DirectoryVersion | undefined {
  return followed.get(db);
}

/** Starts following the version of `database` (once per database; later calls share it). */
export function followDirectoryVersion(database: Pick<Database, "db" | "listen">, log: Logger): DirectoryVersion {
  const existing = followed.get(database.db);
  if (existing) return existing;
  let version = -1;
  let listening = false;
  const listeners: Array<(version: number) => void> = [];
  /** Versions only grow: an older answer arriving late never moves it back. */
  const observe = (next: number) => {
    if (next > version) {
      version = next;
      for (const listener of listeners) listener(next);
    }
  };
  const tracker: DirectoryVersion = {
    current: () => (listening ? version : undefined),
    read: async () => {
      if (listening) return version;
      const v = await readDirectoryVersion(database.db);
      if (v !== undefined) observe(v);
      return v;
    },
    onChange: (listener) => listeners.push(listener),
  };
  followed.set(database.db, tracker);
  database
    .listen(
      "xq_directory",
      (payload) => observe(Number(payload)),
      () => {
        // (Re)started listening: notifications may have been missed meanwhile.
        listening = false;
        readDirectoryVersion(database.db).then(
          (v) => {
            if (v !== undefined) observe(v);
            listening = v !== undefined;
          },
          (error: unknown) => log.warn({ err: error }, "reading the directory version failed"),
        );
      },
    )
    .catch((error: unknown) =>
      log.warn({ err: error }, "cannot listen for directory changes; reading the version per request"),
    );
  return tracker;
}
