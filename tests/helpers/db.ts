import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../db/client";
import { databaseUrl } from "./postgres-url";

/**
 * A database of its own for one test file: a copy of the image built once per run, on PGlite
 * (XQ_TEST_DB=pglite) or on the Postgres server (XQ_TEST_DB=postgres).
 */
export async function openTestDatabase(options: { seeded?: boolean; maxConnections?: number } = {}): Promise<Database> {
  const image = options.seeded === false ? "empty" : "seeded";
  if (process.env.XQ_TEST_DB === "postgres") {
    const { adminUrl, prefix } = inject("postgresRun");
    const name = `${prefix}_f${randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${prefix}_${image}"`);
    const database = await openDatabase({
      url: databaseUrl(adminUrl, name),
      maxConnections: options.maxConnections ?? 60,
    });
    return {
      ...database,
      async close() {
        await database.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const bytes = fs.readFileSync(path.join(inject("pgliteImages"), `${image}.tar.gz`));
  return openDatabase({ loadDataDir: new Blob([bytes], { type: "application/x-gzip" }) });
}
