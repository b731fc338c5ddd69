import { EventEmitter } from "node:events";
import type { Actor } from "../accounts/actor";
import { can } from "../accounts/permissions";

/** "Business `businessId` has a new order on its board": no shopper, no items, no amount. */
export interface NewOrderEvent {
  businessId: number;
  orderId: number;
}

/**
 * The process's one bus of market events. server.ts (with livestream/) and the Remix build load
 * app/domain as two separate module graphs in the same process, so the bus is kept on globalThis
 * under a registered symbol: both graphs get the same one (ADR 025). Events are announced after
 * their transaction committed, so a listener that reads the database finds the order.
 */
const key = Symbol.for("xinquan.market.order-events");
const holder = globalThis as { [key]?: EventEmitter };
const bus = (holder[key] ??= new EventEmitter().setMaxListeners(0));

/** Tells the listeners (the socket gateway) of orders that just reached their business's board. */
export function announceNewOrders(events: NewOrderEvent[]) {
  for (const event of events) bus.emit("new", { businessId: event.businessId, orderId: event.orderId });
}

/** Listens to new orders; returns the function that stops listening. */
export function onNewOrder(listener: (event: NewOrderEvent) => void): () => void {
  bus.on("new", listener);
  return () => bus.off("new", listener);
}

/** Who may hear of a business's new orders as they come: whoever may work its order board. */
export function mayWatchOrders(actor: Actor, businessId: number): boolean {
  return Number.isSafeInteger(businessId) && businessId > 0 && can(actor, { action: "product.manage", businessId });
}
