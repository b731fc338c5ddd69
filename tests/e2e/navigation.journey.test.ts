import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");
const pages = ["/", "/shops", "/shops/1", "/map", "/live", "/alliance", "/plaques", "/feedback", "/me", "/cart"];

/** The element is on screen without scrolling: inside a 360 × 740 viewport. */
async function inView(page: Page, testId: string) {
  const box = await page.getByTestId(testId).boundingBox();
  expect(box, testId).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(740);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
}

describe.runIf(haveBrowser)("finding one's way on a 360 px phone", () => {
  const app = useApp();
  const browser = useBrowser();

  it("reaches the cart from every page with one tap, sees its count, and finds the rest under 我的", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    for (const path of pages) {
      await page.goto(`${app.url}${path}`);
      await inView(page, "tab-cart");
      await inView(page, "header-cart");
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }

    // One item in the cart: both badges say so, on the next page too.
    await page.goto(`${app.url}/shops/1`);
    await page.locator('a[href^="/products/"]').first().click();
    await page.getByRole("button", { name: "加入购物车" }).click();
    await page.getByText("已加入购物车。").waitFor();
    await page.goto(`${app.url}/alliance`);
    await expect.poll(() => page.getByTestId("tab-cart").getAttribute("aria-label")).toBe("购物车 1 件");
    expect(await page.getByTestId("header-cart").textContent()).toBe("1");
    // The tab bar's links move within the app (no new document), and mark the current tab.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByTestId("tab-cart").click();
    await page.waitForURL(`${app.url}/cart`);
    await expect.poll(() => page.getByTestId("tab-cart").getAttribute("aria-current")).toBe("page");
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    // 我的 holds signing in, registering and the pages the tab bar has no room for.
    await page.getByRole("link", { name: "我的", exact: true }).click();
    await page.waitForURL(`${app.url}/me`);
    for (const name of ["登录", "注册", "网格地图", "商家联盟", "意见与调解", "挂牌评选"])
      await page.getByRole("link", { name, exact: true }).waitFor();
    await page.getByRole("link", { name: "登录", exact: true }).click();
    await page.getByLabel("手机号").fill("13800000001");
    await page.getByLabel("密码").fill("xinquan2026");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${app.url}/me`);
    // The visitor's cart came along into the account.
    await expect.poll(() => page.getByTestId("tab-cart").getAttribute("aria-label")).toBe("购物车 1 件");
    for (const name of ["我的账户", "我的订单", "网格地图", "商家联盟"])
      await page.getByRole("link", { name, exact: true }).waitFor();
    await page.getByRole("button", { name: "退出" }).waitFor();

    // In English.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("link", { name: "Me", exact: true }).waitFor();
    expect(await page.getByTestId("tab-cart").getAttribute("aria-label")).toBe("Cart: 1");
    await page.getByRole("link", { name: "My orders", exact: true }).click();
    await page.waitForURL(`${app.url}/orders`);
    await expect
      .poll(() => page.getByRole("link", { name: "Me", exact: true }).getAttribute("aria-current"))
      .toBe("page");
    expect(errors).toEqual([]);
  });
});
