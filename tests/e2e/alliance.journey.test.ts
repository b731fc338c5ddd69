import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";

const { browser: haveBrowser, seededDataDir } = inject("e2e");

describe.runIf(haveBrowser)("the merchant alliance board, on a 360 px phone", () => {
  let app: RunningApp;
  let browser: BrowserContext;
  // The server reads its clock offset from this file, so the test moves time instead of waiting.
  const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xq-clock-")), "offset");
  beforeAll(async () => {
    fs.writeFileSync(clockFile, "0");
    app = await startApp({ seededDataDir, env: { XQ_TEST_CLOCK_FILE: clockFile } });
    browser = await launchBrowser({ width: 360, height: 740 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(path.dirname(clockFile), { recursive: true, force: true });
  });

  async function signInAs(page: Page, phone: string, to: string) {
    await browser.clearCookies();
    await page.goto(`${app.url}/login?redirectTo=${encodeURIComponent(to)}`);
    await page.getByLabel("手机号").fill(phone);
    await page.getByLabel("密码").fill("xinquan2026");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${app.url}${to}`);
  }

  it("a merchant proposes, three merchants vote, the window closes, the outcome shows, an officer follows up", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(app.url);
    await page.getByRole("link", { name: "商家联盟", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("商家联盟");
    await page.getByTestId("proposal-list").getByText("夜市共用冷柜和餐具消毒点").waitFor();

    await signInAs(page, "13800000002", "/alliance/proposals/new");
    await page.getByLabel("标题").fill("周末营业时间统一延长");
    // Similar proposals are suggested while the title is typed.
    await expect.poll(() => page.getByTestId("similar").textContent()).toContain("统一延长周末营业时间到晚上十点");
    await page.getByLabel("内容").fill("周末晚上客流大，建议商业街统一营业到 23:00。");
    await page.getByRole("button", { name: "发布讨论" }).click();
    await page.waitForURL(/\/alliance\/proposals\/\d+$/);
    const proposalPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("讨论中");

    await page.getByLabel("投票时长").selectOption("24");
    await page.getByRole("button", { name: "开始投票" }).click();
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("投票中");
    await page.getByText("至少 3 家会员店铺（共 6 家）参与").waitFor();

    for (const [phone, choice] of [
      ["13800000003", "支持"],
      ["13800000004", "支持"],
      ["13800000005", "反对"],
    ] as const) {
      await signInAs(page, phone, proposalPath);
      await page.getByRole("button", { name: choice, exact: true }).click();
      await expect.poll(() => page.getByTestId("my-vote").textContent()).toContain(`已投：${choice}`);
    }
    await expect.poll(() => page.getByTestId("tally").textContent()).toContain("支持 2 · 反对 1 · 弃权 0");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // A day later the window has closed.
    fs.writeFileSync(clockFile, String(25 * 3_600_000));
    await signInAs(page, "13800000002", proposalPath);
    await expect.poll(() => page.getByTestId("outcome").textContent()).toContain("议题通过");
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("已通过");
    expect(await page.getByRole("button", { name: "支持", exact: true }).count()).toBe(0);
    await page.goto(`${app.url}/notifications`);
    await page.getByText("你的议题“周末营业时间统一延长”已通过。").waitFor();

    await signInAs(page, "13800000004", proposalPath);
    await page.getByLabel("进展").selectOption("planned");
    await page.getByLabel("说明").fill("下周一起按新时间营业，联盟统一通知。");
    await page.getByRole("button", { name: "记录落实情况" }).click();
    await expect.poll(() => page.getByTestId("follow-ups").textContent()).toContain("下周一起按新时间营业");

    await signInAs(page, "13800000002", proposalPath);
    await expect.poll(() => page.getByTestId("follow-ups").textContent()).toContain("已计划");
    expect(errors).toEqual([]);
  });
});
