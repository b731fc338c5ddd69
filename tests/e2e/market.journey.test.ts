import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";
import { signEvent, startStripeStub, type StripeStub } from "../helpers/stripe-stub";
import { fillLogin, fitsWidth, pageErrors, signIn, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser, seededDataDir } = inject("e2e");
/** Demo businesses: S0001 老王烩面馆 is /shops/1 (owner 13800000002), stall T0001 赵姐凉皮 is /shops/755 (13800000003). */
const SHOP = 1;
const STALL = 755;

async function addFromShop(
  page: Page,
  appUrl: string,
  shopId: number,
  product: string,
  intent: "加入购物车" | "立即购买",
) {
  await page.goto(`${appUrl}/shops/${shopId}`);
  await page.getByRole("link", { name: product, exact: true }).click();
  await page.getByRole("heading", { name: product }).waitFor();
  await page.getByRole("button", { name: intent }).click();
  if (intent === "加入购物车") await page.getByText("已加入购物车。").waitFor();
  else await page.waitForURL(`${appUrl}/cart`);
}

/** The merchant's side: the order appears as new, is marked ready, then handed over with the shopper's code. */
async function handOver(appUrl: string, phone: string, shopId: number, orderId: string, code: string) {
  const merchant = await launchBrowser();
  try {
    const page = await merchant.newPage();
    await signIn(page, appUrl, phone, `/shops/${shopId}/orders`);
    const card = (column: string) => page.getByTestId(`board-${column}`).locator(`[data-order-id="${orderId}"]`);
    await card("new").waitFor();
    await card("new").getByRole("button", { name: "备好了，通知取货" }).click();
    await card("ready").waitFor();
    await card("ready")
      .getByLabel("顾客的取货码")
      .fill(code === "000000" ? "999999" : "000000");
    await card("ready").getByRole("button", { name: "已取货" }).click();
    await card("ready").getByText("取货码不对。").waitFor();
    await card("ready").getByLabel("顾客的取货码").fill(code);
    await card("ready").getByRole("button", { name: "已取货" }).click();
    await card("picked_up").waitFor();
    await fitsWidth(page);
  } finally {
    await merchant.close();
  }
}

/** Each order page of the shopper's list: its id and the pickup code shown large. */
async function ordersWithCodes(page: Page, appUrl: string) {
  await page.goto(`${appUrl}/orders`);
  const hrefs = await page
    .getByTestId("order-card")
    .locator("a.order-card__title")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  const result: { id: string; business: string; code: string }[] = [];
  for (const href of hrefs) {
    await page.goto(`${appUrl}${href}`);
    const code = (await page.getByTestId("pickup-code").textContent())!.trim();
    const business = (await page.locator("dd a").first().textContent())!;
    result.push({ id: href.split("/").pop()!, business, code });
  }
  return result;
}

describe.runIf(haveBrowser)("buying from two businesses, on a 360 px phone", () => {
  const browser = useBrowser();

  describe("without Stripe keys: reserve and pay at pickup", () => {
    const app = useApp();

    it("a visitor fills a cart, signs in (the cart comes along), orders; each merchant marks ready and picked up", async () => {
      const page = await browser.newPage();
      const errors = pageErrors(page);
      await page.goto(`${app.url}/shops/${SHOP}`);
      // The plaque, hours and phone block stays above the fold; the products come below it.
      const phone = await page.getByTestId("shop-phone").boundingBox();
      const products = await page.getByTestId("shop-products").boundingBox();
      expect(phone!.y + phone!.height).toBeLessThanOrEqual(740);
      expect(products!.y).toBeGreaterThan(phone!.y);

      await addFromShop(page, app.url, SHOP, "羊肉烩面（大碗）", "加入购物车");
      await addFromShop(page, app.url, STALL, "禹州粉条（1 斤）", "立即购买");
      expect(await page.getByTestId("market-mode").getAttribute("data-mode")).toBe("at_pickup");
      await expect.poll(() => page.getByTestId("cart-group").count()).toBe(2);
      await expect.poll(() => page.getByTestId("cart-total").textContent()).toContain("¥30.00");

      await page.getByRole("link", { name: "登录后下单" }).click();
      await fillLogin(page, "13800000001", `${app.url}/cart`);
      await expect.poll(() => page.getByTestId("cart-group").count()).toBe(2);
      await page.getByRole("button", { name: "下单" }).click();
      await page.waitForURL(/\/orders\?placed=/);
      await expect.poll(() => page.getByTestId("order-card").count()).toBe(2);
      await fitsWidth(page);

      const placed = await ordersWithCodes(page, app.url);
      const shopOrder = placed.find((o) => o.business === "老王烩面馆")!;
      const stallOrder = placed.find((o) => o.business === "赵姐凉皮")!;
      expect(shopOrder.code).toMatch(/^\d{6}$/);
      await handOver(app.url, "13800000002", SHOP, shopOrder.id, shopOrder.code);
      await handOver(app.url, "13800000003", STALL, stallOrder.id, stallOrder.code);

      await page.goto(`${app.url}/orders/${shopOrder.id}`);
      await page.getByText("已取货").first().waitFor();
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe("with Stripe (against the local stub)", () => {
    let app: RunningApp;
    let stub: StripeStub;
    beforeAll(async () => {
      stub = await startStripeStub();
      app = await startApp({ seededDataDir, env: stub.env() });
      stub.app.url = app.url;
    });
    afterAll(async () => {
      await app?.stop();
      await stub?.close();
    });

    it("a shopper pays each order on the (stub) payment page; the webhook marks them paid; the merchant hands over", async () => {
      const context = await launchBrowser();
      const page = await context.newPage();
      await page.goto(`${app.url}/login?redirectTo=%2Fcart`);
      await fillLogin(page, "13800000001", `${app.url}/cart`);
      await addFromShop(page, app.url, SHOP, "凉拌牛肉", "加入购物车");
      await addFromShop(page, app.url, STALL, "手工锅盔", "立即购买");
      expect(await page.getByTestId("market-mode").getAttribute("data-mode")).toBe("stripe");
      await page.getByRole("button", { name: "下单并付款" }).click();
      await page.waitForURL(/\/orders\?placed=/);
      for (let paid = 0; paid < 2; paid++) {
        await page.getByRole("button", { name: "去付款" }).first().click();
        await page.waitForURL(new RegExp(`^${stub.url}/pay/`));
        await page.getByRole("button", { name: "Pay" }).click();
        await page.waitForURL(/\/orders\/\d+\?paid=1$/);
        await page.getByText("新订单").first().waitFor();
        await page.goto(`${app.url}/orders`);
      }
      expect(await page.getByRole("button", { name: "去付款" }).count()).toBe(0);
      const sessions = stub.requests.filter((r) => r.path === "/v1/checkout/sessions");
      expect(
        sessions
          .map((r) => (r.body.line_items as { price_data: { unit_amount: string } }[])[0].price_data.unit_amount)
          .sort(),
      ).toEqual(["2250", "500"]);

      const placed = await ordersWithCodes(page, app.url);
      const shopOrder = placed.find((o) => o.business === "老王烩面馆")!;
      await handOver(app.url, "13800000002", SHOP, shopOrder.id, shopOrder.code);
      await context.close();
    });

    it("answers a badly signed or stale webhook with 400", async () => {
      const event = { id: "evt_e2e_bad", object: "event", type: "checkout.session.completed", data: { object: {} } };
      for (const { payload, signature } of [
        signEvent(event, "whsec_wrong"),
        signEvent(event, stub.app.webhookSecret, Math.floor(Date.now() / 1000) - 3600),
      ]) {
        const response = await fetch(`${app.url}/api/stripe/webhook`, {
          method: "POST",
          headers: { "stripe-signature": signature, "content-type": "application/json" },
          body: payload,
        });
        expect(response.status).toBe(400);
      }
    });
  });
});
