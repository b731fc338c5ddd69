import http from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "../../db/client";
import type { User } from "~/domain/accounts/actor";
import { createLogger } from "~/lib/log.server";
import { attachChat } from "../../livestream/chat";
import { closeServer, listenLocally } from "./server";

/**
 * The live chat on a socket.io server of the test's own, started in beforeAll and stopped in
 * afterAll. It stands in for the gateway's cookie handshake: a client names its user
 * (`client("resident")`), looked up in `users()`; no name is a visitor. `now.at` is the chat's
 * clock.
 */
export function useChatServer(options: {
  db: () => Db;
  users: () => Record<string, User>;
  io?: Partial<ServerOptions>;
}) {
  let server: http.Server | undefined;
  let url = "";
  const now = { at: new Date() };
  const sockets: Socket[] = [];
  beforeAll(async () => {
    const started = http.createServer();
    server = started;
    const io = new Server(started, options.io);
    const users = options.users();
    io.use((socket, next) => {
      socket.data.actor = users[String(socket.handshake.auth.user)] ?? null;
      next();
    });
    attachChat(io, { db: options.db(), log: createLogger("silent"), now: () => now.at });
    url = await listenLocally(started);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await closeServer(server);
  });

  /** A connected client, as `user` (a key of `users()`), in `locale` when given. */
  const client = async (user?: string, locale?: string) => {
    const socket = connect(url, {
      auth: user ? { user } : {},
      extraHeaders: locale ? { cookie: `xq_locale=${locale}` } : {},
      transports: ["websocket"],
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  };
  return { now, client, url: () => url };
}
