import type { Database } from "./client";

/** Ends a command line script that failed: one JSON log line, the database closed, a non-zero exit. */
export async function exitFailed(database: Database, msg: string, error: unknown): Promise<never> {
  console.error(
    JSON.stringify({
      level: "error",
      msg,
      error: String((error as Error)?.message ?? error),
      cause: String((error as { cause?: unknown })?.cause ?? ""),
    }),
  );
  await database.close().catch(() => {});
  process.exit(1);
}
