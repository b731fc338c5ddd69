/** `npm run db:migrate`: applies every pending migration, exits non-zero on failure. */
import { migrateDatabase, openConfiguredDatabase } from "./client";

const database = await openConfiguredDatabase();
try {
  await migrateDatabase(database);
  console.log(JSON.stringify({ level: "info", msg: "migrations applied", db: database.kind }));
  await database.close();
} catch (error) {
  console.error(
    JSON.stringify({
      level: "error",
      msg: "migration failed",
      error: String((error as Error)?.message ?? error),
      cause: String((error as { cause?: unknown })?.cause ?? ""),
    }),
  );
  await database.close().catch(() => {});
  process.exit(1);
}
