import type { createClient } from "redis";
import type { Logger } from "../app/lib/log.server";

export type RedisClient = ReturnType<typeof createClient>;

/** The URL as it may appear in a log: without its password. */
export function redactedRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

/**
 * Connects to Redis for the socket.io adapter (REDIS_URL). The first connection is tried a few
 * times and then fails loudly: a process that silently fell back to its own memory would show
 * its own viewers only and miss what the other processes broadcast. Once up, a lost connection
 * is retried for ever (capped back-off), with one log line per distinct error and one when it is
 * back.
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  const where = redactedRedisUrl(url);
  let connected = false;
  let lastError = "";
  // Loaded only with REDIS_URL: a single process never holds the client library (docs/decisions/034).
  const { createClient } = await import("redis");
  const client = createClient({
    url,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries, cause) => {
        if (!connected && retries >= 3) return new Error(`could not connect to Redis at ${where}: ${cause.message}`);
        return Math.min(100 * 2 ** retries, 5_000);
      },
    },
  });
  client.on("error", (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    log.error(
      { err, redis: where },
      "Redis connection error: messages between socket.io processes wait until it is back",
    );
  });
  client.on("ready", () => {
    if (connected && lastError) log.info({ redis: where }, "Redis connection restored");
    lastError = "";
  });
  await client.connect();
  connected = true;
  return client;
}
