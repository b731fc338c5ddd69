import { settleDueElections } from "../alliance/elections.server";
import { settleDueProposals } from "../alliance/proposals.server";
import { escalateDueDisputes } from "../disputes/disputes.server";
import { expireReservations } from "../market/orders.server";
import { purgeRosterUploads } from "../roster/roster.server";
import { interruptSilentStreams } from "../studio/bookings.server";
import type { Job } from "./runner.server";

const MINUTE = 60_000;

/**
 * Every background job of the site, run by the one scheduler in the server process (server.ts,
 * startJobRunner). Each is idempotent and locks what it changes, so a page that settles the same
 * thing on reading (an election page) and the job never count twice. Add a job here and a name
 * for it under admin.jobs.names in the messages; /admin lists them in this order.
 */
export const backgroundJobs: readonly Job[] = [
  {
    name: "settleProposals",
    everyMs: MINUTE,
    run: async (db, now) => {
      const settled = await settleDueProposals(db, now);
      return { changed: settled, detail: { proposals: settled } };
    },
  },
  {
    name: "settleElections",
    everyMs: MINUTE,
    run: async (db, now) => {
      const counted = await settleDueElections(db, now);
      return { changed: counted, detail: { elections: counted } };
    },
  },
  {
    name: "escalateDisputes",
    everyMs: MINUTE,
    run: async (db, now) => {
      const moved = await escalateDueDisputes(db, now);
      return { changed: moved, detail: { disputes: moved } };
    },
  },
  {
    name: "expireReservations",
    everyMs: MINUTE,
    run: async (db, now) => {
      const ended = await expireReservations(db, now);
      return { changed: ended.length, detail: { reservations: ended.length } };
    },
  },
  {
    // A dead ingest process says nothing: its live shows are found by their silence (docs/decisions/023).
    name: "interruptSilentStreams",
    everyMs: 15_000,
    run: async (db, now) => {
      const streams = await interruptSilentStreams(db, now);
      return { changed: streams.length, detail: { streams: streams.length } };
    },
  },
  {
    name: "purgeRosterUploads",
    everyMs: 60 * MINUTE,
    run: async (db, now) => {
      const purged = await purgeRosterUploads(db, now);
      return { changed: purged, detail: { uploads: purged } };
    },
  },
];
