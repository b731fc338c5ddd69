/** `npm run db:migrate`: applies every pending migration, exits non-zero on failure. */
import { exitFailed } from "./cli";
import { migrateDatabase, openConfiguredDatabase } from "./client";

const database = await openConfiguredDatabase();
try {
  await migrateDatabase(database);
  console.log(JSON.stringify({ level: "info", msg: "migrations applied", db: database.kind }));
  await database.close();
} catch (error) {
  await exitFailed(database, "migration failed", error);
}
