import type { Server, Socket } from "socket.io";
import type { Actor } from "../app/domain/accounts/actor";
import { mayWatchOrders, onNewOrder, type NewOrderEvent } from "../app/domain/market/order-events.server";

/** What the merchant's order board sends: "tell me of this business's new orders". */
export interface OrderBoardClientEvents {
  "orders:watch": (businessId: number, ack?: (answer: { ok: boolean }) => void) => void;
}

/** What the server sends the sockets watching a business's board. */
export interface OrderBoardServerEvents {
  "orders:new": (payload: NewOrderEvent) => void;
}

export const ordersRoom = (businessId: number) => `orders:${businessId}`;

/**
 * New orders on the gateway's sockets. A socket joins a business's room only when the domain says
 * its person may work that business's board (`mayWatchOrders`: its members and administrators);
 * anyone else is answered `{ ok: false }` and joins nothing. The gateway re-reads the session
 * before each event and drops sockets whose roles or memberships changed, so a former member
 * hears nothing more. The domain announces each order once, in the process that placed it;
 * behind Redis the room's broadcast reaches the sockets of every process.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attachOrderBoard(server: Server<any, any, any, any>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const io = server as Server<OrderBoardClientEvents, OrderBoardServerEvents, any, { actor: Actor }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  io.on("connection", (socket: Socket<OrderBoardClientEvents, OrderBoardServerEvents, any, { actor: Actor }>) => {
    socket.on("orders:watch", (businessId, ack) => {
      const allowed = typeof businessId === "number" && mayWatchOrders(socket.data.actor, businessId);
      if (allowed) void socket.join(ordersRoom(businessId));
      if (typeof ack === "function") ack({ ok: allowed });
    });
  });
  const stop = onNewOrder((event) => {
    io.to(ordersRoom(event.businessId)).emit("orders:new", { businessId: event.businessId, orderId: event.orderId });
  });
  io.engine.on("close", stop);
  return stop;
}
