import type http from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Db } from "../db/client";
import type { Actor } from "../app/domain/accounts/actor";
import type { Auth } from "../app/domain/accounts/auth.server";
import { actorFromCookie } from "../app/domain/accounts/session.server";
import type { Logger } from "../app/lib/log.server";
import { attachChat } from "./chat";
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
}

/** Each feature adds its events here (viewer counts now; chat later). */
export type ClientToServerEvents = ViewerClientEvents;
export type ServerToClientEvents = ViewerServerEvents;
/** What the processes behind one Redis ask each other (serverSideEmit). */
export type InterServerEvents = ViewerInterServerEvents;

interface SocketData {
  actor: Actor;
}

/**
 * socket.io on the site's own HTTP server. The handshake carries the session cookie; the same
 * function as the HTTP side turns it into an actor, so both agree on who is asking.
 */
export function attachGateway(httpServer: http.Server, deps: GatewayDeps) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    adapter: deps.redis
      ? createAdapter(deps.redis.client, {
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
      next();
    } catch (error) {
      deps.log.error({ err: error }, "socket handshake failed");
      next(new Error("handshake failed"));
    }
  });
  attachViewerCounts(io, { cluster: Boolean(deps.redis), log: deps.log });
  attachChat(io, deps);
  return io;
}
