import { describe, expect, it } from "vitest";
import { can } from "~/domain/accounts/permissions";
import { formatFen, parseYuan } from "~/domain/market/money";
import { parseCookieCart, serializeCookieCart } from "~/domain/market/cart.server";
import { loadEnv } from "~/lib/env.server";
import { testUser } from "../helpers/user";

const user = testUser;

describe("money in fen", () => {
  it("shows fen as yuan with two decimals", () => {
    expect(formatFen(1250)).toBe("¥12.50");
    expect(formatFen(5)).toBe("¥0.05");
    expect(formatFen(100000)).toBe("¥1000.00");
  });
  it("reads yuan exactly, refusing what is not a price", () => {
    expect(parseYuan("12.5")).toBe(1250);
    expect(parseYuan("12.05")).toBe(1205);
    expect(parseYuan(" 3 ")).toBe(300);
    expect(parseYuan("0.1")).toBe(10);
    for (const bad of ["", "-1", "1.234", "1e3", "abc", "1,5", ".5"]) expect(parseYuan(bad)).toBeNull();
  });
});

describe("the market's permissions", () => {
  it("lets a business's owner and staff manage its products and orders, and administrators; nobody else", () => {
    expect(can(user([], [{ businessId: 7, role: "owner" }]), { action: "product.manage", businessId: 7 })).toBe(true);
    expect(can(user([], [{ businessId: 7, role: "staff" }]), { action: "product.manage", businessId: 7 })).toBe(true);
    expect(can(user([], [{ businessId: 7, role: "owner" }]), { action: "product.manage", businessId: 8 })).toBe(false);
    expect(can(user(["admin"]), { action: "product.manage", businessId: 8 })).toBe(true);
    for (const role of ["president", "moderator", "mediator", "grid_worker"] as const) {
      expect(can(user([role]), { action: "product.manage", businessId: 8 })).toBe(false);
    }
    expect(can(null, { action: "product.manage", businessId: 8 })).toBe(false);
  });
  it("shows an order to its shopper, the business and staff only", () => {
    const order = { action: "order.view", shopperId: "shopper", businessId: 7 } as const;
    expect(can(user([], [], "shopper"), order)).toBe(true);
    expect(can(user([], [], "other"), order)).toBe(false);
    expect(can(user([], [{ businessId: 7, role: "staff" }]), order)).toBe(true);
    expect(can(user([], [{ businessId: 8, role: "owner" }]), order)).toBe(false);
    expect(can(user(["mediator"]), order)).toBe(true);
    expect(can(user(["president"]), order)).toBe(false);
  });
  it("keeps the platform fee to administrators", () => {
    expect(can(user(["admin"]), { action: "market.configure" })).toBe(true);
    expect(can(user(["president"]), { action: "market.configure" })).toBe(false);
    expect(can(user(["grid_worker"]), { action: "market.configure" })).toBe(false);
  });
});

describe("the cart cookie", () => {
  it("round-trips and caps quantities", () => {
    expect(parseCookieCart(serializeCookieCart([{ productId: 3, quantity: 2 }]))).toEqual([
      { productId: 3, quantity: 2 },
    ]);
    expect(parseCookieCart(encodeURIComponent(JSON.stringify([[3, 500]])))).toEqual([{ productId: 3, quantity: 99 }]);
    expect(parseCookieCart(encodeURIComponent(JSON.stringify({ a: 1 })))).toEqual([]);
  });
});

describe("the Stripe settings", () => {
  it("default to card and accept only known payment methods", () => {
    expect(loadEnv({ NODE_ENV: "test" }).STRIPE_PAYMENT_METHODS).toEqual(["card"]);
    expect(
      loadEnv({ NODE_ENV: "test", STRIPE_PAYMENT_METHODS: "card, wechat_pay,alipay" }).STRIPE_PAYMENT_METHODS,
    ).toEqual(["card", "wechat_pay", "alipay"]);
    expect(() => loadEnv({ NODE_ENV: "test", STRIPE_PAYMENT_METHODS: "card,bitcoin" })).toThrow(
      /STRIPE_PAYMENT_METHODS/,
    );
  });
});
