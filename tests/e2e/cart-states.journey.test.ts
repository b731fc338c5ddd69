import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { fitsWidth, signedInPage, signIn, useApp, useBrowsers } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");
/** Demo businesses: S0001 老王烩面馆 is /shops/1 (owner 13800000002), stall T0001 赵姐凉皮 is /shops/755. */
const SHOP = 1;
const STALL = 755;

/** Opens a product from its shop's page and waits for its own page. */
async function openProduct(page: Page, appUrl: string, shopId: number, name: string) {
  await page.goto(`${appUrl}/shops/${shopId}`);
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { name }).waitFor();
}

async function addToCart(page: Page, appUrl: string, shopId: number, name: string) {
  await openProduct(page, appUrl, shopId, name);
  await page.getByRole("button", { name: "加入购物车", exact: true }).click();
  await page.getByText("已加入购物车。").waitFor();
}

describe.runIf(haveBrowser)("a cart with a sold-out line, on a 360 px phone, in Chinese and English", () => {
  const app = useApp();
  const [shopper, merchant] = useBrowsers(2);

  it("立即购买 above the stock says so and adds nothing; the cart marks the sold-out line; the rest is ordered and it stays", async () => {
    const { page, errors } = await signedInPage(shopper, app.url, "resident", "/");

    // 凉拌牛肉 has 15 in stock: buying 20 at once is refused on the product page, in words.
    await openProduct(page, app.url, SHOP, "凉拌牛肉");
    const productUrl = page.url();
    await page.getByLabel("数量").fill("20");
    await page.getByRole("button", { name: "立即购买", exact: true }).click();
    await page.getByText("只剩 15 件，没有加入购物车；请减少数量。").waitFor();
    expect(page.url()).toBe(productUrl);
    expect(await page.getByTestId("header-cart").getAttribute("aria-label")).toBe("购物车");
    await fitsWidth(page);

    await addToCart(page, app.url, SHOP, "羊肉烩面（大碗）");
    await addToCart(page, app.url, SHOP, "凉拌牛肉");
    await addToCart(page, app.url, STALL, "手工锅盔");

    // Meanwhile the shop sells its last 凉拌牛肉 at the counter: the owner sets its stock to 0.
    const owner = await merchant.newPage();
    await signIn(owner, app.url, "shopOwner", `/shops/${SHOP}/products`);
    await owner
      .getByTestId("manage-products")
      .locator("li", { hasText: "凉拌牛肉" })
      .getByRole("link", { name: "编辑" })
      .click();
    await owner.getByRole("heading", { name: "编辑商品" }).waitFor();
    await owner.getByLabel("库存").fill("0");
    const saved = owner.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/edit"));
    await owner.getByRole("button", { name: "保存", exact: true }).click();
    expect((await saved).status()).toBe(200);

    await page.goto(`${app.url}/cart`);
    const line = (name: string) => page.getByTestId("cart-line").filter({ hasText: name });
    await line("凉拌牛肉").getByText("已售完").waitFor();
    expect(await line("凉拌牛肉").getAttribute("data-state")).toBe("soldOut");
    expect(await line("羊肉烩面（大碗）").getAttribute("data-state")).toBe("ok");
    await page.getByText("标出状态的商品这次不会下单，会留在购物车里。").waitFor();
    expect(await page.getByTestId("cart-total").textContent()).toContain("¥23.00");
    await fitsWidth(page);

    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Cart" }).waitFor();
    await line("凉拌牛肉").getByText("Sold out").waitFor();
    await page.getByText("Lines marked with a state are not ordered now; they stay in your cart.").waitFor();
    await fitsWidth(page);
    await page.getByRole("button", { name: "Place order", exact: true }).click();
    await page.waitForURL(/\/orders\?placed=\d+,\d+$/);
    await expect.poll(() => page.getByTestId("order-card").count()).toBe(2);

    // The sold-out line is still in the cart, with its state, and cannot be ordered alone.
    await page.goto(`${app.url}/cart`);
    await line("凉拌牛肉").getByText("Sold out").waitFor();
    expect(await page.getByTestId("cart-line").count()).toBe(1);
    await page.getByText("Nothing in your cart can be ordered right now.").waitFor();
    expect(await page.getByRole("button", { name: "Place order", exact: true }).count()).toBe(0);
    await fitsWidth(page);
    expect(errors).toEqual([]);
  });
});
