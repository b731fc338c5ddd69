import pino from "pino";

/** Structured JSON lines on stdout: one object per event, with the request id where there is one and the process id. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info") {
  return pino({
    level,
    base: { app: "xinquan", pid: process.pid }, // the pid tells the workers of a cluster apart
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

export type Logger = ReturnType<typeof createLogger>;
