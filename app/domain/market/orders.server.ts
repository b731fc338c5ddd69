import { randomInt } from "node:crypto";
import { and, asc, desc, eq, inArray, lt, ne, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type Stripe from "stripe";
import type { Db } from "../../../db/client";

import { businesses, businessStripeAccounts, cartItems, orderItems, orders, products } from "../../../db/schema";
import type { OrderStatus } from "../../../db/schema/enums";
import type { Actor } from "../accounts/actor";
import { memberRoleIn } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, forbidden } from "../errors";
import { notify, notifyBusiness } from "../notifications/notifications.server";
import { boardColumns } from "./board";
import { announceNewOrders, type NewOrderEvent } from "./order-events.server";
import type { Payments } from "./stripe.server";
import { metaValue, setMetaValue } from "../../../db/meta";
import { columnsOf } from "../../../db/select";

export const orderNotFound = () => new DomainError("market.errors.orderNotFound", 404);

/** A line as the checkout form showed it; compared with the database before anything is written. */
export interface ExpectedLine {
  productId: number;
  quantity: number;
  priceFen: number;
}

/** How long an unpaid pay-at-pickup order holds its stock, unless the merchant extends it. */
export const reservationHoldMs = 48 * 60 * 60 * 1000;
/** At most this many of one product may one account hold in open, unpaid pay-at-pickup orders. */
export const maxOpenPickupQuantity = 10;
/** Wrong pickup codes before the order locks (the shop may still cancel it). */
export const maxPickupCodeFailures = 5;

export const newPickupCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** The app_meta key of the platform fee on Connect destination charges, in basis points (250 = 2.5%). */
export const PLATFORM_FEE_KEY = "market.platform_fee_bp";

export async function platformFeeBasisPoints(db: Db): Promise<number> {
  const bp = Number((await metaValue(db, PLATFORM_FEE_KEY)) ?? 0);
  return Number.isSafeInteger(bp) && bp >= 0 && bp <= 5000 ? bp : 0;
}

export async function setPlatformFee(db: Db, actor: Actor, basisPoints: number) {
  assertCan(actor, { action: "market.configure" });
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0 || basisPoints > 5000)
    throw new DomainError("market.errors.feeInvalid", 400, "percent");
  await db.transaction(async (tx) => {
    const before = await platformFeeBasisPoints(tx);
    await setMetaValue(tx, PLATFORM_FEE_KEY, String(basisPoints));
    await recordAudit(tx, actor, "market.fee_set", "fee", { before: { basisPoints: before }, after: { basisPoints } });
  });
}

/**
 * Turns the lines of the signed-in shopper's cart that the page showed as orderable into one
 * order per business, in one transaction. `expected` is those lines as the page showed them
 * (product, quantity, price); the cart's other lines (sold out, more than the stock, hidden, of a
 * closed business) are not ordered and stay in the cart (ADR 025). Prices, names and totals come
 * from the database, and any difference from `expected` (a changed price or quantity, a line
 * gone, a product hidden or short since the page was drawn) refuses the whole checkout and writes
 * nothing. Stock is taken here, by a conditional UPDATE that never lets it go below zero (ADR 006).
 */
export async function placeOrders(
  db: Db,
  actor: Actor,
  mode: "stripe" | "at_pickup",
  expected: ExpectedLine[],
  now = new Date(),
) {
  assertCan(actor, { action: "account.use" });
  const shopper = actor;
  const placed = await db.transaction(async (tx) => {
    const inCart = await tx
      .select({ productId: cartItems.productId, quantity: cartItems.quantity })
      .from(cartItems)
      .where(eq(cartItems.userId, shopper.userId))
      .orderBy(asc(cartItems.productId));
    if (inCart.length === 0) throw new DomainError("market.errors.cartEmpty", 400);
    if (expected.length === 0) throw new DomainError("market.errors.cartChanged", 409);
    const expectedById = new Map(expected.map((e) => [e.productId, e]));
    if (expectedById.size !== expected.length) throw new DomainError("market.errors.cartChanged", 409);
    const cart = inCart.filter((c) => expectedById.has(c.productId));
    if (cart.length !== expected.length || cart.some((c) => expectedById.get(c.productId)!.quantity !== c.quantity))
      throw new DomainError("market.errors.cartChanged", 409);
    const taken: { productId: number; businessId: number; name: string; priceFen: number; quantity: number }[] = [];
    // In product id order, so that two checkouts never wait for each other's rows in a circle.
    for (const line of cart) {
      if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
        throw new DomainError("market.errors.quantityInvalid", 400);
      const [product] = await tx
        .select({ ...columnsOf(products, "name", "priceFen", "hidden"), status: businesses.status })
        .from(products)
        .innerJoin(businesses, eq(businesses.id, products.businessId))
        .where(eq(products.id, line.productId));
      if (!product || product.hidden || product.status !== "open")
        throw new DomainError("market.errors.productUnavailable", 409, undefined, {
          productId: line.productId,
          name: product?.name ?? "",
        });
      if (product.priceFen !== expectedById.get(line.productId)!.priceFen)
        throw new DomainError("market.errors.cartChanged", 409);
      const [row] = await tx
        .update(products)
        .set({ stock: sql`${products.stock} - ${line.quantity}`, updatedAt: new Date() })
        .where(
          and(eq(products.id, line.productId), eq(products.hidden, false), sql`${products.stock} >= ${line.quantity}`),
        )
        .returning({ businessId: products.businessId, name: products.name, priceFen: products.priceFen });
      if (!row)
        throw new DomainError("market.errors.outOfStock", 409, undefined, {
          productId: line.productId,
          name: product.name,
        });
      if (mode === "at_pickup") {
        // After the stock UPDATE: its row lock makes a second checkout of this product wait, and
        // then see this one's order, so two parallel checkouts cannot both slip under the cap.
        const [held] = await tx
          .select({ n: sql<number>`coalesce(sum(${orderItems.quantity}), 0)::int` })
          .from(orderItems)
          .innerJoin(orders, eq(orders.id, orderItems.orderId))
          .where(
            and(
              eq(orders.userId, shopper.userId),
              eq(orderItems.productId, line.productId),
              eq(orders.paymentMethod, "at_pickup"),
              eq(orders.paymentStatus, "unpaid"),
              inArray(orders.status, ["new", "ready"]),
            ),
          );
        if ((held?.n ?? 0) + line.quantity > maxOpenPickupQuantity)
          throw new DomainError("security.reservationCap", 409, undefined, { max: maxOpenPickupQuantity });
      }
      taken.push({
        productId: line.productId,
        businessId: row.businessId,
        name: row.name,
        priceFen: row.priceFen,
        quantity: line.quantity,
      });
    }
    const byBusiness = new Map<number, typeof taken>();
    for (const t of taken) byBusiness.set(t.businessId, [...(byBusiness.get(t.businessId) ?? []), t]);
    const orderIds: number[] = [];
    const created: NewOrderEvent[] = [];
    for (const [businessId, lines] of byBusiness) {
      const totalFen = lines.reduce((sum, l) => sum + l.priceFen * l.quantity, 0);
      const [order] = await tx
        .insert(orders)
        .values({
          userId: shopper.userId,
          businessId,
          status: mode === "stripe" ? "awaiting_payment" : "new",
          paymentMethod: mode,
          totalFen,
          pickupCode: newPickupCode(),
          reservedUntil: mode === "at_pickup" ? new Date(now.getTime() + reservationHoldMs) : null,
        })
        .returning({ id: orders.id });
      await tx.insert(orderItems).values(
        lines.map((l) => ({
          orderId: order.id,
          productId: l.productId,
          name: l.name,
          unitPriceFen: l.priceFen,
          quantity: l.quantity,
        })),
      );
      await recordAudit(tx, shopper, "order.placed", order.id, { after: { businessId, totalFen, mode, lines } });
      if (mode === "at_pickup")
        await notifyBusiness(tx, businessId, {
          kind: "market.orderPlaced",
          params: { order: order.id },
          link: `/shops/${businessId}/orders`,
        });
      orderIds.push(order.id);
      created.push({ businessId, orderId: order.id });
    }
    // Only the ordered lines leave the cart; the others stay, with their state shown.
    await tx.delete(cartItems).where(
      and(
        eq(cartItems.userId, shopper.userId),
        inArray(
          cartItems.productId,
          cart.map((c) => c.productId),
        ),
      ),
    );
    return { orderIds, created };
  });
  // Pay-at-pickup orders are on their board at once; Stripe orders once paid (webhook.server.ts).
  if (mode === "at_pickup") announceNewOrders(placed.created);
  return placed.orderIds;
}

async function loadOrder(db: Db, orderId: number) {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw orderNotFound();
  return order;
}

/** One order with its lines, for its shopper, the business's members and staff; anyone else: not found. */
export async function orderDetail(db: Db, actor: Actor, orderId: number) {
  const order = await loadOrder(db, orderId);
  if (!can(actor, { action: "order.view", shopperId: order.userId, businessId: order.businessId }))
    throw orderNotFound();
  const [items, [business]] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.productId)),
    db.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, order.businessId)),
  ]);
  const isShopper = actor?.userId === order.userId;
  const isMerchant =
    memberRoleIn(actor, order.businessId) !== undefined ||
    can(actor, { action: "product.manage", businessId: order.businessId });
  return {
    order: { ...order, pickupCode: isShopper ? order.pickupCode : null, stripeSessionUrl: null },
    items,
    businessName: business?.name ?? "",
    isShopper,
    isMerchant,
    canCancel:
      (isShopper && (order.status === "awaiting_payment" || order.status === "new")) ||
      (isMerchant && (order.status === "new" || order.status === "ready")),
    canPay: isShopper && order.status === "awaiting_payment" && order.paymentMethod === "stripe",
  };
}

export async function shopperOrders(db: Db, actor: Actor) {
  assertCan(actor, { action: "account.use" });
  return db
    .select({
      ...columnsOf(orders, "id", "status", "paymentMethod", "paymentStatus", "totalFen", "createdAt"),
      businessName: businesses.name,
    })
    .from(orders)
    .innerJoin(businesses, eq(businesses.id, orders.businessId))
    .where(eq(orders.userId, actor.userId))
    .orderBy(desc(orders.id))
    .limit(100);
}

/** The merchant's order board: paid or pay-at-pickup orders by state (unpaid Stripe orders are not shown). */
export async function merchantBoard(db: Db, actor: Actor, businessId: number) {
  assertCan(actor, { action: "product.manage", businessId });
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.businessId, businessId), inArray(orders.status, [...boardColumns])))
    .orderBy(desc(orders.id))
    .limit(200);
  const items = rows.length
    ? await db
        .select()
        .from(orderItems)
        .where(
          inArray(
            orderItems.orderId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(orderItems.productId))
    : [];
  const board = rows.map((o) => ({
    id: o.id,
    status: o.status,
    paymentMethod: o.paymentMethod,
    paymentStatus: o.paymentStatus,
    totalFen: o.totalFen,
    createdAt: o.createdAt,
    reservedUntil: o.paymentMethod === "at_pickup" && o.paymentStatus === "unpaid" ? o.reservedUntil : null,
    pickupLocked: o.pickupCodeFailures >= maxPickupCodeFailures,
    items: items.filter((i) => i.orderId === o.id).map((i) => ({ name: i.name, quantity: i.quantity })),
  }));
  return Object.fromEntries(boardColumns.map((c) => [c, board.filter((o) => o.status === c)])) as Record<
    (typeof boardColumns)[number],
    typeof board
  >;
}

/**
 * Sets `values` on the order only while every condition in `still` holds, checked inside the UPDATE
 * (so of two racing changes only one passes): whether it did.
 */
async function updateOrderWhile(tx: Db, orderId: number, values: PgUpdateSetSource<typeof orders>, ...still: SQL[]) {
  const [row] = await tx
    .update(orders)
    .set(values)
    .where(and(eq(orders.id, orderId), ...still))
    .returning({ id: orders.id });
  return row !== undefined;
}

/** The column that records when an order reached each state it is moved to. */
const reachedAt = { ready: "readyAt", picked_up: "pickedUpAt", cancelled: "cancelledAt" } as const;

/**
 * Moves the order from one of the states `from` to `to`, stamping when, with `also` set alongside,
 * while every condition in `still` holds too (see updateOrderWhile): whether it did.
 */
async function moveOrder(
  tx: Db,
  orderId: number,
  move: { from: OrderStatus[]; to: keyof typeof reachedAt; also?: PgUpdateSetSource<typeof orders> },
  ...still: SQL[]
) {
  const values = { status: move.to, [reachedAt[move.to]]: new Date(), ...move.also };
  return updateOrderWhile(tx, orderId, values, inArray(orders.status, move.from), ...still);
}

export async function markReady(db: Db, actor: Actor, orderId: number) {
  const order = await loadOrder(db, orderId);
  assertCan(actor, { action: "product.manage", businessId: order.businessId });
  await db.transaction(async (tx) => {
    if (!(await moveOrder(tx, orderId, { from: ["new"], to: "ready" })))
      throw new DomainError("market.errors.wrongState", 409);
    await recordAudit(tx, actor, "order.ready", orderId, { before: { status: "new" }, after: { status: "ready" } });
    await notify(tx, order.userId, {
      kind: "market.orderReady",
      params: { order: orderId },
      link: `/orders/${orderId}`,
    });
  });
}

/**
 * Handing over at the counter: the shopper shows the pickup code; a pay-at-pickup order is paid now.
 * The code is compared inside the UPDATE, so parallel guesses queue on the order's row: after
 * `maxPickupCodeFailures` wrong codes the order is locked and even the right code is refused.
 */
export async function markPickedUp(db: Db, actor: Actor, orderId: number, code: string) {
  const order = await loadOrder(db, orderId);
  assertCan(actor, { action: "product.manage", businessId: order.businessId });
  const entered = code.trim();
  await db.transaction(async (tx) => {
    const paidNow = order.paymentMethod === "at_pickup" ? { paymentStatus: "paid" as const, paidAt: new Date() } : {};
    const handedOver = await moveOrder(
      tx,
      orderId,
      { from: ["new", "ready"], to: "picked_up", also: paidNow },
      eq(orders.pickupCode, entered),
      lt(orders.pickupCodeFailures, maxPickupCodeFailures),
    );
    if (!handedOver) return;
    await recordAudit(tx, actor, "order.picked_up", orderId, {
      before: { status: order.status },
      after: { status: "picked_up" },
    });
  });
  const [now] = await db
    .select({ status: orders.status, failures: orders.pickupCodeFailures })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (now?.status === "picked_up") return;
  if (!now || (now.status !== "new" && now.status !== "ready")) throw new DomainError("market.errors.wrongState", 409);
  if (now.failures >= maxPickupCodeFailures) throw new DomainError("security.pickupLocked", 409, "code");
  const [counted] = await db
    .update(orders)
    .set({ pickupCodeFailures: sql`${orders.pickupCodeFailures} + 1` })
    .where(
      and(eq(orders.id, orderId), lt(orders.pickupCodeFailures, maxPickupCodeFailures), ne(orders.pickupCode, entered)),
    )
    .returning({ failures: orders.pickupCodeFailures });
  if (counted && counted.failures >= maxPickupCodeFailures) throw new DomainError("security.pickupLocked", 409, "code");
  throw new DomainError("market.errors.pickupCodeWrong", 400, "code");
}

/**
 * Ends every unpaid pay-at-pickup reservation whose time ran out: the order is cancelled, its stock
 * goes back on the shelf, the shopper and the shop are told. Safe to run from any number of
 * processes at once (each order is ended by one conditional UPDATE). Returns the ended order ids.
 */
export async function expireReservations(db: Db, now = new Date()): Promise<number[]> {
  const due = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.paymentMethod, "at_pickup"),
        eq(orders.paymentStatus, "unpaid"),
        inArray(orders.status, ["new", "ready"]),
        lt(orders.reservedUntil, now),
      ),
    )
    .orderBy(asc(orders.id))
    .limit(500);
  const ended: number[] = [];
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const [order] = await tx
        .update(orders)
        .set({ status: "cancelled", cancelledAt: now })
        .where(
          and(
            eq(orders.id, id),
            eq(orders.paymentStatus, "unpaid"),
            inArray(orders.status, ["new", "ready"]),
            lt(orders.reservedUntil, now),
          ),
        )
        .returning({ id: orders.id, userId: orders.userId, businessId: orders.businessId, status: orders.status });
      if (!order) return;
      await releaseStock(tx, id);
      await recordAudit(tx, null, "order.expired", id, { after: { status: "cancelled" } });
      await notify(tx, order.userId, { kind: "market.orderCancelled", params: { order: id }, link: `/orders/${id}` });
      await notifyBusiness(tx, order.businessId, {
        kind: "market.orderCancelled",
        params: { order: id },
        link: `/shops/${order.businessId}/orders`,
      });
      ended.push(id);
    });
  }
  return ended;
}

/** The shop gives an unpaid pickup order more time: 1 to 7 days past its current end (or now). */
export async function extendReservation(db: Db, actor: Actor, orderId: number, days: number, now = new Date()) {
  const order = await loadOrder(db, orderId);
  assertCan(actor, { action: "product.manage", businessId: order.businessId });
  if (!Number.isInteger(days) || days < 1 || days > 7) throw new DomainError("security.extendInvalid", 400);
  const from = Math.max(order.reservedUntil?.getTime() ?? now.getTime(), now.getTime());
  const until = new Date(from + days * 24 * 60 * 60 * 1000);
  await db.transaction(async (tx) => {
    const extended = await updateOrderWhile(
      tx,
      orderId,
      { reservedUntil: until },
      eq(orders.paymentMethod, "at_pickup"),
      eq(orders.paymentStatus, "unpaid"),
      inArray(orders.status, ["new", "ready"]),
    );
    if (!extended) throw new DomainError("security.extendInvalid", 409);
    await recordAudit(tx, actor, "order.extended", orderId, {
      before: { reservedUntil: order.reservedUntil?.toISOString() ?? null },
      after: { reservedUntil: until.toISOString() },
    });
  });
  return until;
}

/** Puts the order's items back on the shelf; called once, in the transaction that ends the order. */
export async function releaseStock(tx: Db, orderId: number) {
  const items = await tx
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.productId));
  for (const item of items) {
    await tx
      .update(products)
      .set({ stock: sql`${products.stock} + ${item.quantity}` })
      .where(eq(products.id, item.productId));
  }
}

/**
 * Cancels an order: the shopper while it is unpaid or new, the merchant until it is picked up.
 * A paid Stripe order is refunded first (idempotency key per order, so a retry cannot refund twice).
 */
export async function cancelOrder(db: Db, actor: Actor, orderId: number, payments: Payments | null) {
  const order = await loadOrder(db, orderId);
  if (!can(actor, { action: "order.view", shopperId: order.userId, businessId: order.businessId }))
    throw orderNotFound();
  const isShopper = actor!.userId === order.userId;
  const isMerchant = can(actor, { action: "product.manage", businessId: order.businessId });
  const allowed: OrderStatus[] = [
    ...(isShopper ? (["awaiting_payment", "new"] as const) : []),
    ...(isMerchant ? (["new", "ready"] as const) : []),
  ];
  if (allowed.length === 0) throw forbidden();
  if (!allowed.includes(order.status)) throw new DomainError("market.errors.wrongState", 409);

  let refundId: string | null = null;
  if (order.paymentStatus === "paid" && order.paymentMethod === "stripe") {
    if (!payments || !order.stripePaymentIntentId) throw new DomainError("market.errors.refundUnavailable", 409);
    const connected = order.applicationFeeFen > 0 || (await connectedAccount(db, order.businessId)) !== null;
    const refund = await payments.stripe.refunds.create(
      {
        payment_intent: order.stripePaymentIntentId,
        metadata: { order_id: String(orderId) },
        ...(payments.connect && connected ? { reverse_transfer: true, refund_application_fee: true } : {}),
      },
      { idempotencyKey: `xq-order-${orderId}-refund` },
    );
    refundId = refund.id;
  } else if (order.status === "awaiting_payment" && order.stripeSessionId && payments) {
    // So that the shopper cannot pay for an order that is no longer there.
    await payments.stripe.checkout.sessions.expire(order.stripeSessionId).catch(() => undefined);
  }

  await db.transaction(async (tx) => {
    const refunded = refundId
      ? { paymentStatus: "refunded" as const, refundedAt: new Date(), stripeRefundId: refundId }
      : {};
    const cancelled = await moveOrder(tx, orderId, { from: allowed, to: "cancelled", also: refunded });
    if (!cancelled) throw new DomainError("market.errors.wrongState", 409);
    await releaseStock(tx, orderId);
    await recordAudit(tx, actor!.userId, "order.cancelled", orderId, {
      before: { status: order.status, paymentStatus: order.paymentStatus },
      after: { status: "cancelled", refundId },
    });
    if (refundId)
      await notify(tx, order.userId, {
        kind: "market.orderRefunded",
        params: { order: orderId },
        link: `/orders/${orderId}`,
      });
    if (isShopper && order.status !== "awaiting_payment")
      await notifyBusiness(tx, order.businessId, {
        kind: "market.orderCancelled",
        params: { order: orderId },
        link: `/shops/${order.businessId}/orders`,
      });
    if (!isShopper)
      await notify(tx, order.userId, {
        kind: "market.orderCancelled",
        params: { order: orderId },
        link: `/orders/${orderId}`,
      });
  });
}

export async function connectedAccount(db: Db, businessId: number) {
  const [row] = await db.select().from(businessStripeAccounts).where(eq(businessStripeAccounts.businessId, businessId));
  return row ?? null;
}

/**
 * The Stripe Checkout Session of an unpaid order: created once (idempotency key per order) with
 * the amounts of the order's own lines, reused while it is open.
 */
export async function checkoutSessionUrl(
  db: Db,
  actor: Actor,
  orderId: number,
  payments: Payments,
  origin: string,
): Promise<string> {
  const order = await loadOrder(db, orderId);
  if (actor?.userId !== order.userId) throw orderNotFound();
  if (order.status !== "awaiting_payment" || order.paymentMethod !== "stripe")
    throw new DomainError("market.errors.wrongState", 409);
  if (order.stripeSessionUrl) return order.stripeSessionUrl;
  const items = await db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.productId));
  let connect: Stripe.Checkout.SessionCreateParams.PaymentIntentData = {};
  let applicationFeeFen = 0;
  if (payments.connect) {
    const account = await connectedAccount(db, order.businessId);
    if (account?.chargesEnabled) {
      applicationFeeFen = Math.floor((order.totalFen * (await platformFeeBasisPoints(db))) / 10_000);
      connect = { application_fee_amount: applicationFeeFen, transfer_data: { destination: account.stripeAccountId } };
    }
  }
  const session = await payments.stripe.checkout.sessions.create(
    {
      mode: "payment",
      currency: "cny",
      allowed_payment_method_types: [...payments.paymentMethods],
      ...(payments.paymentMethods.includes("wechat_pay")
        ? { payment_method_options: { wechat_pay: { client: "web" } } }
        : {}),
      line_items: items.map((i) => ({
        quantity: i.quantity,
        price_data: { currency: "cny", unit_amount: i.unitPriceFen, product_data: { name: i.name } },
      })),
      client_reference_id: String(orderId),
      metadata: { order_id: String(orderId) },
      payment_intent_data: { metadata: { order_id: String(orderId) }, ...connect },
      success_url: `${origin}/orders/${orderId}?paid=1`,
      cancel_url: `${origin}/orders/${orderId}`,
      expires_at: Math.floor(Date.now() / 1000) + 30 * 60,
    },
    { idempotencyKey: `xq-order-${orderId}-checkout` },
  );
  if (!session.url) throw new Error(`Stripe returned no URL for session ${session.id}`);
  await db
    .update(orders)
    .set({ stripeSessionId: session.id, stripeSessionUrl: session.url, applicationFeeFen })
    .where(and(eq(orders.id, orderId), eq(orders.status, "awaiting_payment")));
  return session.url;
}
