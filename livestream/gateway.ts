import type http from "node:http";
import { createRequire } from "node:module";
import { Server } from "socket.io";
import type { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Db } from "../db/client";
import type { Actor } from "../app/domain/accounts/actor";
import type { Auth } from "../app/domain/accounts/auth.server";
import { actorFromCookie } from "../app/domain/accounts/session.server";
import { isCrossSiteWrite } from "../app/lib/same-origin.server";
import type { Logger } from "../app/lib/log.server";
import { attachChat } from "./chat";
import type { BrowserIngest } from "./ingest/browser";
import { attachOrderBoard, type OrderBoardClientEvents, type OrderBoardServerEvents } from "./order-board";
import type { RedisClient } from "./redis";
import {
  attachViewerCounts,
  type ViewerClientEvents,
  type ViewerInterServerEvents,
  type ViewerServerEvents,
} from "./viewers";

export interface GatewayDeps {
  db: Db;
  auth: Auth;
  log: Logger;
  /**
   * With REDIS_URL: rooms, broadcasts and connection state recovery are shared by every process
   * on the same Redis (and prefix) through the Redis Streams adapter. Without: this process only.
   */
  redis?: { client: RedisClient; prefix: string };
  /** Going live from the go-live page's camera: the `/publish` namespace (docs/decisions/024). */
  browserIngest?: BrowserIngest;
  /** How often listening sockets' sessions are checked again (30 s). */
  revalidateMs?: number;
  /**
   * WebSocket only, no long-polling: for the workers of a cluster, where a polling client's next
   * request may reach another worker, which does not know its session (docs/decisions/028).
   */
  websocketOnly?: boolean;
}

/** Each feature adds its events here (viewer counts, the order board; the chat types its own). */
export type ClientToServerEvents = ViewerClientEvents & OrderBoardClientEvents;
export type ServerToClientEvents = ViewerServerEvents & OrderBoardServerEvents;
/** What the processes behind one Redis ask each other (serverSideEmit). */
export type InterServerEvents = ViewerInterServerEvents;

interface SocketData {
  actor: Actor;
}

/** Loaded only with Redis: a single process never holds the adapter (docs/decisions/034). */
const redisStreamsAdapter = () =>
  (createRequire(import.meta.url)("@socket.io/redis-streams-adapter") as { createAdapter: typeof createAdapter })
    .createAdapter;

/**
 * socket.io on the site's own HTTP server. The handshake carries the session cookie; the same
 * function as the HTTP side turns it into an actor, so both agree on who is asking.
 */
export function attachGateway(httpServer: http.Server, deps: GatewayDeps) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    serveClient: false,
    ...(deps.websocketOnly ? { transports: ["websocket" as const] } : {}),
    // The handshake is refused from another site (another port of this host included), by the same
    // rule as the HTTP writes: a page elsewhere cannot open a socket with the visitor's cookie.
    allowRequest: (req, callback) => callback(null, !isCrossSiteWrite("POST", req.headers)),
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    adapter: deps.redis
      ? redisStreamsAdapter()(deps.redis.client, {
          streamName: `${deps.redis.prefix}:socket.io`,
          channelPrefix: `${deps.redis.prefix}:socket.io`,
          sessionKeyPrefix: `${deps.redis.prefix}:sio:session:`,
        })
      : undefined,
  });
  io.use(async (socket, next) => {
    try {
      const { actor } = await actorFromCookie(deps.db, deps.auth, socket.handshake.headers.cookie);
      socket.data.actor = actor;
      // Every event is a write or a read as this actor: the session is checked again each time, so a
      // socket opened before logging out or before a role was revoked cannot act on it afterwards.
      socket.use((_packet, nextEvent) => {
        void (async () => {
          const current = await actorFromCookie(deps.db, deps.auth, socket.handshake.headers.cookie);
          if (!sameIdentity(socket.data.actor, current.actor)) {
            socket.disconnect(true);
            return;
          }
          socket.data.actor = current.actor;
          nextEvent();
        })().catch((error: unknown) => nextEvent(error instanceof Error ? error : new Error(String(error))));
      });
      next();
    } catch (error) {
      deps.log.error({ err: error }, "socket handshake failed");
      next(new Error("handshake failed"));
    }
  });
  // And on an interval for sockets that only listen: ended sessions and changed roles are dropped.
  const sweep = setInterval(() => {
    void (async () => {
      for (const socket of await io.local.fetchSockets()) {
        if (!socket.data.actor) continue;
        const current = await actorFromCookie(deps.db, deps.auth, socket.handshake.headers.cookie);
        if (!sameIdentity(socket.data.actor, current.actor)) socket.disconnect(true);
      }
    })().catch((error: unknown) => deps.log.warn({ err: error }, "socket session sweep failed"));
  }, deps.revalidateMs ?? 30_000);
  sweep.unref();
  io.engine.on("close", () => clearInterval(sweep));
  httpServer.on("close", () => clearInterval(sweep));
  attachViewerCounts(io, { cluster: Boolean(deps.redis), log: deps.log });
  attachChat(io, deps);
  deps.browserIngest?.attach(io);
  const stopOrderBoard = attachOrderBoard(io);
  httpServer.on("close", stopOrderBoard);
  return io;
}

/** Whether a re-read session is still the same person with the same roles and memberships. */
function sameIdentity(before: Actor, after: Actor): boolean {
  if (!before || !after) return before === after;
  const key = (a: NonNullable<Actor>) =>
    JSON.stringify([a.userId, [...a.roles].sort(), a.memberships.map((m) => `${m.businessId}:${m.role}`).sort()]);
  return key(before) === key(after);
}
