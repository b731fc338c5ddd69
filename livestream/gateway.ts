import type http from "node:http";
import { Server } from "socket.io";
import type { Db } from "../db/client";
import type { Actor } from "../app/domain/accounts/actor";
import type { Auth } from "../app/domain/accounts/auth.server";
import { actorFromCookie } from "../app/domain/accounts/session.server";
import type { Logger } from "../app/lib/log.server";
import { attachViewerCounts, type ViewerClientEvents, type ViewerServerEvents } from "./viewers";

export interface GatewayDeps {
  db: Db;
  auth: Auth;
  log: Logger;
}

/** Each feature adds its events here (viewer counts now; chat later). */
export type ClientToServerEvents = ViewerClientEvents;
export type ServerToClientEvents = ViewerServerEvents;

interface SocketData {
  actor: Actor;
}

/**
 * socket.io on the site's own HTTP server. The handshake carries the session cookie; the same
 * function as the HTTP side turns it into an actor, so both agree on who is asking.
 */
export function attachGateway(httpServer: http.Server, deps: GatewayDeps) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
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
  attachViewerCounts(io);
  return io;
}
