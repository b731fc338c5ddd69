import { createHash } from "node:crypto";
import type { RedisClient } from "../redis";

/**
 * The one-time tickets a browser go-live's ffmpeg publishes with (docs/decisions/024). The process
 * that starts ffmpeg issues the ticket; nginx-rtmp's `on_publish` callback asks whichever process
 * it reaches to take it. In one process that is the same process; in a cluster (XQ_WORKERS) nginx
 * calls back through the shared port, so any worker may be asked, and the tickets live in Redis.
 *
 * A ticket is kept under its show and its hash (never the ticket itself): taking it deletes it, so
 * it is good once; a wrong key leaves the show's real ticket in place; it lapses after its TTL.
 */
export interface PublishTickets {
  put(publicId: string, ticket: string, ttlMs: number): Promise<void>;
  /** Whether `key` is a live ticket of `publicId`'s; a ticket taken is used up. */
  take(publicId: string, key: string): Promise<boolean>;
  /** Forgets a ticket (its ffmpeg has exited). */
  drop(publicId: string, ticket: string): Promise<void>;
}

const slot = (publicId: string, ticket: string) =>
  `${publicId}:${createHash("sha256").update(ticket).digest("base64url")}`;

/** Tickets in this process's memory. */
export function localTickets(now: () => number = Date.now): PublishTickets {
  const expiries = new Map<string, number>();
  return {
    put: (publicId, ticket, ttlMs) => {
      for (const [key, expires] of expiries) if (expires < now()) expiries.delete(key);
      expiries.set(slot(publicId, ticket), now() + ttlMs);
      return Promise.resolve();
    },
    take: (publicId, key) => {
      const at = slot(publicId, key);
      const expires = expiries.get(at);
      expiries.delete(at);
      return Promise.resolve(expires !== undefined && now() <= expires);
    },
    drop: (publicId, ticket) => {
      expiries.delete(slot(publicId, ticket));
      return Promise.resolve();
    },
  };
}

/** Tickets in Redis, shared by every process with the same prefix. */
export function redisTickets(client: RedisClient, prefix: string): PublishTickets {
  const key = (publicId: string, ticket: string) => `${prefix}:publish-ticket:${slot(publicId, ticket)}`;
  return {
    put: async (publicId, ticket, ttlMs) => {
      await client.set(key(publicId, ticket), "1", { PX: ttlMs });
    },
    // DEL answers 1 to one caller only: two callbacks with the same ticket cannot both win.
    take: async (publicId, candidate) => (await client.del(key(publicId, candidate))) === 1,
    drop: async (publicId, ticket) => {
      await client.del(key(publicId, ticket));
    },
  };
}
