import type { Db } from "../../../db/client";
import { followedDirectoryVersion, readDirectoryVersion } from "../../lib/directory-version.server";

/**
 * Memoizes directory reads per database, for as long as the `directory` version counter is
 * unchanged. Triggers bump the counter on any write to the tables behind the directory (migration
 * `directory_cache_triggers`), so a write is seen at once by every process. The server follows the
 * version in memory (app/lib/directory-version.server.ts): a hit then costs no query; elsewhere
 * (tests, scripts, inside a transaction) it costs one primary-key read. Cached values are shared:
 * callers must not mutate them.
 *
 * Reads are kept on two shelves, each least recently used first out: `reads` (searches, the map,
 * options: up to 500, a search page is tens of kilobytes) and `businesses` (one small record per
 * business: room for a whole district, docs/decisions/053).
 */
export type Shelf = "reads" | "businesses";
const capacity: Record<Shelf, number> = { reads: 500, businesses: 2_000 };
const stores = new WeakMap<object, { version: number; shelves: Record<Shelf, Map<string, unknown>> }>();

export async function cachedDirectoryRead<T>(
  db: Db,
  key: string,
  read: () => Promise<T>,
  shelf: Shelf = "reads",
): Promise<T> {
  const version = followedDirectoryVersion(db)?.current() ?? (await readDirectoryVersion(db));
  if (version === undefined) return read();
  let store = stores.get(db);
  if (!store || store.version !== version) {
    store = { version, shelves: { reads: new Map(), businesses: new Map() } };
    stores.set(db, store);
  }
  const entries = store.shelves[shelf];
  if (entries.has(key)) {
    const value = entries.get(key) as T;
    entries.delete(key); // most recently used goes last
    entries.set(key, value);
    return value;
  }
  const value = await read();
  entries.set(key, value);
  if (entries.size > capacity[shelf]) entries.delete(entries.keys().next().value!);
  return value;
}
