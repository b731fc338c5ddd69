import type { Db } from "../../db/client";
import { backgroundJobs } from "~/domain/jobs/jobs.server";
import { startJobRunner } from "~/domain/jobs/runner.server";
import { createLogger } from "~/lib/log.server";

/**
 * `work` while the server's background jobs run on `db` as the server runs them (nobody opens a
 * page), a tick every `tickMs`; the runner is stopped after, whatever `work` did.
 */
export async function whileJobsRun(db: Db, work: () => Promise<unknown>, tickMs = 10) {
  const { stop } = startJobRunner(db, createLogger("silent"), backgroundJobs, { tickMs });
  try {
    await work();
  } finally {
    await stop();
  }
}
