import type { Db } from "../../../db/client";
import { followedDirectoryVersion, readDirectoryVersion } from "../../lib/directory-version.server";

/**
 * Memoizes directory reads per database, for as long as the `directory` version counter is
 * unchanged. Triggers bump the counter on any write to the tables behind the directory (migration
 * `directory_cache_triggers`), so a write is seen at once by every process. The server follows the
 * version in memory (app/lib/directory-version.server.ts): a hit then costs no query; elsewhere
 * (tests, scripts, inside a transaction) it costs one primary-key read. Cached values are shared:
 * callers must not mutate them.
 */
const stores = new WeakMap<object, { version: number; entries: Map<string, unknown> }>();
const maxEntries = 500;

export async function cachedDirectoryRead<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  const version = followedDirectoryVersion(db)?.current() ?? (await readDirectoryVersion(db));
  if (version === undefined) return read();
  let store = stores.get(db);
  if (!store || store.version !== version) {
    store = { version, entries: new Map() };
    stores.set(db, store);
  }
  if (store.entries.has(key)) {
    const value = store.entries.get(key) as T;
    store.entries.delete(key); // most recently used goes last
    store.entries.set(key, value);
    return value;
  }
  const value = await read();
  store.entries.set(key, value);
  if (store.entries.size > maxEntries) store.entries.delete(store.entries.keys().next().value!);
  return value;
}
