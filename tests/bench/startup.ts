import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDistrict } from "../../db/seed";
import { freePort, productionEnv, startFlags, stopProcess } from "../helpers/app";
import { restingRssMb } from "./pages";

/** Milliseconds from spawning the production server (build/server/server.js, as `npm start`) to the first 200 on `/`. */
async function timeToFirstPage(dataDir: string): Promise<{ ms: number; soon: number; atRest: number }> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, [...startFlags, "build/server/server.js"], {
    env: { ...productionEnv(port, dataDir), DATABASE_URL: "" },
    stdio: "ignore",
  });
  let ms = Number.NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.ok) {
        await response.text();
        ms = performance.now() - began;
        break;
      }
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  // Memory 3 s and 20 s after the first page, nothing else asked (./pages.ts, restingRssMb).
  const { soon, atRest } = await restingRssMb(child.pid!);
  await stopProcess(child);
  return { ms, soon, atRest };
}

export async function benchStartup() {
  if (!fs.existsSync("build/server/server.js")) throw new Error("run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-bench-start-"));
  const first = await timeToFirstPage(dataDir);
  const later = [];
  for (let i = 0; i < 3; i++) later.push(await timeToFirstPage(dataDir));
  fs.rmSync(dataDir, { recursive: true, force: true });

  const seedRuns = [];
  for (let i = 0; i < 3; i++) {
    const database = await openDatabase({});
    await migrateDatabase(database);
    const began = performance.now();
    await seedDistrict(database.db);
    seedRuns.push(performance.now() - began);
    await database.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    "first start to first page (new database, migrate, seed), ms": Math.round(first.ms),
    "later start to first page, ms (median of 3)": Math.round(median(later.map((l) => l.ms))),
    "seed on PGlite, ms (median of 3)": Math.round(median(seedRuns)),
    "resident memory at rest (20 s after the first page) after first start, MB": Math.round(first.atRest),
    "resident memory at rest (20 s after the first page) after later start, MB": Math.round(
      median(later.map((l) => l.atRest)),
    ),
    "resident memory 3 s after the first page, first start / later start, MB": `${Math.round(first.soon)} / ${Math.round(median(later.map((l) => l.soon)))}`,
  };
}
