import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDistrict } from "../../db/seed";

/** A migrated (and optionally seeded) PGlite database, dumped as a gzipped tarball. */
export async function buildPgliteImage(seed: boolean): Promise<Uint8Array> {
  const database = await openDatabase({});
  await migrateDatabase(database);
  if (seed) await seedDistrict(database.db);
  const dump = await database.pglite!.dumpDataDir("gzip");
  await database.close();
  return new Uint8Array(await dump.arrayBuffer());
}
