import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cartItems, notifications, orders, products, stripeEvents } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import type { User } from "~/domain/accounts/actor";
import {
  addToCart,
  addToCookieCart,
  accountCartLines,
  cartView,
  mergeCookieCart,
  parseCookieCart,
  serializeCookieCart,
} from "~/domain/market/cart.server";
import {
  cancelOrder,
  checkoutSessionUrl,
  connectedAccount,
  setPlatformFee,
  markPickedUp,
  markReady,
  merchantBoard,
  orderDetail,
  placeOrders,
  shopperOrders,
  type ExpectedLine,
} from "~/domain/market/orders.server";
import {
  createProduct,
  listProducts,
  productPage,
  readProductPhoto,
  replaceProductPhoto,
  setProductHidden,
  updateProduct,
} from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import type { Payments } from "~/domain/market/stripe.server";
import { connectOnboardingUrl, refreshConnectedAccount } from "~/domain/market/connect.server";
import { handleStripeEvent, verifyStripeEvent } from "~/domain/market/webhook.server";
import { useTestDatabase } from "../helpers/kit";
import { smallPng } from "../helpers/photos";
import {
  chargeRefundedEvent,
  checkoutEvent,
  completeSession,
  signEvent,
  startStripeStub,
  type StripeStub,
} from "../helpers/stripe-stub";

const kit = useTestDatabase({ maxConnections: 20 }); // 50 checkouts still race 20 at a time; a shared server keeps room
const { db, demo: actor, businessId: idOf, newShopper, rows } = kit;
let stub: StripeStub;
let payments: Payments;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-market-"));
beforeAll(async () => {
  process.env.XQ_DATA_DIR = dataDir;
  stub = await startStripeStub();
  payments = {
    stripe: stub.client(),
    paymentMethods: ["card", "wechat_pay"],
    connect: false,
    webhookSecret: stub.app.webhookSecret,
  };
});
afterAll(async () => {
  await stub?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
const product = async (id: number) => (await db().select().from(products).where(eq(products.id, id)))[0];
const order = async (id: number) => (await db().select().from(orders).where(eq(orders.id, id)))[0];
const rowCount = async (table: typeof orders | typeof stripeEvents | typeof auditLog | typeof notifications) =>
  kit.rows(table);
const input = (price: string, stock: number, name = "测试商品") =>
  productSchema.parse({ name, price, stock: String(stock) });

async function newProduct(code: string, priceYuan: string, stock: number) {
  return createProduct(
    db(),
    await actor(code === "T0001" ? "stallOwner" : "shopOwner"),
    await idOf(code),
    input(priceYuan, stock),
  );
}

/** What the checkout page showed: the cart priced from the database. */
async function expectedOf(user: User): Promise<ExpectedLine[]> {
  const groups = await cartView(db(), await accountCartLines(db(), user.userId));
  return groups.flatMap((g) =>
    g.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, priceFen: l.priceFen })),
  );
}

async function deliver(event: unknown, timestamp?: number) {
  const { payload, signature } = signEvent(event, stub.app.webhookSecret, timestamp);
  return handleStripeEvent(db(), verifyStripeEvent(payments, payload, signature));
}

describe("products", () => {
  it("the owner adds, edits and hides a product; the public no longer sees it", async () => {
    const owner = await actor("shopOwner");
    const shop = await idOf("S0001");
    const id = await createProduct(db(), owner, shop, input("12.5", 3, "芝麻烧饼"));
    expect(await product(id)).toMatchObject({ priceFen: 1250, stock: 3, hidden: false, businessId: shop });
    await updateProduct(db(), owner, id, input("13", 4, "芝麻烧饼"));
    expect(await product(id)).toMatchObject({ priceFen: 1300, stock: 4 });
    await setProductHidden(db(), owner, id, true);
    expect((await listProducts(db(), null, shop)).products.map((p) => p.id)).not.toContain(id);
    expect((await listProducts(db(), owner, shop)).products.map((p) => p.id)).toContain(id);
    await expect(productPage(db(), null, id)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses residents, other merchants and bad prices; nothing is written", async () => {
    const shop = await idOf("S0001");
    const before = await db().select({ n: count() }).from(products);
    for (const who of ["resident", "stallOwner", "president"] as const) {
      await expect(createProduct(db(), await actor(who), shop, input("1", 1))).rejects.toMatchObject({ status: 403 });
    }
    await expect(createProduct(db(), null, shop, input("1", 1))).rejects.toMatchObject({ status: 403 });
    const [first] = (await listProducts(db(), null, shop)).products;
    await expect(updateProduct(db(), await actor("stallOwner"), first.id, input("0.01", 1))).rejects.toMatchObject({
      status: 403,
    });
    expect((await product(first.id)).priceFen).not.toBe(1);
    expect(await db().select({ n: count() }).from(products)).toEqual(before);
    for (const price of ["0", "-1", "1.234", "abc", ""]) {
      expect(productSchema.safeParse({ name: "x", price, stock: "1" }).success).toBe(false);
    }
    expect(productSchema.safeParse({ name: "x", price: "1", stock: "-1" }).success).toBe(false);
  });
});

describe("product photos", () => {
  it("stores a real image for the owner only, checked by its bytes like shop photos", async () => {
    const id = await newProduct("S0001", "8", 1);
    const png = new Uint8Array(await smallPng());
    await expect(replaceProductPhoto(db(), await actor("stallOwner"), id, png)).rejects.toMatchObject({ status: 403 });
    await expect(
      replaceProductPhoto(db(), await actor("shopOwner"), id, new TextEncoder().encode("<svg onload=alert(1)>")),
    ).rejects.toMatchObject({
      code: "directory.errors.photoType",
    });
    await expect(
      replaceProductPhoto(db(), await actor("shopOwner"), id, new Uint8Array(2 * 1024 * 1024 + 1).fill(0xff)),
    ).rejects.toMatchObject({
      code: "directory.errors.photoTooLarge",
    });
    expect((await product(id)).photoPath).toBeNull();
    const name = await replaceProductPhoto(db(), await actor("shopOwner"), id, png);
    expect((await product(id)).photoPath).toBe(name);
    expect((await readProductPhoto(name))?.type).toBe("image/webp"); // re-encoded (app/domain/photos.server.ts)
    expect(await readProductPhoto("../../etc/passwd")).toBeNull();
  });
});

describe("the cart", () => {
  it("a cookie cart drops tampered lines and merges into the account at sign-in", async () => {
    const user = await newShopper();
    const a = await newProduct("S0001", "10", 5);
    const b = await newProduct("T0001", "3", 5);
    const hidden = await newProduct("S0001", "1", 5);
    await setProductHidden(db(), await actor("shopOwner"), hidden, true);
    expect(
      parseCookieCart(
        encodeURIComponent(
          JSON.stringify([
            [a, 2],
            [b, -1],
            [b, 0],
            ["x", 1],
            [hidden, 1.5],
          ]),
        ),
      ),
    ).toEqual([{ productId: a, quantity: 2 }]);
    expect(parseCookieCart("not json")).toEqual([]);
    let lines = await addToCookieCart(db(), [], a, 2);
    lines = await addToCookieCart(db(), lines, b, 1);
    await expect(addToCookieCart(db(), lines, hidden, 1)).rejects.toMatchObject({ status: 404 });
    await expect(addToCookieCart(db(), lines, a, 0)).rejects.toMatchObject({ status: 400 });
    await addToCart(db(), user, a, 1);
    await mergeCookieCart(
      db(),
      user.userId,
      parseCookieCart(serializeCookieCart([...lines, { productId: hidden, quantity: 1 }])),
    );
    expect(await accountCartLines(db(), user.userId)).toEqual(
      expect.arrayContaining([
        { productId: a, quantity: 3 },
        { productId: b, quantity: 1 },
      ]),
    );
    expect(await accountCartLines(db(), user.userId)).toHaveLength(2);
  });

  it("refuses zero, negative quantities and hidden products", async () => {
    const user = await newShopper();
    const a = await newProduct("S0001", "10", 5);
    for (const q of [0, -3, 1.5]) await expect(addToCart(db(), user, a, q)).rejects.toMatchObject({ status: 400 });
    await setProductHidden(db(), await actor("shopOwner"), a, true);
    await expect(addToCart(db(), user, a, 1)).rejects.toMatchObject({ status: 404 });
    expect(await accountCartLines(db(), user.userId)).toEqual([]);
  });
});

describe("pay-at-pickup orders", () => {
  it("a cart from two businesses becomes two orders; stock is taken; merchants are told; the counter hands over with the code", async () => {
    const user = await newShopper();
    const a = await newProduct("S0001", "18", 5);
    const b = await newProduct("T0001", "5", 5);
    await addToCart(db(), user, a, 2);
    await addToCart(db(), user, b, 3);
    const placedNotes = () =>
      db()
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, DEMO_USERS.stallOwner.id), eq(notifications.kind, "market.orderPlaced")));
    const notesBefore = (await placedNotes())[0].n;
    const ids = await placeOrders(db(), user, "at_pickup", await expectedOf(user));
    expect(ids).toHaveLength(2);
    const [o1, o2] = await Promise.all(ids.map(order));
    expect([o1.totalFen, o2.totalFen].sort((x, y) => x - y)).toEqual([1500, 3600]);
    expect(o1).toMatchObject({ status: "new", paymentMethod: "at_pickup", paymentStatus: "unpaid" });
    expect(o1.pickupCode).toMatch(/^\d{6}$/);
    expect((await product(a)).stock).toBe(3);
    expect((await product(b)).stock).toBe(2);
    expect(await accountCartLines(db(), user.userId)).toEqual([]);
    expect((await placedNotes())[0].n).toBe(notesBefore + 1);

    const mine = (await order(ids[0])).businessId === (await idOf("S0001")) ? ids[0] : ids[1];
    const owner = await actor("shopOwner");
    await expect(markReady(db(), await actor("stallOwner"), mine)).rejects.toMatchObject({ status: 403 });
    await expect(markReady(db(), user, mine)).rejects.toMatchObject({ status: 403 });
    await markReady(db(), owner, mine);
    await expect(markReady(db(), owner, mine)).rejects.toMatchObject({ status: 409 });
    const ready = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, user.userId), eq(notifications.kind, "market.orderReady")));
    expect(ready).toHaveLength(1);
    expect((await merchantBoard(db(), owner, await idOf("S0001"))).ready.map((o) => o.id)).toContain(mine);
    const code = (await order(mine)).pickupCode;
    await expect(markPickedUp(db(), owner, mine, code === "000000" ? "000001" : "000000")).rejects.toMatchObject({
      field: "code",
    });
    expect((await order(mine)).status).toBe("ready");
    await markPickedUp(db(), owner, mine, code);
    expect(await order(mine)).toMatchObject({ status: "picked_up", paymentStatus: "paid" });
    expect((await orderDetail(db(), user, mine)).order.pickupCode).toBe(code);
    expect((await orderDetail(db(), owner, mine)).order.pickupCode).toBeNull();
  });

  it("refuses a changed price, a changed quantity, a hidden product, an empty cart: nothing changes", async () => {
    const user = await newShopper();
    const a = await newProduct("S0001", "10", 5);
    await addToCart(db(), user, a, 2);
    const ordersBefore = await rowCount(orders);
    await expect(
      placeOrders(db(), user, "at_pickup", [{ productId: a, quantity: 2, priceFen: 1 }]),
    ).rejects.toMatchObject({ code: "market.errors.cartChanged" });
    await expect(
      placeOrders(db(), user, "at_pickup", [{ productId: a, quantity: 5, priceFen: 1000 }]),
    ).rejects.toMatchObject({ code: "market.errors.cartChanged" });
    await expect(placeOrders(db(), user, "at_pickup", [])).rejects.toMatchObject({ code: "market.errors.cartChanged" });
    // The price changed after the page was shown: the shopper must see the new one first.
    const expected = await expectedOf(user);
    await updateProduct(db(), await actor("shopOwner"), a, input("11", 5));
    await expect(placeOrders(db(), user, "at_pickup", expected)).rejects.toMatchObject({
      code: "market.errors.cartChanged",
    });
    await setProductHidden(db(), await actor("shopOwner"), a, true);
    await expect(placeOrders(db(), user, "at_pickup", await expectedOf(user))).rejects.toMatchObject({ status: 409 });
    expect(await rowCount(orders)).toBe(ordersBefore);
    expect((await product(a)).stock).toBe(5);
    expect(await accountCartLines(db(), user.userId)).toHaveLength(1);
    const empty = await newShopper();
    await expect(placeOrders(db(), empty, "at_pickup", [])).rejects.toMatchObject({ code: "market.errors.cartEmpty" });
  });

  it("another shopper's order is not found to them; they cannot cancel it", async () => {
    const user = await newShopper();
    const other = await newShopper();
    const a = await newProduct("S0001", "10", 5);
    await addToCart(db(), user, a, 1);
    const [id] = await placeOrders(db(), user, "at_pickup", await expectedOf(user));
    await expect(orderDetail(db(), other, id)).rejects.toMatchObject({ status: 404 });
    await expect(cancelOrder(db(), other, id, null)).rejects.toMatchObject({ status: 404 });
    await expect(cancelOrder(db(), await actor("stallOwner"), id, null)).rejects.toMatchObject({ status: 404 });
    expect((await order(id)).status).toBe("new");
    expect(await shopperOrders(db(), other)).toEqual([]);
    await cancelOrder(db(), user, id, null);
    expect((await order(id)).status).toBe("cancelled");
    expect((await product(a)).stock).toBe(5);
    await expect(cancelOrder(db(), user, id, null)).rejects.toMatchObject({ status: 409 });
    expect((await product(a)).stock).toBe(5);
  });
});

describe("Stripe checkout against the stub", () => {
  async function stripeOrder(priceYuan = "20", quantity = 2, stock = 10) {
    const user = await newShopper();
    const a = await newProduct("S0001", priceYuan, stock);
    await addToCart(db(), user, a, quantity);
    const [id] = await placeOrders(db(), user, "stripe", await expectedOf(user));
    const url = await checkoutSessionUrl(db(), user, id, payments, "https://xinquan.test");
    const sessionId = (await order(id)).stripeSessionId!;
    return { user, productId: a, orderId: id, url, sessionId };
  }

  it("creates a session in CNY from the database's amounts, with the order id and an idempotency key; reuses it", async () => {
    const { user, orderId, url, sessionId } = await stripeOrder("20", 2);
    expect(url).toBe(`${stub.url}/pay/${sessionId}`);
    const request = stub.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!;
    expect(request.idempotencyKey).toBe(`xq-order-${orderId}-checkout`);
    expect(request.body).toMatchObject({
      mode: "payment",
      currency: "cny",
      allowed_payment_method_types: ["card", "wechat_pay"],
      metadata: { order_id: String(orderId) },
      line_items: [{ quantity: "2", price_data: { currency: "cny", unit_amount: "2000" } }],
      success_url: `https://xinquan.test/orders/${orderId}?paid=1`,
    });
    expect(request.body).not.toHaveProperty("payment_intent_data.application_fee_amount");
    const n = stub.requests.length;
    expect(await checkoutSessionUrl(db(), user, orderId, payments, "https://xinquan.test")).toBe(url);
    expect(stub.requests.length).toBe(n);
    expect(await order(orderId)).toMatchObject({ status: "awaiting_payment", paymentStatus: "unpaid" });
    await expect(checkoutSessionUrl(db(), await newShopper(), orderId, payments, "https://x")).rejects.toMatchObject({
      status: 404,
    });
  });

  it("the paid path: the order becomes paid once however often Stripe repeats the event; stock went down once, at placing", async () => {
    const { orderId, sessionId, productId } = await stripeOrder("20", 2, 10);
    expect((await product(productId)).stock).toBe(8);
    const event = checkoutEvent("checkout.session.completed", completeSession(stub, sessionId));
    expect(await deliver(event)).toEqual({ duplicate: false });
    const paid = await order(orderId);
    expect(paid).toMatchObject({ status: "new", paymentStatus: "paid" });
    expect(paid.stripePaymentIntentId).toMatch(/^pi_test_/);
    const notes = await rowCount(notifications);
    const audits = await rowCount(auditLog);
    expect(await deliver(event)).toEqual({ duplicate: true });
    expect(await deliver(event)).toEqual({ duplicate: true });
    // The same payment told again under a new event id (async_payment_succeeded after completed).
    await deliver(checkoutEvent("checkout.session.async_payment_succeeded", stub.sessions.get(sessionId)!));
    expect(await order(orderId)).toEqual(paid);
    expect(await rowCount(notifications)).toBe(notes);
    expect(await rowCount(auditLog)).toBe(audits);
    expect((await product(productId)).stock).toBe(8);
  });

  it("the async path: completed-but-unpaid waits; async success pays; async failure cancels and gives the stock back", async () => {
    const first = await stripeOrder("15", 1, 3);
    await deliver(checkoutEvent("checkout.session.completed", completeSession(stub, first.sessionId, "unpaid")));
    expect(await order(first.orderId)).toMatchObject({ status: "awaiting_payment", paymentStatus: "unpaid" });
    await deliver(
      checkoutEvent("checkout.session.async_payment_succeeded", {
        ...stub.sessions.get(first.sessionId)!,
        payment_status: "paid",
      }),
    );
    expect(await order(first.orderId)).toMatchObject({ status: "new", paymentStatus: "paid" });

    const second = await stripeOrder("15", 2, 3);
    expect((await product(second.productId)).stock).toBe(1);
    await deliver(checkoutEvent("checkout.session.completed", completeSession(stub, second.sessionId, "unpaid")));
    const failed = checkoutEvent("checkout.session.async_payment_failed", stub.sessions.get(second.sessionId)!);
    await deliver(failed);
    await deliver(checkoutEvent("checkout.session.async_payment_failed", stub.sessions.get(second.sessionId)!));
    expect(await order(second.orderId)).toMatchObject({ status: "cancelled", paymentStatus: "failed" });
    expect((await product(second.productId)).stock).toBe(3);
    // A late success for a failed order does not bring it back.
    await deliver(
      checkoutEvent("checkout.session.async_payment_succeeded", {
        ...stub.sessions.get(second.sessionId)!,
        payment_status: "paid",
      }),
    );
    expect(await order(second.orderId)).toMatchObject({ status: "cancelled", paymentStatus: "failed" });
  });

  it("refuses an event whose amount is not the order's", async () => {
    const { orderId, sessionId } = await stripeOrder("20", 1);
    await deliver(checkoutEvent("checkout.session.completed", completeSession(stub, sessionId), { amount_total: 1 }));
    expect(await order(orderId)).toMatchObject({ status: "awaiting_payment", paymentStatus: "unpaid" });
  });

  it("a bad signature or a stale timestamp is refused with 400 and records nothing", async () => {
    const { orderId, sessionId } = await stripeOrder("20", 1);
    const event = checkoutEvent("checkout.session.completed", completeSession(stub, sessionId));
    const events = await rowCount(stripeEvents);
    const { payload, signature } = signEvent(event, "whsec_wrong");
    expect(() => verifyStripeEvent(payments, payload, signature)).toThrow(expect.objectContaining({ status: 400 }));
    const signed = signEvent(event, stub.app.webhookSecret);
    expect(() =>
      verifyStripeEvent(payments, signed.payload.replace(`"amount_total":2000`, `"amount_total":1`), signed.signature),
    ).toThrow(expect.objectContaining({ status: 400 }));
    const stale = signEvent(event, stub.app.webhookSecret, Math.floor(Date.now() / 1000) - 3600);
    expect(() => verifyStripeEvent(payments, stale.payload, stale.signature)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(() => verifyStripeEvent(payments, signed.payload, null)).toThrow(expect.objectContaining({ status: 400 }));
    expect(await rowCount(stripeEvents)).toBe(events);
    expect((await order(orderId)).paymentStatus).toBe("unpaid");
  });

  it("a validly signed event stamped more than 5 minutes in the future is refused with 400; a few seconds ahead is accepted", async () => {
    const { orderId, sessionId } = await stripeOrder("20", 1);
    const event = checkoutEvent("checkout.session.completed", completeSession(stub, sessionId));
    const events = await rowCount(stripeEvents);
    const now = Math.floor(Date.now() / 1000);
    const future = signEvent(event, stub.app.webhookSecret, now + 3600);
    expect(() => verifyStripeEvent(payments, future.payload, future.signature)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    const justOver = signEvent(event, stub.app.webhookSecret, now + 6 * 60);
    expect(() => verifyStripeEvent(payments, justOver.payload, justOver.signature)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(await rowCount(stripeEvents)).toBe(events);
    expect((await order(orderId)).paymentStatus).toBe("unpaid");
    const slightlyAhead = signEvent(event, stub.app.webhookSecret, now + 30);
    expect(verifyStripeEvent(payments, slightlyAhead.payload, slightlyAhead.signature).id).toBe(event.id);
  });

  it("refund: the merchant cancels a paid order; Stripe refunds once; the later charge.refunded changes nothing more", async () => {
    const { user, orderId, sessionId, productId } = await stripeOrder("20", 2, 5);
    const session = completeSession(stub, sessionId);
    await deliver(checkoutEvent("checkout.session.completed", session));
    await expect(cancelOrder(db(), await actor("stallOwner"), orderId, payments)).rejects.toMatchObject({
      status: 404,
    });
    await cancelOrder(db(), await actor("shopOwner"), orderId, payments);
    const refunds = stub.requests.filter(
      (r) => r.path === "/v1/refunds" && r.body.payment_intent === session.payment_intent,
    );
    expect(refunds).toHaveLength(1);
    expect(refunds[0].idempotencyKey).toBe(`xq-order-${orderId}-refund`);
    const refunded = await order(orderId);
    expect(refunded).toMatchObject({ status: "cancelled", paymentStatus: "refunded" });
    expect(refunded.stripeRefundId).toMatch(/^re_test_/);
    expect((await product(productId)).stock).toBe(5);
    const told = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, user.userId), eq(notifications.kind, "market.orderRefunded")));
    expect(told).toHaveLength(1);
    await deliver(chargeRefundedEvent(session.payment_intent!, 4000));
    expect(await order(orderId)).toEqual(refunded);
    expect((await product(productId)).stock).toBe(5);
  });

  it("a refund made in Stripe's dashboard cancels the order and gives the stock back once", async () => {
    const { orderId, sessionId, productId } = await stripeOrder("20", 1, 5);
    const session = completeSession(stub, sessionId);
    await deliver(checkoutEvent("checkout.session.completed", session));
    const refund = chargeRefundedEvent(session.payment_intent!, 2000);
    await deliver(refund);
    await deliver(refund);
    await deliver(chargeRefundedEvent(session.payment_intent!, 2000));
    expect(await order(orderId)).toMatchObject({ status: "cancelled", paymentStatus: "refunded" });
    expect((await product(productId)).stock).toBe(5);
  });

  it("a shopper cancelling an unpaid order expires its session", async () => {
    const { user, orderId, sessionId, productId } = await stripeOrder("20", 1, 5);
    await cancelOrder(db(), user, orderId, payments);
    expect(stub.sessions.get(sessionId)!.status).toBe("expired");
    expect((await product(productId)).stock).toBe(5);
    expect((await order(orderId)).paymentStatus).toBe("unpaid");
  });
});

describe("Stripe Connect", () => {
  it("a merchant connects its account; its orders then use destination charges with the platform fee; refunds reverse the transfer", async () => {
    const connect: Payments = { ...payments, connect: true };
    const owner = await actor("stallOwner");
    const stall = await idOf("T0001");
    await expect(
      connectOnboardingUrl(db(), await actor("resident"), stall, connect, "https://x"),
    ).rejects.toMatchObject({ status: 403 });
    await expect(connectOnboardingUrl(db(), owner, stall, payments, "https://x")).rejects.toMatchObject({
      status: 409,
    });
    const url = await connectOnboardingUrl(db(), owner, stall, connect, "https://xinquan.test");
    expect(url).toContain("/connect/acct_test_");
    const again = await connectOnboardingUrl(db(), owner, stall, connect, "https://xinquan.test");
    expect(again).toBe(url);
    expect(stub.requests.filter((r) => r.path === "/v1/accounts" && r.method === "POST")).toHaveLength(1);
    expect((await refreshConnectedAccount(db(), owner, stall, connect))!.chargesEnabled).toBe(true);

    await expect(setPlatformFee(db(), owner, 250)).rejects.toMatchObject({ status: 403 });
    await expect(setPlatformFee(db(), await actor("admin"), 6000)).rejects.toMatchObject({ status: 400 });
    await setPlatformFee(db(), await actor("admin"), 250);

    const user = await newShopper();
    const a = await newProduct("T0001", "33", 5);
    await addToCart(db(), user, a, 3);
    const [id] = await placeOrders(db(), user, "stripe", await expectedOf(user));
    await checkoutSessionUrl(db(), user, id, connect, "https://xinquan.test");
    const request = stub.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!;
    const account = (await connectedAccount(db(), stall)).stripeAccountId;
    expect(request.body.payment_intent_data).toMatchObject({
      application_fee_amount: "247",
      transfer_data: { destination: account },
    });
    expect((await order(id)).applicationFeeFen).toBe(247);
    await deliver(
      checkoutEvent("checkout.session.completed", completeSession(stub, (await order(id)).stripeSessionId!)),
    );
    await cancelOrder(db(), owner, id, connect);
    const refund = stub.requests.filter((r) => r.path === "/v1/refunds").at(-1)!;
    expect(refund.body).toMatchObject({ reverse_transfer: "true", refund_application_fee: "true" });
  });
});

describe("the stock race", () => {
  it("50 shoppers race for the last 10: exactly 10 orders, stock 0, never below", async () => {
    const a = await newProduct("T0001", "5", 10);
    const shoppers = await Promise.all(Array.from({ length: 50 }, () => newShopper()));
    for (const s of shoppers) await addToCart(db(), s, a, 1);
    const expected = [{ productId: a, quantity: 1, priceFen: 500 }];
    const results = await Promise.allSettled(shoppers.map((s) => placeOrders(db(), s, "at_pickup", expected)));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(10);
    for (const r of lost) expect(r.reason).toMatchObject({ code: "market.errors.outOfStock" });
    expect((await product(a)).stock).toBe(0);
    const shopperIds = shoppers.map((s) => s.userId);
    expect(await rows(orders, inArray(orders.userId, shopperIds))).toBe(10);
    // The losers keep their carts.
    expect(await rows(cartItems, inArray(cartItems.userId, shopperIds))).toBe(40);
  });
});
