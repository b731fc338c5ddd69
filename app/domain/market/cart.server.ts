import { and, asc, eq, inArray, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses, cartItems, products } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { DomainError } from "../errors";
import { columnsOf } from "../../../db/select";

/** A cart line as the cookie keeps it before sign-in. */
export interface CookieLine {
  productId: number;
  quantity: number;
}

export const MAX_QUANTITY = 99;
export const MAX_CART_LINES = 30;

/** Reads the cookie's value; anything malformed is dropped, never trusted. */
export function parseCookieCart(value: string | undefined | null): CookieLine[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(value));
    if (!Array.isArray(parsed)) return [];
    const lines = new Map<number, number>();
    for (const entry of parsed) {
      if (!Array.isArray(entry) || entry.length !== 2) continue;
      const [p, q] = entry as unknown[];
      if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q) || (p as number) <= 0 || (q as number) <= 0) continue;
      lines.set(p as number, Math.min(MAX_QUANTITY, q as number));
    }
    return [...lines].slice(0, MAX_CART_LINES).map(([productId, quantity]) => ({ productId, quantity }));
  } catch {
    return [];
  }
}

export function serializeCookieCart(lines: CookieLine[]): string {
  return encodeURIComponent(JSON.stringify(lines.map((l) => [l.productId, l.quantity])));
}

async function visibleProduct(db: Db, productId: number) {
  const [product] = await db
    .select({ ...columnsOf(products, "id", "hidden", "stock"), status: businesses.status })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(eq(products.id, productId));
  if (!product || product.hidden || product.status !== "open")
    throw new DomainError("market.errors.productNotFound", 404);
  return product;
}

/**
 * Nothing above the shelf goes into a cart: when the line would then hold more than the stock,
 * the shopper is told how many are left and the cart is not changed ("立即购买" included).
 */
function assertWithinStock(stock: number, inCart: number, quantity: number) {
  if (stock <= 0) throw new DomainError("market.errors.soldOut", 409, "quantity");
  if (inCart + quantity > stock)
    throw new DomainError(inCart > 0 ? "market.errors.overStockInCart" : "market.errors.overStock", 409, "quantity", {
      count: stock,
      inCart,
    });
}

/** Adds to a cookie cart (a visitor): returns the new lines. */
export async function addToCookieCart(
  db: Db,
  lines: CookieLine[],
  productId: number,
  quantity: number,
): Promise<CookieLine[]> {
  if (!Number.isSafeInteger(quantity) || quantity <= 0)
    throw new DomainError("market.errors.quantityInvalid", 400, "quantity");
  const { stock } = await visibleProduct(db, productId);
  const existing = lines.find((l) => l.productId === productId);
  assertWithinStock(stock, existing?.quantity ?? 0, quantity);
  if (existing)
    return lines.map((l) =>
      l.productId === productId ? { ...l, quantity: Math.min(MAX_QUANTITY, l.quantity + quantity) } : l,
    );
  if (lines.length >= MAX_CART_LINES) throw new DomainError("market.errors.cartFull", 400);
  return [...lines, { productId, quantity: Math.min(MAX_QUANTITY, quantity) }];
}

export async function addToCart(db: Db, actor: Actor, productId: number, quantity: number) {
  assertCan(actor, { action: "account.use" });
  if (!Number.isSafeInteger(quantity) || quantity <= 0)
    throw new DomainError("market.errors.quantityInvalid", 400, "quantity");
  const { stock } = await visibleProduct(db, productId);
  const [existing] = await db
    .select({ quantity: cartItems.quantity })
    .from(cartItems)
    .where(and(eq(cartItems.userId, actor.userId), eq(cartItems.productId, productId)));
  assertWithinStock(stock, existing?.quantity ?? 0, quantity);
  await db
    .insert(cartItems)
    .values({ userId: actor.userId, productId, quantity: Math.min(MAX_QUANTITY, quantity) })
    .onConflictDoUpdate({
      target: [cartItems.userId, cartItems.productId],
      set: { quantity: sql`least(${MAX_QUANTITY}, ${cartItems.quantity} + excluded.quantity)` },
    });
}

/** Sets a line's quantity; 0 removes it. */
export async function setCartQuantity(db: Db, actor: Actor, productId: number, quantity: number) {
  assertCan(actor, { action: "account.use" });
  if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY)
    throw new DomainError("market.errors.quantityInvalid", 400, "quantity");
  if (quantity === 0) {
    await db.delete(cartItems).where(and(eq(cartItems.userId, actor.userId), eq(cartItems.productId, productId)));
    return;
  }
  await db
    .update(cartItems)
    .set({ quantity })
    .where(and(eq(cartItems.userId, actor.userId), eq(cartItems.productId, productId)));
}

export function setCookieQuantity(lines: CookieLine[], productId: number, quantity: number): CookieLine[] {
  if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY)
    throw new DomainError("market.errors.quantityInvalid", 400, "quantity");
  return quantity === 0
    ? lines.filter((l) => l.productId !== productId)
    : lines.map((l) => (l.productId === productId ? { ...l, quantity } : l));
}

/** Moves a visitor's cookie cart into the account at sign-in: quantities add up, capped; unknown or hidden products are dropped. */
export async function mergeCookieCart(db: Db, userId: string, lines: CookieLine[]) {
  if (lines.length === 0) return;
  await db.transaction(async (tx) => {
    const ids = lines.map((l) => l.productId);
    const available = await tx
      .select({ id: products.id })
      .from(products)
      .innerJoin(businesses, eq(businesses.id, products.businessId))
      .where(and(inArray(products.id, ids), eq(products.hidden, false), eq(businesses.status, "open")));
    const ok = new Set(available.map((p) => p.id));
    for (const line of lines) {
      if (!ok.has(line.productId)) continue;
      await tx
        .insert(cartItems)
        .values({ userId, productId: line.productId, quantity: Math.min(MAX_QUANTITY, line.quantity) })
        .onConflictDoUpdate({
          target: [cartItems.userId, cartItems.productId],
          set: { quantity: sql`least(${MAX_QUANTITY}, ${cartItems.quantity} + excluded.quantity)` },
        });
    }
  });
}

/**
 * What a cart line can do now: `ok` is ordered at checkout; `short` (more in the cart than on the
 * shelf), `soldOut`, `unavailable` (hidden) and `closed` (its business closed) stay in the cart, marked.
 */
export type CartLineState = "ok" | "short" | "soldOut" | "unavailable" | "closed";

export function cartLineState(
  product: { hidden: boolean; businessStatus: string; stock: number },
  quantity: number,
): CartLineState {
  if (product.businessStatus !== "open") return "closed";
  if (product.hidden) return "unavailable";
  if (product.stock <= 0) return "soldOut";
  if (product.stock < quantity) return "short";
  return "ok";
}

export interface CartLineView {
  productId: number;
  name: string;
  priceFen: number;
  quantity: number;
  stock: number;
  state: CartLineState;
  /** Whether the checkout orders it (state `ok`). */
  available: boolean;
  subtotalFen: number;
}

export interface CartGroup {
  businessId: number;
  businessName: string;
  lines: CartLineView[];
  totalFen: number;
}

/** The cart grouped by business, priced from the database. */
export async function cartView(db: Db, lines: CookieLine[]): Promise<CartGroup[]> {
  if (lines.length === 0) return [];
  const rows = await db
    .select({
      ...columnsOf(products, "id", "name", "priceFen", "stock", "hidden", "businessId"),
      businessName: businesses.name,
      businessStatus: businesses.status,
    })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(
      inArray(
        products.id,
        lines.map((l) => l.productId),
      ),
    )
    .orderBy(asc(products.businessId), asc(products.id));
  const quantityOf = new Map(lines.map((l) => [l.productId, l.quantity]));
  const groups = new Map<number, CartGroup>();
  for (const row of rows) {
    const quantity = quantityOf.get(row.id)!;
    const state = cartLineState(row, quantity);
    const available = state === "ok";
    const group = groups.get(row.businessId) ?? {
      businessId: row.businessId,
      businessName: row.businessName,
      lines: [],
      totalFen: 0,
    };
    const subtotalFen = row.priceFen * quantity;
    group.lines.push({
      productId: row.id,
      name: row.name,
      priceFen: row.priceFen,
      quantity,
      stock: state === "unavailable" || state === "closed" ? 0 : row.stock,
      state,
      available,
      subtotalFen,
    });
    if (available) group.totalFen += subtotalFen;
    groups.set(row.businessId, group);
  }
  return [...groups.values()];
}

/**
 * How many items the account `userId` has in its cart (the sum of its lines' quantities, as
 * `cartItemCount` adds them), as an SQL expression: `userId` is a value or an outer query's
 * column, written qualified (see unreadOf).
 */
export function cartQuantityOf(userId: SQLWrapper | string) {
  return sql<number>`(SELECT coalesce(sum(c.quantity), 0)::int FROM cart_items c WHERE c.user_id = ${userId})`;
}

export async function accountCartLines(db: Db, userId: string): Promise<CookieLine[]> {
  return db
    .select({ productId: cartItems.productId, quantity: cartItems.quantity })
    .from(cartItems)
    .where(eq(cartItems.userId, userId))
    .orderBy(asc(cartItems.addedAt));
}
