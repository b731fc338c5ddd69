import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * Opening PGlite, shared by the in-process client (./client.ts) and the PGlite thread
 * (./pglite-worker.ts): whichever thread it runs on, it is the same database with the same settings.
 */

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

/** PGlite in `dataDir` (in memory when no folder is given), its sessions in UTC. */
export async function createPglite(options: { dataDir?: string; loadDataDir?: Blob | File }): Promise<PGlite> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: pgliteExtensions,
    startParams: pgliteStartParams,
  });
  await pglite.exec("SET TIME ZONE 'UTC'");
  return pglite;
}
