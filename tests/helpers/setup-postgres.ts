import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDistrict } from "../../db/seed";
import { databaseUrl } from "./postgres-url";

/**
 * Makes two template databases for this run on the Postgres server (migrated, and migrated and
 * seeded); each test file copies one. Everything this run made is dropped at the end, so what an
 * earlier run left behind never matters.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const prefix = `xq_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  for (const [name, seed] of [
    [`${prefix}_empty`, false],
    [`${prefix}_seeded`, true],
  ] as const) {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const database = await openDatabase({ url: databaseUrl(adminUrl, name), maxConnections: 2 });
    await migrateDatabase(database);
    if (seed) await seedDistrict(database.db);
    await database.close();
  }
  await admin.end();
  project.provide("postgresRun", { adminUrl, prefix });
  return async () => {
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const leftovers = await cleanup<
      { datname: string }[]
    >`select datname from pg_database where datname like ${prefix + "%"}`;
    for (const { datname } of leftovers) {
      await cleanup.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await cleanup.end();
  };
}
