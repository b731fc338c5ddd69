import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { createAuth } from "~/domain/accounts/auth.server";
import { addToCart, accountCartLines, cartView } from "~/domain/market/cart.server";
import { eq } from "drizzle-orm";
import { orders } from "../../db/schema";
import { checkoutSessionUrl, placeOrders } from "~/domain/market/orders.server";
import { onNewOrder, type NewOrderEvent } from "~/domain/market/order-events.server";
import type { Payments } from "~/domain/market/stripe.server";
import { handleStripeEvent, verifyStripeEvent } from "~/domain/market/webhook.server";
import { checkoutEvent, completeSession, signEvent, startStripeStub, type StripeStub } from "../helpers/stripe-stub";
import { createProduct } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import { createLogger } from "~/lib/log.server";
import { attachGateway } from "../../livestream/gateway";
import { DEMO_USERS, useTestDatabase, type DemoUserKey } from "../helpers/kit";
import { closeServer, listenLocally } from "../helpers/server";

/** Issue 19, item 2: a new order reaches the sockets of those who may work its board, and nobody else's. */
const kit = useTestDatabase();
const { db, demo, businessId, newShopper } = kit;
let server: http.Server;
let url = "";
let auth: ReturnType<typeof createAuth>;
let stub: StripeStub;
const sockets: Socket[] = [];
beforeAll(async () => {
  stub = await startStripeStub();
  auth = createAuth(db(), { secure: false });
  server = http.createServer();
  attachGateway(server, { db: db(), auth, log: createLogger("silent") });
  url = await listenLocally(server);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await closeServer(server);
  await stub?.close();
});

interface Listener {
  socket: Socket;
  heard: { businessId: number; orderId: number }[];
  watch(id: number): Promise<{ ok: boolean }>;
}

/** A socket signed in as `userId` (none: a visitor) that keeps every "orders:new" it hears. */
async function listener(userId?: string): Promise<Listener> {
  const cookie = userId
    ? auth
        .createSessionCookie((await auth.createSession(userId, {})).id)
        .serialize()
        .split(";")[0]
    : "";
  const socket = connect(url, {
    extraHeaders: { origin: url, ...(cookie ? { cookie } : {}) },
    transports: ["websocket"],
    reconnection: false,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  const heard: Listener["heard"] = [];
  socket.on("orders:new", (event: { businessId: number; orderId: number }) => heard.push(event));
  const watch = (id: number) =>
    new Promise<{ ok: boolean }>((resolve) =>
      socket.emit("orders:watch", id, (answer: { ok: boolean }) => resolve(answer)),
    );
  return { socket, heard, watch };
}
const demoListener = (key: DemoUserKey) => listener(DEMO_USERS[key].id);

/** Resolves when `l` has heard of `orderId`. */
const hears = (l: Listener, orderId: number) =>
  new Promise<void>((resolve) => {
    if (l.heard.some((e) => e.orderId === orderId)) return resolve();
    const check = (event: { orderId: number }) => {
      if (event.orderId !== orderId) return;
      l.socket.off("orders:new", check);
      resolve();
    };
    l.socket.on("orders:new", check);
  });

/** A product `who` (a demo merchant) lists for business `shopId`. */
const listedBy = async (who: DemoUserKey, shopId: number, name: string, price: string, stock: string) =>
  createProduct(db(), await demo(who), shopId, productSchema.parse({ name, price, stock }));

describe("new orders on the merchant's board, live", () => {
  it("reach the owner's and an administrator's board sockets; not another merchant's, the shopper's or a visitor's", async () => {
    const shop = await businessId("S0001");
    const stall = await businessId("T0001");
    const owner = await demoListener("shopOwner");
    const admin = await demoListener("admin");
    const otherMerchant = await demoListener("stallOwner");
    const shopper = await newShopper();
    const shopperSocket = await listener(shopper.userId);
    const visitor = await listener();

    expect(await owner.watch(shop)).toEqual({ ok: true });
    expect(await admin.watch(shop)).toEqual({ ok: true });
    // Asking is not enough: the domain says who may.
    expect(await otherMerchant.watch(shop)).toEqual({ ok: false });
    expect(await otherMerchant.watch(stall)).toEqual({ ok: true });
    expect(await shopperSocket.watch(shop)).toEqual({ ok: false });
    expect(await visitor.watch(shop)).toEqual({ ok: false });
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2]) expect(await owner.watch(bad)).toEqual({ ok: false });

    const noodles = await listedBy("shopOwner", shop, "实时-烩面", "18", "5");
    const liangpi = await listedBy("stallOwner", stall, "实时-凉皮", "6", "5");
    await addToCart(db(), shopper, noodles, 1);
    await addToCart(db(), shopper, liangpi, 1);
    const shown = (await cartView(db(), await accountCartLines(db(), shopper.userId))).flatMap((g) =>
      g.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, priceFen: l.priceFen })),
    );
    const ids = await placeOrders(db(), shopper, "at_pickup", shown);
    expect(ids).toHaveLength(2);
    const [shopOrder, stallOrder] = ids;

    await Promise.all([hears(owner, shopOrder), hears(admin, shopOrder), hears(otherMerchant, stallOrder)]);
    // One more round trip each: anything sent to these sockets before it would have arrived first.
    await Promise.all([owner, admin, otherMerchant, shopperSocket, visitor].map((l) => l.watch(shop)));
    expect(owner.heard).toEqual([{ businessId: shop, orderId: shopOrder }]);
    expect(admin.heard).toEqual([{ businessId: shop, orderId: shopOrder }]);
    expect(otherMerchant.heard).toEqual([{ businessId: stall, orderId: stallOrder }]);
    expect(shopperSocket.heard).toEqual([]);
    expect(visitor.heard).toEqual([]);
  });
});

describe("a Stripe order", () => {
  it("reaches the board when its payment arrives, once however often Stripe repeats the event; not when it is placed", async () => {
    const payments: Payments = {
      stripe: stub.client(),
      paymentMethods: ["card"],
      connect: false,
      webhookSecret: stub.app.webhookSecret,
    };
    const heard: NewOrderEvent[] = [];
    const stop = onNewOrder((event) => heard.push(event));
    try {
      const shop = await businessId("S0001");
      const shopper = await newShopper();
      const product = await listedBy("shopOwner", shop, "实时-礼盒", "45", "3");
      await addToCart(db(), shopper, product, 1);
      const [orderId] = await placeOrders(db(), shopper, "stripe", [
        { productId: product, quantity: 1, priceFen: 4500 },
      ]);
      await checkoutSessionUrl(db(), shopper, orderId, payments, "https://xinquan.test");
      expect(heard).toEqual([]);
      const [{ stripeSessionId }] = await db().select().from(orders).where(eq(orders.id, orderId));
      const event = checkoutEvent("checkout.session.completed", completeSession(stub, stripeSessionId!));
      for (let i = 0; i < 2; i++) {
        const { payload, signature } = signEvent(event, stub.app.webhookSecret);
        await handleStripeEvent(db(), verifyStripeEvent(payments, payload, signature));
      }
      expect(heard).toEqual([{ businessId: shop, orderId }]);
    } finally {
      stop();
    }
  });
});
