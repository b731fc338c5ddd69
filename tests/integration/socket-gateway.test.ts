import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { Database } from "../../db/client";
import { registerUser } from "~/domain/accounts/accounts.server";
import { createAuth } from "~/domain/accounts/auth.server";
import { grantRole, revokeRole } from "~/domain/accounts/roles.server";
import { registerSchema } from "~/domain/accounts/schemas";
import { loadUser } from "~/domain/accounts/accounts.server";
import { createLogger } from "~/lib/log.server";
import { DEMO_USERS } from "../../db/seed/demo";
import { users } from "../../db/schema";
import { eq } from "drizzle-orm";
import { attachGateway } from "../../livestream/gateway";
import { openTestDatabase } from "../helpers/db";
import { closeServer, listenLocally } from "../helpers/server";

/** Issue 17, item 5: the socket handshake checks Origin, and a socket's identity follows its session. */
let database: Database;
let server: http.Server;
let url: string;
let auth: ReturnType<typeof createAuth>;
const sockets: Socket[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  auth = createAuth(database.db, { secure: false });
  server = http.createServer();
  attachGateway(server, { db: database.db, auth, log: createLogger("silent"), revalidateMs: 200 });
  url = await listenLocally(server);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await closeServer(server);
  await database?.close();
});

async function signedIn(phone: string) {
  const input = registerSchema.parse({ phone, displayName: "套接字", password: "correct horse" });
  const { userId } = await registerUser(database.db, input, "zh-CN");
  const session = await auth.createSession(userId, {});
  return { userId, sessionId: session.id, cookie: auth.createSessionCookie(session.id).serialize().split(";")[0] };
}

function open(headers: Record<string, string>): Promise<Socket> {
  const socket = connect(url, { extraHeaders: headers, transports: ["websocket"], reconnection: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}
const disconnected = (socket: Socket) =>
  new Promise<string>((resolve) => (socket.connected ? socket.once("disconnect", resolve) : resolve("already")));

describe("the socket gateway", () => {
  it("refuses a handshake from another origin, another port of the same host included", async () => {
    const { cookie } = await signedIn("13500000001");
    const otherPort = `http://127.0.0.1:${Number(new URL(url).port) + 1}`;
    await expect(open({ cookie, origin: otherPort })).rejects.toBeTruthy();
    await expect(open({ cookie, origin: "https://evil.example" })).rejects.toBeTruthy();
    const own = await open({ cookie, origin: url });
    expect(own.connected).toBe(true);
  });

  it("drops a socket whose session ended at logout, on its next write", async () => {
    const { cookie, sessionId } = await signedIn("13500000002");
    const socket = await open({ cookie, origin: url });
    const gone = disconnected(socket);
    await auth.invalidateSession(sessionId);
    socket.emit("chat:send", { publicId: "nope", body: "还在吗" }, () => {});
    expect(await gone).toBe("io server disconnect");
  });

  it("drops a listening socket when a role is revoked", async () => {
    const admin = await loadUser(
      database.db,
      (await database.db.select().from(users).where(eq(users.phone, DEMO_USERS.admin.phone)))[0].id,
    );
    const { cookie, userId } = await signedIn("13500000003");
    await grantRole(database.db, admin, "13500000003", "mediator");
    const socket = await open({ cookie, origin: url });
    const gone = disconnected(socket);
    await revokeRole(database.db, admin, userId, "mediator");
    expect(await gone).toBe("io server disconnect");
  });
});
