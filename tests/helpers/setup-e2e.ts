import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDistrict } from "../../db/seed";
import { chromiumPath } from "./browser";

/**
 * Browser tests run the production build (built here, so they test the code as it is now)
 * against copies of one seeded PGlite data folder.
 */
export default async function setup(project: TestProject) {
  const browser = fs.existsSync(chromiumPath);
  if (!browser) {
    if (process.env.CI) throw new Error(`Browser tests need Chromium at ${chromiumPath}; under CI nothing is skipped.`);
    console.warn(`Skipping browser tests: no Chromium at ${chromiumPath} (apt-get install chromium).`);
  }
  if (!process.env.XQ_E2E_SKIP_BUILD) {
    // NODE_ENV is "test" inside vitest; a build made with it would bundle React's development files.
    execFileSync("npx", ["remix", "vite:build"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "xq-e2e-"));
  const seededDataDir = path.join(root, "pglite");
  const database = await openDatabase({ dataDir: seededDataDir });
  await migrateDatabase(database);
  await seedDistrict(database.db);
  await database.close();
  project.provide("e2e", { seededDataDir, browser });
  return () => fs.rmSync(root, { recursive: true, force: true });
}
