import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Logger } from "./app/lib/log.server";

/**
 * Several processes on one port (README: "Several processes"): with XQ_WORKERS above 1 the
 * process started becomes a supervisor that forks that many workers (node:cluster; the primary
 * accepts connections and hands each to a worker in turn, so a keep-alive connection stays with
 * one worker). Each worker is the whole server.ts. Worker 1 also runs what must run once: the
 * background jobs and the ingest's nginx; the others follow the ingest (docs/decisions/028).
 *
 * It needs a Postgres server (PGlite is one process's files) and Redis (socket.io rooms span the
 * workers); socket.io then speaks WebSocket only, since a long-polling client's requests would
 * land on any worker.
 */
export function workersWanted(value: string | undefined): number {
  if (!value) return 1;
  if (value === "auto") return Math.max(1, os.availableParallelism());
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`XQ_WORKERS must be "auto" or 1 to 64, not "${value}"`);
  return n;
}

/** This process's place: the one process, or a worker of a cluster (1 = the one that runs jobs). */
export function workerRole(): { clustered: boolean; index: number; leader: boolean; ingestToken?: string } {
  if (!cluster.isWorker) return { clustered: false, index: 1, leader: true };
  const index = Number(process.env.XQ_WORKER_INDEX ?? 1);
  return { clustered: true, index, leader: index === 1, ingestToken: process.env.XQ_INGEST_TOKEN };
}

/**
 * Forks `count` workers and keeps them: a worker that dies is forked again with the same index
 * (after a pause that grows while they keep dying). SIGTERM or SIGINT stop them all; resolves
 * with the exit code once they have stopped.
 */
export function superviseWorkers(count: number, log: Logger): Promise<number> {
  const ingestToken = randomBytes(24).toString("hex");
  const indexOf = new Map<Worker, number>();
  let stopping = false;
  let delay = 500;
  const fork = (index: number) => {
    const worker = cluster.fork({ XQ_WORKER_INDEX: String(index), XQ_INGEST_TOKEN: ingestToken });
    indexOf.set(worker, index);
  };
  for (let index = 1; index <= count; index++) fork(index);
  log.info({ workers: count, pid: process.pid }, "started the workers");
  return new Promise((resolve) => {
    cluster.on("exit", (worker, code, signal) => {
      const index = indexOf.get(worker) ?? 1;
      indexOf.delete(worker);
      if (stopping) {
        if (indexOf.size === 0) resolve(0);
        return;
      }
      log.error({ index, code, signal }, "a worker died; starting it again");
      setTimeout(() => fork(index), delay);
      delay = Math.min(delay * 2, 30_000);
    });
    cluster.on("listening", () => {
      delay = 500;
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping the workers");
      for (const worker of indexOf.keys()) worker.process.kill("SIGTERM");
      if (indexOf.size === 0) resolve(0);
      setTimeout(() => resolve(1), 15_000).unref();
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });
}
