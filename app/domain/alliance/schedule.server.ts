import type { Db } from "../../../db/client";
import { clockNow } from "../../lib/clock.server";
import type { Logger } from "../../lib/log.server";
import { settleDueElections } from "./elections.server";
import { settleDueProposals } from "./proposals.server";

/**
 * Closes due proposals and counts due elections once a minute, so proposers and candidates are
 * told even when nobody opens the page. Reading closes them too; both paths lock the row and are
 * idempotent, so several processes may run this at once.
 */
export function startAllianceSchedule(db: Db, log: Logger, everyMs = 60_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = clockNow();
    settleDueProposals(db, now)
      .then(() => settleDueElections(db, now))
      .catch((err: unknown) => log.error({ err }, "alliance schedule: settling failed"))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
