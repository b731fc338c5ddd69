import { count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orderItems, orders, products } from "../../db/schema";
import type { User } from "~/domain/accounts/actor";
import {
  accountCartLines,
  addToCart,
  addToCookieCart,
  cartView,
  type CartLineState,
} from "~/domain/market/cart.server";
import { placeOrders, type ExpectedLine } from "~/domain/market/orders.server";
import { createProduct, setProductHidden, updateProduct } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import { closeBusiness } from "~/domain/roster/roster.server";
import { useTestDatabase } from "../helpers/kit";

/** Issue 19, item 4: each cart line says what it can do; the checkout orders the lines that can be ordered. */
const kit = useTestDatabase();
const { db, demo, businessId, newShopper, expectRefused } = kit;

const input = (price: string, stock: number, name: string) =>
  productSchema.parse({ name, price, stock: String(stock) });
const listed = async (code: string, name: string, stock: number, price = "10") =>
  createProduct(
    db(),
    await demo(code === "T0001" ? "stallOwner" : code === "S0001" ? "shopOwner" : "admin"),
    await businessId(code),
    input(price, stock, name),
  );
const stockOf = async (id: number) => (await db().select().from(products).where(eq(products.id, id)))[0].stock;
const setStock = async (id: number, stock: number, name: string, owner: "shopOwner" | "stallOwner" = "shopOwner") =>
  updateProduct(db(), await demo(owner), id, input("10", stock, name));

/**
 * A new shopper, and the products `lines` list (business code, name, stock, quantity in the cart
 * and, unless 10, price) in that shopper's cart, in order: listed first, then added.
 */
async function shopperWithCart(...lines: [string, string, number, number, string?][]) {
  const user = await newShopper();
  const ids: number[] = [];
  for (const [code, name, stock, , price] of lines) ids.push(await listed(code, name, stock, price));
  for (const [i, [, , , quantity]] of lines.entries()) await addToCart(db(), user, ids[i], quantity);
  return { user, ids };
}

async function view(user: User) {
  return cartView(db(), await accountCartLines(db(), user.userId));
}
const states = async (user: User) =>
  Object.fromEntries((await view(user)).flatMap((g) => g.lines.map((l) => [l.productId, l.state]))) as Record<
    number,
    CartLineState
  >;
/** What the cart page sends at checkout: the lines it showed as orderable. */
const shown = async (user: User): Promise<ExpectedLine[]> =>
  (await view(user)).flatMap((g) =>
    g.lines
      .filter((l) => l.available)
      .map((l) => ({ productId: l.productId, quantity: l.quantity, priceFen: l.priceFen })),
  );
const snapshot = (user: User, ids: number[]) => async () => ({
  orders: (await db().select({ n: count() }).from(orders).where(eq(orders.userId, user.userId)))[0].n,
  stock: await Promise.all(ids.map(stockOf)),
  cart: await accountCartLines(db(), user.userId),
});

describe("cart line states", () => {
  it("marks each line: ok, only N left, sold out, hidden, of a closed business; totals count only the ok lines", async () => {
    const {
      user,
      ids: [ok, short, gone, hidden, closed],
    } = await shopperWithCart(
      ["S0001", "状态-够", 5, 2],
      ["S0001", "状态-少", 5, 4],
      ["S0001", "状态-完", 2, 1],
      ["S0001", "状态-藏", 2, 1],
      ["S0005", "状态-关", 2, 1, "3"],
    );
    await setStock(short, 3, "状态-少");
    await setStock(gone, 0, "状态-完");
    await setProductHidden(db(), await demo("shopOwner"), hidden, true);
    await closeBusiness(db(), await demo("admin"), await businessId("S0005"));
    expect(await states(user)).toEqual({
      [ok]: "ok",
      [short]: "short",
      [gone]: "soldOut",
      [hidden]: "unavailable",
      [closed]: "closed",
    });
    const groups = await view(user);
    const s1 = groups.find((g) => g.lines.some((l) => l.productId === ok))!;
    expect(s1.totalFen).toBe(2000);
    expect(s1.lines.find((l) => l.productId === short)!.stock).toBe(3);
    // What a hidden product or a closed shop holds is not the shopper's business.
    expect(s1.lines.find((l) => l.productId === hidden)!.stock).toBe(0);
    expect(groups.find((g) => g.lines.some((l) => l.productId === closed))!.totalFen).toBe(0);
  });
});

describe("checking out a cart with lines that cannot be ordered", () => {
  it("orders the available lines; the sold-out line stays in the cart with its state; only ordered stock is taken", async () => {
    const {
      user,
      ids: [noodles, chili, liangpi],
    } = await shopperWithCart(["S0001", "下单-烩面", 5, 2], ["S0001", "下单-辣油", 2, 1], ["T0001", "下单-凉皮", 4, 1]);
    await setStock(chili, 0, "下单-辣油");
    expect((await states(user))[chili]).toBe("soldOut");
    const ids = await placeOrders(db(), user, "at_pickup", await shown(user));
    expect(ids).toHaveLength(2);
    const items = await db().select().from(orderItems).where(inArray(orderItems.orderId, ids));
    expect(items.map((i) => [i.productId, i.quantity]).sort()).toEqual(
      [
        [noodles, 2],
        [liangpi, 1],
      ].sort(),
    );
    expect(await stockOf(noodles)).toBe(3);
    expect(await stockOf(liangpi)).toBe(3);
    expect(await stockOf(chili)).toBe(0);
    expect(await accountCartLines(db(), user.userId)).toEqual([{ productId: chili, quantity: 1 }]);
    expect(await states(user)).toEqual({ [chili]: "soldOut" });
    // Restocked, it can be ordered on its own later.
    await setStock(chili, 2, "下单-辣油");
    expect(await placeOrders(db(), user, "at_pickup", await shown(user))).toHaveLength(1);
    expect(await accountCartLines(db(), user.userId)).toEqual([]);
  });

  it("a line over the stock stays; the rest is ordered; lowering it to what is left orders it too", async () => {
    const {
      user,
      ids: [, b],
    } = await shopperWithCart(["S0001", "超量-甲", 5, 1], ["S0001", "超量-乙", 5, 4]);
    await setStock(b, 2, "超量-乙");
    expect((await states(user))[b]).toBe("short");
    await placeOrders(db(), user, "at_pickup", await shown(user));
    expect(await accountCartLines(db(), user.userId)).toEqual([{ productId: b, quantity: 4 }]);
    expect(await stockOf(b)).toBe(2);
  });

  it("stock that ran out after the page was drawn refuses the whole checkout, names the line, writes nothing", async () => {
    const {
      user,
      ids: [a, b],
    } = await shopperWithCart(["S0001", "变了-甲", 5, 1], ["S0001", "变了-乙", 5, 3]);
    const page = await shown(user);
    expect(page).toHaveLength(2);
    await setStock(b, 2, "变了-乙");
    await expectRefused(
      snapshot(user, [a, b]),
      () => placeOrders(db(), user, "at_pickup", page),
      "market.errors.outOfStock",
      409,
    );
    await expect(placeOrders(db(), user, "at_pickup", page)).rejects.toMatchObject({ params: { name: "变了-乙" } });
    // The page drawn again shows the state, and the rest can be ordered.
    expect((await states(user))[b]).toBe("short");
    await placeOrders(db(), user, "at_pickup", await shown(user));
    expect(await accountCartLines(db(), user.userId)).toEqual([{ productId: b, quantity: 3 }]);
  });

  it("a product hidden, or its business closed, after the page was drawn refuses the checkout; drawn again, the rest is ordered", async () => {
    const {
      user,
      ids: [a, h, c],
    } = await shopperWithCart(["S0001", "下架-甲", 5, 1], ["S0001", "下架-乙", 5, 1], ["S0003", "关店-丙", 5, 1]);
    const page = await shown(user);
    await setProductHidden(db(), await demo("shopOwner"), h, true);
    await expectRefused(
      snapshot(user, [a, h, c]),
      () => placeOrders(db(), user, "at_pickup", page),
      "market.errors.productUnavailable",
      409,
    );
    const again = await shown(user);
    expect(again.map((l) => l.productId)).toEqual([a, c]);
    await closeBusiness(db(), await demo("admin"), await businessId("S0003"));
    await expectRefused(
      snapshot(user, [a, h, c]),
      () => placeOrders(db(), user, "at_pickup", again),
      "market.errors.productUnavailable",
      409,
    );
    expect(await states(user)).toEqual({ [a]: "ok", [h]: "unavailable", [c]: "closed" });
    await placeOrders(db(), user, "at_pickup", await shown(user));
    expect((await accountCartLines(db(), user.userId)).map((l) => l.productId).sort()).toEqual([h, c].sort());
  });

  it("refuses a page that claims a line the cart does not hold, the same line twice, or nothing at all", async () => {
    const user = await newShopper();
    const a = await listed("S0001", "伪造-甲", 5);
    const b = await listed("S0001", "伪造-乙", 5);
    await addToCart(db(), user, a, 1);
    const line = (await shown(user))[0];
    const snap = snapshot(user, [a, b]);
    await expectRefused(
      snap,
      () => placeOrders(db(), user, "at_pickup", [line, { productId: b, quantity: 1, priceFen: 1000 }]),
      "market.errors.cartChanged",
      409,
    );
    await expectRefused(
      snap,
      () => placeOrders(db(), user, "at_pickup", [line, line]),
      "market.errors.cartChanged",
      409,
    );
    await expectRefused(snap, () => placeOrders(db(), user, "at_pickup", []), "market.errors.cartChanged", 409);
  });
});

describe("adding more than the stock (加入购物车 and 立即购买)", () => {
  it("says how many are left and adds nothing, to an account's cart and to a visitor's cookie cart", async () => {
    const user = await newShopper();
    const a = await listed("S0001", "库存-甲", 3);
    const cart = () => accountCartLines(db(), user.userId);
    await expectRefused(cart, () => addToCart(db(), user, a, 4), "market.errors.overStock", 409);
    await expect(addToCart(db(), user, a, 4)).rejects.toMatchObject({ params: { count: 3 }, field: "quantity" });
    await addToCart(db(), user, a, 2);
    await expectRefused(cart, () => addToCart(db(), user, a, 2), "market.errors.overStockInCart", 409);
    await addToCart(db(), user, a, 1);
    expect(await cart()).toEqual([{ productId: a, quantity: 3 }]);
    await setStock(a, 0, "库存-甲");
    await expectRefused(cart, () => addToCart(db(), user, a, 1), "market.errors.soldOut", 409);

    const b = await listed("S0001", "库存-乙", 2);
    await expect(addToCookieCart(db(), [], b, 3)).rejects.toMatchObject({
      code: "market.errors.overStock",
      status: 409,
    });
    const lines = await addToCookieCart(db(), [], b, 2);
    await expect(addToCookieCart(db(), lines, b, 1)).rejects.toMatchObject({ code: "market.errors.overStockInCart" });
    expect(lines).toEqual([{ productId: b, quantity: 2 }]);
  });
});
