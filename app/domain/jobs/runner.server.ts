import { randomBytes } from "node:crypto";
import os from "node:os";
import { and, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { jobRuns } from "../../../db/schema";
import { clockNow } from "../../lib/clock.server";
import type { Logger } from "../../lib/log.server";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";

/** What one run of a job did: how many things it changed, and how many of each kind. */
export interface JobResult {
  changed: number;
  detail?: Record<string, number>;
}

export interface Job {
  /** Stable: the key of its row in job_runs and of its name in the messages (admin.jobs.names.*). */
  name: string;
  /** At most one run per this many milliseconds, across all processes. */
  everyMs: number;
  run: (db: Db, now: Date) => Promise<JobResult>;
}

/** A claim older than this is taken to belong to a process that died mid-run. */
const defaultLeaseMs = 15 * 60_000;

/** Who runs a job, as written in job_runs.running_by: host, pid and a random tag per runner. */
const runnerId = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * Claims a job for this runner if it is due and nobody else runs it. One UPDATE with the
 * conditions in its WHERE: Postgres locks the row, so when two processes try at once exactly one
 * gets it back. "Due" is the job's interval since its last start in any process; a last start in
 * the future (the test clock moved back) counts as due too.
 */
async function claim(db: Db, job: Job, runner: string, now: Date, leaseMs: number): Promise<boolean> {
  await db.insert(jobRuns).values({ name: job.name }).onConflictDoNothing();
  const claimed = await db
    .update(jobRuns)
    .set({ runningSince: now, runningBy: runner, lastStartedAt: now })
    .where(
      and(
        eq(jobRuns.name, job.name),
        or(isNull(jobRuns.runningSince), lt(jobRuns.runningSince, new Date(now.getTime() - leaseMs))),
        or(
          isNull(jobRuns.lastStartedAt),
          lte(jobRuns.lastStartedAt, new Date(now.getTime() - job.everyMs)),
          gt(jobRuns.lastStartedAt, now),
        ),
      ),
    )
    .returning({ name: jobRuns.name });
  return claimed.length > 0;
}

/** What every finished run writes, done or failed: the lease let go, the run counted. */
const released = (finishedAt: Date) => ({
  runningSince: null,
  runningBy: null,
  lastFinishedAt: finishedAt,
  runs: sql`${jobRuns.runs} + 1`,
});

/**
 * Runs one job if it is due and unclaimed, records what it did (or its error) in job_runs and
 * the log, and releases the claim. Returns the result, or undefined when it did not run.
 */
export async function runJobIfDue(
  db: Db,
  log: Logger,
  job: Job,
  options: { runner?: string; now?: Date; leaseMs?: number } = {},
): Promise<JobResult | undefined> {
  const runner = options.runner ?? runnerId();
  const now = options.now ?? clockNow();
  if (!(await claim(db, job, runner, now, options.leaseMs ?? defaultLeaseMs))) return undefined;
  const began = performance.now();
  const mine = and(eq(jobRuns.name, job.name), eq(jobRuns.runningBy, runner));
  try {
    const result = await job.run(db, now);
    const finishedAt = clockNow();
    const detail = result.detail ?? {};
    await db
      .update(jobRuns)
      .set({
        ...released(finishedAt),
        lastOutcome: "ok",
        lastChanged: result.changed,
        lastDetail: detail,
        ...(result.changed > 0
          ? { lastChangeAt: finishedAt, lastChangeCount: result.changed, lastChangeDetail: detail }
          : {}),
      })
      .where(mine);
    const ms = Math.round(performance.now() - began);
    if (result.changed > 0) log.info({ job: job.name, changed: result.changed, detail, ms }, `job ${job.name} done`);
    else log.debug({ job: job.name, ms }, `job ${job.name}: nothing to do`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error, job: job.name }, `job ${job.name} failed`);
    const finishedAt = clockNow();
    await db
      .update(jobRuns)
      .set({
        ...released(finishedAt),
        lastOutcome: "failed",
        lastChanged: null,
        lastDetail: null,
        lastError: message.slice(0, 500),
        lastFailedAt: finishedAt,
        failures: sql`${jobRuns.failures} + 1`,
      })
      .where(mine)
      .catch((err: unknown) => log.error({ err, job: job.name }, `job ${job.name}: recording the failure failed`));
    return { changed: 0 };
  }
}

export interface JobRunner {
  /** Runs every due job once, one after the other (what each tick does). */
  tick: () => Promise<void>;
  /** Stops ticking and waits for a job that is running to finish. */
  stop: () => Promise<void>;
}

/**
 * The one scheduler of the server process: every `tickMs` it runs each due job in turn. Several
 * processes may run a runner on the same database; each job still runs at most once per interval
 * and never twice at the same time (see `claim`).
 */
export function startJobRunner(
  db: Db,
  log: Logger,
  jobs: readonly Job[],
  options: { tickMs?: number; leaseMs?: number; clock?: () => Date } = {},
): JobRunner {
  const runner = runnerId();
  const clock = options.clock ?? clockNow;
  let current: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    for (const job of jobs) {
      if (stopped) return;
      try {
        await runJobIfDue(db, log, job, { runner, now: clock(), leaseMs: options.leaseMs });
      } catch (error) {
        // Claiming or recording failed (the database is away): say so and try again next tick.
        log.error({ err: error, job: job.name }, `job ${job.name}: could not be claimed`);
      }
    }
  };
  const onTick = () => {
    if (current || stopped) return;
    current = tick().finally(() => {
      current = undefined;
    });
  };
  const timer = setInterval(onTick, options.tickMs ?? 10_000);
  timer.unref();
  // The first round soon after start, not a whole tick later.
  const first = setTimeout(onTick, 1_000);
  first.unref();
  return {
    tick: () => (current ??= tick().finally(() => (current = undefined))),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await current;
    },
  };
}

/** What /admin shows: each job's last run, its last change and its last error. */
export async function jobStatuses(db: Db, actor: Actor, jobs: readonly Job[]) {
  assertCan(actor, { action: "audit.read" });
  const rows = await db.select().from(jobRuns);
  const byName = new Map(rows.map((r) => [r.name, r]));
  return jobs.map((job) => {
    const row = byName.get(job.name);
    return {
      name: job.name,
      everyMinutes: Math.max(1, Math.round(job.everyMs / 60_000)),
      running: !!row?.runningSince,
      lastStartedAt: row?.lastStartedAt ?? null,
      lastFinishedAt: row?.lastFinishedAt ?? null,
      lastOutcome: row?.lastOutcome ?? null,
      lastChanged: row?.lastChanged ?? null,
      lastDetail: row?.lastDetail ?? null,
      lastError: row?.lastError ?? null,
      lastFailedAt: row?.lastFailedAt ?? null,
      lastChangeAt: row?.lastChangeAt ?? null,
      lastChangeCount: row?.lastChangeCount ?? null,
      lastChangeDetail: row?.lastChangeDetail ?? null,
      runs: row?.runs ?? 0,
      failures: row?.failures ?? 0,
    };
  });
}
