import { relations, sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt, serialId, intRef } from "./columns";
import { userRef } from "./references";
import { businesses } from "./directory";
import { orderStatuses, paymentMethods, paymentStatuses } from "./enums";

/** Something a business sells. Prices in fen; stock never below zero (a CHECK, and a conditional UPDATE). */
export const products = pgTable(
  "products",
  {
    id: serialId(),
    businessId: intRef("business_id", () => businesses.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    priceFen: integer("price_fen").notNull(),
    stock: integer("stock").notNull().default(0),
    photoPath: text("photo_path"),
    hidden: boolean("hidden").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("products_business_idx").on(t.businessId),
    check("products_price_positive", sql`${t.priceFen} > 0`),
    check("products_stock_not_negative", sql`${t.stock} >= 0`),
  ],
);

/** A signed-in shopper's cart. Before sign-in the cart lives in a cookie and is merged at sign-in. */
export const cartItems = pgTable(
  "cart_items",
  {
    userId: userRef("user_id").notNull(),
    productId: intRef("product_id", () => products.id),
    quantity: integer("quantity").notNull(),
    addedAt: at("added_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.productId] }),
    check("cart_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** One shopper's order from one business, collected at the shop or stall. */
export const orders = pgTable(
  "orders",
  {
    id: serialId(),
    userId: userRef("user_id").notNull(),
    businessId: intRef("business_id", () => businesses.id),
    status: text("status", { enum: orderStatuses }).notNull(),
    paymentMethod: text("payment_method", { enum: paymentMethods }).notNull(),
    paymentStatus: text("payment_status", { enum: paymentStatuses }).notNull().default("unpaid"),
    totalFen: integer("total_fen").notNull(),
    /** The platform's fee on a destination charge (Stripe Connect), else 0. */
    applicationFeeFen: integer("application_fee_fen").notNull().default(0),
    /** Six digits the shopper shows at the counter. */
    pickupCode: text("pickup_code").notNull(),
    stripeSessionId: text("stripe_session_id"),
    stripeSessionUrl: text("stripe_session_url"),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    stripeRefundId: text("stripe_refund_id"),
    createdAt: createdAt(),
    paidAt: at("paid_at"),
    readyAt: at("ready_at"),
    pickedUpAt: at("picked_up_at"),
    cancelledAt: at("cancelled_at"),
    refundedAt: at("refunded_at"),
    /** A pay-at-pickup order holds its stock until then; unpaid and not picked up, it expires (the merchant may extend). */
    reservedUntil: at("reserved_until"),
    /** Wrong pickup codes entered at the counter; at 5 the order locks until the shop cancels it. */
    pickupCodeFailures: integer("pickup_code_failures").notNull().default(0),
  },
  (t) => [
    index("orders_user_idx").on(t.userId),
    index("orders_reserved_until_idx").on(t.reservedUntil),
    index("orders_business_status_idx").on(t.businessId, t.status),
    index("orders_stripe_session_idx").on(t.stripeSessionId),
    index("orders_stripe_payment_intent_idx").on(t.stripePaymentIntentId),
    check("orders_total_positive", sql`${t.totalFen} > 0`),
  ],
);

/** What was bought, at the price and name of the moment of ordering. */
export const orderItems = pgTable(
  "order_items",
  {
    orderId: intRef("order_id", () => orders.id),
    productId: intRef("product_id", () => products.id),
    name: text("name").notNull(),
    unitPriceFen: integer("unit_price_fen").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId] }),
    check("order_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Every Stripe event id handled, once: a repeated delivery finds its id here and changes nothing. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: at("received_at").notNull().defaultNow(),
});

/** A business's connected Stripe account (Stripe Connect), when the platform uses Connect. */
export const businessStripeAccounts = pgTable("business_stripe_accounts", {
  businessId: integer("business_id")
    .primaryKey()
    .references(() => businesses.id),
  stripeAccountId: text("stripe_account_id").notNull().unique(),
  chargesEnabled: boolean("charges_enabled").notNull().default(false),
  updatedAt: updatedAt(),
});

export const productsRelations = relations(products, ({ one }) => ({
  business: one(businesses, { fields: [products.businessId], references: [businesses.id] }),
}));
export const ordersRelations = relations(orders, ({ one, many }) => ({
  business: one(businesses, { fields: [orders.businessId], references: [businesses.id] }),
  items: many(orderItems),
}));
export const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, { fields: [orderItems.orderId], references: [orders.id] }),
}));
