import { describe, expect, it, inject } from "vitest";
import { fitsWidth, openPage, signedInPage, signIn, useApp, useBrowsers } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");
/** S0001 老王烩面馆 is /shops/1; its owner is 13800000002. */
const SHOP = 1;
/** A 2×2 PNG, small enough for any photo limit. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==",
  "base64",
);

describe.runIf(haveBrowser)("a merchant keeps a product on a 360 px phone", () => {
  const app = useApp();
  const [merchant, shopper] = useBrowsers(2);

  it("edits name, description, price, stock and photo, hides and shows it, and the shopper sees each change", async () => {
    const { page, errors } = await openPage(merchant);
    /** Saves the edit form and waits for this save's answer: "已保存。" may still show from the last one. */
    const save = async () => {
      const answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/edit"));
      await page.getByRole("button", { name: "保存", exact: true }).click();
      expect((await answered).status()).toBeLessThan(400);
      await page.getByText("已保存。").waitFor();
    };
    await signIn(page, app.url, "shopOwner", `/shops/${SHOP}/products`);

    // A new product, then "编辑" on its row must open the merchant's edit form, not the buy page.
    await page.getByLabel("名称").fill("秘制辣椒油");
    await page.getByLabel("价格（元）").fill("12.50");
    await page.getByLabel("库存").fill("3");
    await page.getByRole("button", { name: "上架", exact: true }).click();
    await page.getByText("已保存。").waitFor();
    const row = page.getByTestId("manage-products").locator("li", { hasText: "秘制辣椒油" });
    await row.getByRole("link", { name: "编辑" }).click();
    await page.waitForURL(/\/products\/\d+\/edit$/);
    const productId = Number(/\/products\/(\d+)\/edit$/.exec(page.url())![1]);
    await page.getByRole("heading", { name: "编辑商品" }).waitFor();
    expect(await page.getByLabel("名称").inputValue()).toBe("秘制辣椒油");
    expect(await page.getByLabel("价格（元）").inputValue()).toBe("12.50");
    expect(await page.getByRole("button", { name: "加入购物车" }).count()).toBe(0);
    await fitsWidth(page);

    // Name, description, a new price, and sold out.
    await page.getByLabel("名称").fill("老王秘制辣椒油");
    await page.getByLabel("介绍").fill("自家熬的，微辣。");
    await page.getByLabel("价格（元）").fill("15");
    await page.getByLabel("库存").fill("0");
    await save();

    // A photo.
    await page.getByLabel("商品照片").setInputFiles({ name: "chili.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("button", { name: "上传照片" }).click();
    await page.locator("img.product-thumb").waitFor();

    const view = await shopper.newPage();
    await view.goto(`${app.url}/products/${productId}`);
    await view.getByRole("heading", { name: "老王秘制辣椒油" }).waitFor();
    await view.getByText("自家熬的，微辣。").waitFor();
    expect(await view.locator(".product-page__price").textContent()).toContain("15.00");
    await view.getByText("已售完").waitFor();
    expect(await view.getByRole("button", { name: "加入购物车" }).count()).toBe(0);
    const photo = view.locator(`img[src^="/media/products/"]`);
    await photo.waitFor();
    const photoStatus = await view.evaluate(
      async (src) => (await fetch(src)).status,
      (await photo.getAttribute("src"))!,
    );
    expect(photoStatus).toBe(200);

    // Restock: the shopper can buy again.
    await page.getByLabel("库存").fill("5");
    await save();
    await view.reload();
    await view.getByText("库存 5 件").waitFor();
    await view.getByRole("button", { name: "加入购物车" }).waitFor();

    // Hidden: shoppers no longer find it; shown again: they do.
    await page.getByLabel("下架（顾客看不到）").check();
    await save();
    expect((await view.goto(`${app.url}/products/${productId}`))!.status()).toBe(404);
    await page.getByLabel("下架（顾客看不到）").uncheck();
    await save();
    expect((await view.goto(`${app.url}/products/${productId}`))!.status()).toBe(200);

    // The same form in English.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Edit product" }).waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("老王秘制辣椒油");
    await fitsWidth(page);
    expect(errors).toEqual([]);
  });
});

describe.runIf(haveBrowser)("a merchant lists a new product with its photo", () => {
  const app = useApp();
  const [merchant, shopper] = useBrowsers(2);

  it("a file that is not a photo is refused with the form kept; a product listed with a photo shows it to shoppers", async () => {
    const { page, errors } = await signedInPage(merchant, app.url, "shopOwner", `/shops/${SHOP}/products`);
    await page.getByLabel("名称").fill("带图的芝麻饼");
    await page.getByLabel("价格（元）").fill("6");
    await page.getByLabel("库存").fill("8");
    await page
      .getByLabel("商品照片")
      .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo") });
    let answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/products"));
    await page.getByRole("button", { name: "上架", exact: true }).click();
    expect((await answered).status()).toBe(400);
    await page.getByText(/^只支持 JPG、PNG 或 WebP 图片/).waitFor();
    expect(await page.getByLabel("名称").inputValue()).toBe("带图的芝麻饼");
    expect(await page.getByTestId("manage-products").getByText("带图的芝麻饼").count()).toBe(0);

    await page.getByLabel("商品照片").setInputFiles({ name: "bing.png", mimeType: "image/png", buffer: PNG });
    answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/products"));
    await page.getByRole("button", { name: "上架", exact: true }).click();
    expect((await answered).status()).toBe(200);
    await page.getByText("已保存。").waitFor();
    const row = page.getByTestId("manage-products").locator("li", { hasText: "带图的芝麻饼" });
    const href = (await row.getByRole("link", { name: "带图的芝麻饼" }).getAttribute("href"))!;
    await fitsWidth(page);

    const view = await shopper.newPage();
    await view.goto(`${app.url}${href}`);
    await view.getByRole("heading", { name: "带图的芝麻饼" }).waitFor();
    const photo = view.locator(`img.product-page__photo`);
    await photo.waitFor();
    const loaded = await photo.evaluate((img: HTMLImageElement) =>
      img.complete ? img.naturalWidth : new Promise((resolve) => (img.onload = () => resolve(img.naturalWidth))),
    );
    // Loaded: its intrinsic width depends on the srcset candidate the browser picked (a 2 px picture under a 320w descriptor).
    expect(loaded).toBeGreaterThan(0);
    await view.goto(`${app.url}/shops/${SHOP}`);
    await view
      .locator("li.product-card", { hasText: "带图的芝麻饼" })
      .locator(`img[src^="/media/products/"]`)
      .waitFor();
    expect(errors).toEqual([]);
  });
});
