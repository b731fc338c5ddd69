import { settleDueElections } from "../alliance/elections.server";
import { settleDueProposals } from "../alliance/proposals.server";
import { escalateDueDisputes } from "../disputes/disputes.server";
import { expireReservations } from "../market/orders.server";
import { purgeRosterUploads } from "../roster/roster.server";
import { interruptSilentStreams } from "../studio/bookings.server";
import type { Db } from "../../../db/client";
import type { Job } from "./runner.server";

const MINUTE = 60_000;

/** A job that changes things of one kind: it reports how many, and the same count under `noun` in its detail. */
const counting = (name: string, everyMs: number, noun: string, run: (db: Db, now: Date) => Promise<number>): Job => ({
  name,
  everyMs,
  run: async (db, now) => {
    const changed = await run(db, now);
    return { changed, detail: { [noun]: changed } };
  },
});

/**
 * Every background job of the site, run by the one scheduler in the server process (server.ts,
 * startJobRunner). Each is idempotent and locks what it changes, so a page that settles the same
 * thing on reading (an election page) and the job never count twice. Add a job here and a name
 * for it under admin.jobs.names in the messages; /admin lists them in this order.
 */
export const backgroundJobs: readonly Job[] = [
  counting("settleProposals", MINUTE, "proposals", settleDueProposals),
  counting("settleElections", MINUTE, "elections", settleDueElections),
  counting("escalateDisputes", MINUTE, "disputes", escalateDueDisputes),
  counting("expireReservations", MINUTE, "reservations", async (db, now) => (await expireReservations(db, now)).length),
  // A dead ingest process says nothing: its live shows are found by their silence (docs/decisions/023).
  counting(
    "interruptSilentStreams",
    15_000,
    "streams",
    async (db, now) => (await interruptSilentStreams(db, now)).length,
  ),
  counting("purgeRosterUploads", 60 * MINUTE, "uploads", purgeRosterUploads),
];
