import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";

const { browser: haveBrowser, seededDataDir } = inject("e2e");

describe.runIf(haveBrowser)("a resident's first visit, on a 360 px phone", () => {
  let app: RunningApp;
  let browser: BrowserContext;
  beforeAll(async () => {
    app = await startApp({ seededDataDir });
    browser = await launchBrowser({ width: 360, height: 740 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("registers, logs in, switches language, logs out, and is refused a wrong password", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(app.url);
    await expect.poll(() => page.locator("h1").textContent()).toBe("商贸社区诚信商圈");
    // The whole header fits a 360 px screen: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.getByRole("link", { name: "注册", exact: true }).click();
    await page.getByLabel("手机号").fill("139 1234 0001");
    await page.getByLabel("称呼").fill("小周");
    await page.getByLabel("密码").fill("short");
    await page.getByRole("button", { name: "注册" }).click();
    await page.getByText("密码至少 8 位。").waitFor();
    await page.getByLabel("密码").fill("a good password");
    await page.getByRole("button", { name: "注册" }).click();
    await page.waitForURL(`${app.url}/`);
    await expect.poll(() => page.getByTestId("unread-count").textContent()).toBe("1");

    await page.getByRole("link", { name: "我的", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("小周");

    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByText("Roles").waitFor();
    await page.getByRole("link", { name: "Messages, 1 unread" }).click();
    await page.getByText("Welcome to Xinquan, 小周!").waitFor();

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole("link", { name: "Log in" }).waitFor();

    await page.getByRole("link", { name: "Log in" }).click();
    await page.getByLabel("Mobile number").fill("13912340001");
    await page.getByLabel("Password").fill("not my password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("The mobile number or password is not correct.");

    await page.getByLabel("Password").fill("a good password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole("link", { name: "Me", exact: true }).waitFor();
    expect(errors).toEqual([]);
  });
});
