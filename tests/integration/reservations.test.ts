import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders, products } from "../../db/schema";
import type { User } from "~/domain/accounts/actor";
import { addToCart, accountCartLines, cartView } from "~/domain/market/cart.server";
import {
  expireReservations,
  extendReservation,
  markPickedUp,
  maxOpenPickupQuantity,
  maxPickupCodeFailures,
  placeOrders,
} from "~/domain/market/orders.server";
import { createProduct } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import { useTestDatabase } from "../helpers/kit";

/** Issue 17, item 9: stock hoarding with pay-at-pickup orders. */
const { db, demo, businessId, newShopper } = useTestDatabase();
const hour = 60 * 60 * 1000;
/** A new shopper of its own (囤货1, 囤货2, …). */
const shopper = () => newShopper("囤货");
const owner = () => demo("shopOwner");
async function product(stock: number) {
  return createProduct(
    db(),
    await owner(),
    await businessId("S0001"),
    productSchema.parse({ name: "限量月饼", price: "8", stock: String(stock) }),
  );
}
const stockOf = async (id: number) => (await db().select().from(products).where(eq(products.id, id)))[0].stock;
const orderRow = async (id: number) => (await db().select().from(orders).where(eq(orders.id, id)))[0];
async function reserve(user: User, productId: number, quantity: number, now: Date) {
  await addToCart(db(), user, productId, quantity);
  const lines = (await cartView(db(), await accountCartLines(db(), user.userId))).flatMap((g) =>
    g.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, priceFen: l.priceFen })),
  );
  return placeOrders(db(), user, "at_pickup", lines, now);
}

describe("pay-at-pickup reservations", () => {
  it("refuses one account holding more than the cap of one product, and writes nothing", async () => {
    const id = await product(200);
    const hoarder = await shopper();
    await reserve(hoarder, id, maxOpenPickupQuantity, new Date());
    const ordersBefore = (await db().select({ n: count() }).from(orders))[0].n;
    await expect(reserve(hoarder, id, 1, new Date())).rejects.toMatchObject({
      code: "security.reservationCap",
      status: 409,
    });
    expect((await db().select({ n: count() }).from(orders))[0].n).toBe(ordersBefore);
    expect(await stockOf(id)).toBe(200 - maxOpenPickupQuantity);
    // Another account may still reserve.
    await expect(reserve(await shopper(), id, 1, new Date())).resolves.toHaveLength(1);
  });

  it("expires an unpaid reservation after 48 hours and puts its stock back; an extended one waits", async () => {
    const id = await product(10);
    const placedAt = new Date("2026-03-01T02:00:00Z");
    const [kept] = await reserve(await shopper(), id, 3, placedAt);
    const [lapsed] = await reserve(await shopper(), id, 4, placedAt);
    expect(await stockOf(id)).toBe(3);
    expect((await orderRow(lapsed)).reservedUntil).toEqual(new Date(placedAt.getTime() + 48 * hour));
    await extendReservation(db(), await owner(), kept, 2, new Date(placedAt.getTime() + 47 * hour));
    await expect(extendReservation(db(), await shopper(), kept, 2)).rejects.toMatchObject({ status: 403 });

    expect(await expireReservations(db(), new Date(placedAt.getTime() + 47 * hour))).not.toContain(lapsed);
    const ended = await expireReservations(db(), new Date(placedAt.getTime() + 49 * hour));
    expect(ended).toContain(lapsed);
    expect(ended).not.toContain(kept);
    expect(await orderRow(lapsed)).toMatchObject({ status: "cancelled" });
    expect(await stockOf(id)).toBe(7);
    // Run again (another process, a retry): nothing ends twice, no stock appears from nowhere.
    expect(await expireReservations(db(), new Date(placedAt.getTime() + 49 * hour))).not.toContain(lapsed);
    expect(await stockOf(id)).toBe(7);
    expect(await expireReservations(db(), new Date(placedAt.getTime() + 97 * hour))).toContain(kept);
    expect(await stockOf(id)).toBe(10);
  });

  it("locks an order after five wrong pickup codes, even for parallel guesses", async () => {
    const id = await product(5);
    const [orderId] = await reserve(await shopper(), id, 1, new Date());
    const code = (await orderRow(orderId)).pickupCode;
    const wrong = Array.from({ length: 30 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const merchant = await owner();
    const outcomes = await Promise.allSettled(wrong.map((c) => markPickedUp(db(), merchant, orderId, c)));
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
    expect((await orderRow(orderId)).pickupCodeFailures).toBe(maxPickupCodeFailures);
    await expect(markPickedUp(db(), merchant, orderId, code)).rejects.toMatchObject({ code: "security.pickupLocked" });
    expect(await orderRow(orderId)).toMatchObject({ status: "new", paymentStatus: "unpaid" });
  });
});
