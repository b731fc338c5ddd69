import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildPgliteImage } from "./images";

/** Builds the migrated and the seeded PGlite images once; every test file loads a copy. */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-pglite-"));
  const [empty, seeded] = [await buildPgliteImage(false), await buildPgliteImage(true)];
  fs.writeFileSync(path.join(dir, "empty.tar.gz"), empty);
  fs.writeFileSync(path.join(dir, "seeded.tar.gz"), seeded);
  project.provide("pgliteImages", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteImages: string;
    postgresRun: { adminUrl: string; prefix: string };
    e2e: { seededDataDir: string; browser: boolean };
  }
}
