import type { Db } from "../../../db/client";
import { clockNow } from "../../lib/clock.server";
import type { Logger } from "../../lib/log.server";
import { escalateDueDisputes } from "./disputes.server";

/**
 * Moves overdue disputes up a level once a minute, so a dispute nobody handles does not sit at
 * the grid. Rows are locked and the move is idempotent, so several processes may run this at once.
 */
export function startDisputeSchedule(db: Db, log: Logger, everyMs = 60_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    escalateDueDisputes(db, clockNow())
      .catch((err: unknown) => log.error({ err }, "dispute schedule: escalation failed"))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
