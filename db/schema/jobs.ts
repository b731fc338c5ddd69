import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at } from "./columns";

/**
 * One row per background job (settling votes, escalating disputes, cleaning roster uploads…):
 * which process runs it now, and what its last run and its last run that changed something did.
 * Kept in the database so /admin shows it after a restart, whichever process ran the job; the
 * claim on `running_since` keeps two processes from running the same job at once.
 */
export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  /** Set while a process runs the job; a claim older than the lease is taken over. */
  runningSince: at("running_since"),
  runningBy: text("running_by"),
  lastStartedAt: at("last_started_at"),
  lastFinishedAt: at("last_finished_at"),
  /** "ok" or "failed". */
  lastOutcome: text("last_outcome", { enum: ["ok", "failed"] }),
  /** How many things the last run changed, and per kind. */
  lastChanged: integer("last_changed"),
  lastDetail: jsonb("last_detail").$type<Record<string, number>>(),
  lastError: text("last_error"),
  lastFailedAt: at("last_failed_at"),
  /** The last run that changed anything, so "nothing to do" runs do not hide it. */
  lastChangeAt: at("last_change_at"),
  lastChangeCount: integer("last_change_count"),
  lastChangeDetail: jsonb("last_change_detail").$type<Record<string, number>>(),
  runs: integer("runs").notNull().default(0),
  failures: integer("failures").notNull().default(0),
});
