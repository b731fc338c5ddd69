/** `npm run db:seed`: migrates, then seeds the demo district unless it is already there. */
import { exitFailed } from "../cli";
import { migrateDatabase, openConfiguredDatabase } from "../client";
import { seedDistrict } from "./index";

const started = performance.now();
const database = await openConfiguredDatabase();
try {
  await migrateDatabase(database);
  const seedStarted = performance.now();
  const { seeded } = await seedDistrict(database.db);
  const seedMs = Math.round(performance.now() - seedStarted);
  const ms = Math.round(performance.now() - started);
  console.log(
    JSON.stringify({
      level: "info",
      msg: seeded ? "demo district seeded" : "already seeded",
      seeded,
      ms,
      seedMs,
      db: database.kind,
    }),
  );
  await database.close();
} catch (error) {
  await exitFailed(database, "seed failed", error);
}
