import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../../../db/client";
import { orders, stripeEvents } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { DomainError } from "../errors";
import { notify, notifyBusiness } from "../notifications/notifications.server";
import { announceNewOrders, type NewOrderEvent } from "./order-events.server";
import { releaseStock } from "./orders.server";
import type { Payments } from "./stripe.server";

/** How far an event's signed timestamp may be from now, either way (Stripe's own default, 300 s). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The `t=` timestamp of a Stripe-Signature header, in seconds, or null when it has none. */
function signedTimestamp(signature: string): number | null {
  const part = signature.split(",").find((item) => item.trim().startsWith("t="));
  const value = part ? Number(part.trim().slice(2)) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Checks the Stripe-Signature header against the raw body, and its timestamp: more than 5 minutes
 * from `now` either way is a 400. Stripe's constructEvent only refuses timestamps in the past, so an
 * event stamped in the future is refused here.
 */
export function verifyStripeEvent(
  payments: Payments,
  rawBody: string,
  signature: string | null,
  now: Date = new Date(),
): Stripe.Event {
  if (!payments.webhookSecret || !signature) throw new DomainError("market.errors.badSignature", 400);
  const timestamp = signedTimestamp(signature);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (timestamp === null || Math.abs(nowSeconds - timestamp) > WEBHOOK_TOLERANCE_SECONDS)
    throw new DomainError("market.errors.badSignature", 400);
  try {
    return payments.stripe.webhooks.constructEvent(
      rawBody,
      signature,
      payments.webhookSecret,
      WEBHOOK_TOLERANCE_SECONDS,
    );
  } catch {
    throw new DomainError("market.errors.badSignature", 400);
  }
}

const orderIdOf = (session: Stripe.Checkout.Session): number | null => {
  const id = Number(session.metadata?.order_id ?? session.client_reference_id);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
};

const paymentIntentIdOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

/**
 * Applies one verified event, once: its id is recorded in the same transaction as its effect, so a
 * repeated delivery changes nothing, and a failure leaves it to Stripe's retry. Returns whether it was new.
 */
export async function handleStripeEvent(db: Db, event: Stripe.Event): Promise<{ duplicate: boolean }> {
  const paid: NewOrderEvent[] = [];
  const result = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (inserted.length === 0) return { duplicate: true };
    switch (event.type) {
      case "checkout.session.completed":
        if (event.data.object.payment_status === "paid")
          paid.push(...(await markPaid(tx, event.data.object, event.id)));
        break;
      case "checkout.session.async_payment_succeeded":
        paid.push(...(await markPaid(tx, event.data.object, event.id)));
        break;
      case "checkout.session.async_payment_failed":
        await endUnpaid(tx, event.data.object, "failed", event.id);
        break;
      case "checkout.session.expired":
        await endUnpaid(tx, event.data.object, "unpaid", event.id);
        break;
      case "charge.refunded":
        await chargeRefunded(tx, event.data.object, event.id);
        break;
      default:
        break;
    }
    return { duplicate: false };
  });
  // A paid order reaches its business's board now: told after the commit.
  announceNewOrders(paid);
  return result;
}

/** Marks the session's order paid (once); returns it as a new order on its board, or nothing. */
async function markPaid(tx: Db, session: Stripe.Checkout.Session, eventId: string): Promise<NewOrderEvent[]> {
  const orderId = orderIdOf(session);
  if (!orderId) return [];
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return [];
  // The amount Stripe took must be the order's own; anything else is not a payment for it.
  if (session.amount_total !== order.totalFen || session.currency !== "cny") {
    await recordAudit(tx, null, "order.payment_mismatch", orderId, {
      after: { eventId, amount: session.amount_total, currency: session.currency },
    });
    return [];
  }
  const [row] = await tx
    .update(orders)
    .set({
      status: "new",
      paymentStatus: "paid",
      paidAt: new Date(),
      stripePaymentIntentId: paymentIntentIdOf(session.payment_intent),
      stripeSessionId: session.id,
    })
    .where(and(eq(orders.id, orderId), eq(orders.status, "awaiting_payment"), eq(orders.paymentStatus, "unpaid")))
    .returning({ id: orders.id, businessId: orders.businessId });
  if (!row) {
    if (order.status === "cancelled" && order.paymentStatus === "unpaid") {
      // Paid after the reservation ended: recorded for staff to refund by hand.
      await recordAudit(tx, null, "order.paid_after_cancel", orderId, { after: { eventId } });
    }
    return [];
  }
  await recordAudit(tx, null, "order.paid", orderId, { after: { eventId, amount: order.totalFen } });
  await notifyBusiness(tx, row.businessId, {
    kind: "market.orderPlaced",
    params: { order: orderId },
    link: `/shops/${row.businessId}/orders`,
  });
  return [{ businessId: row.businessId, orderId }];
}

/** A failed or expired payment ends the reservation: the order is cancelled and its stock goes back, once. */
async function endUnpaid(
  tx: Db,
  session: Stripe.Checkout.Session,
  paymentStatus: "failed" | "unpaid",
  eventId: string,
) {
  const orderId = orderIdOf(session);
  if (!orderId) return;
  const [row] = await tx
    .update(orders)
    .set({ status: "cancelled", paymentStatus, cancelledAt: new Date() })
    .where(and(eq(orders.id, orderId), eq(orders.status, "awaiting_payment"), eq(orders.paymentStatus, "unpaid")))
    .returning({ id: orders.id, userId: orders.userId });
  if (!row) return;
  await releaseStock(tx, orderId);
  await recordAudit(tx, null, paymentStatus === "failed" ? "order.payment_failed" : "order.expired", orderId, {
    after: { eventId },
  });
  if (paymentStatus === "failed")
    await notify(tx, row.userId, {
      kind: "market.paymentFailed",
      params: { order: orderId },
      link: `/orders/${orderId}`,
    });
}

/** A refund made in Stripe's dashboard (or ours, seen again): the order is refunded and, unless handed over, cancelled. */
async function chargeRefunded(tx: Db, charge: Stripe.Charge, eventId: string) {
  const paymentIntent = paymentIntentIdOf(charge.payment_intent);
  if (!paymentIntent || !charge.refunded) return;
  const [order] = await tx.select().from(orders).where(eq(orders.stripePaymentIntentId, paymentIntent));
  if (!order || order.paymentStatus !== "paid") return;
  const cancels = order.status === "new" || order.status === "ready";
  const [row] = await tx
    .update(orders)
    .set({
      paymentStatus: "refunded",
      refundedAt: new Date(),
      ...(cancels ? { status: "cancelled" as const, cancelledAt: new Date() } : {}),
    })
    .where(and(eq(orders.id, order.id), eq(orders.paymentStatus, "paid")))
    .returning({ id: orders.id });
  if (!row) return;
  if (cancels) await releaseStock(tx, order.id);
  await recordAudit(tx, null, "order.refunded", order.id, { after: { eventId, cancelled: cancels } });
  await notify(tx, order.userId, {
    kind: "market.orderRefunded",
    params: { order: order.id },
    link: `/orders/${order.id}`,
  });
}
