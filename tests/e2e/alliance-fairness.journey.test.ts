import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";
import { openPage, postProposal } from "../helpers/journey";

const { browser: haveBrowser, seededDataDir } = inject("e2e");
const HOUR = 3_600_000;
const shots = process.env.XQ_SCREENSHOTS;

describe.runIf(haveBrowser)("fair votes on a 360 px phone, in Chinese and English", () => {
  let app: RunningApp;
  let browser: BrowserContext;
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

  async function signInAs(page: Page, phone: string, to: string, locale: "zh-CN" | "en" = "zh-CN") {
    await browser.clearCookies();
    await page.goto(`${app.url}/login?redirectTo=${encodeURIComponent(to)}`);
    await page.getByLabel("手机号").fill(phone);
    await page.getByLabel("密码").fill("xinquan2026");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${app.url}${to}`);
    if (locale === "en") {
      await browser.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
      await page.goto(`${app.url}${to}`);
    }
  }

  const fitsPhone = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  it("an election where one person tries to stand for two offices", async () => {
    fs.writeFileSync(clockFile, "0");
    const { page, errors } = await openPage(browser);
    const districtInput = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);
    const now = Date.now();
    await signInAs(page, "13800000010", "/alliance/elections");
    await page.getByTestId("alliance-rules").getByText("50%").waitFor();
    await page.locator("summary", { hasText: "新建选举" }).click();
    await page.getByLabel("届次").fill("第3001届商家联盟换届");
    await page.getByLabel("提名开始").fill(districtInput(now - HOUR));
    await page.getByLabel("提名截止").fill(districtInput(now + HOUR));
    await page.getByLabel("投票开始").fill(districtInput(now + HOUR));
    await page.getByLabel("投票截止").fill(districtInput(now + 2 * HOUR));
    await page.getByRole("button", { name: "新建选举" }).click();
    await page.waitForURL(/\/alliance\/elections\/\d+$/);
    const electionPath = new URL(page.url()).pathname;

    // In Chinese: stands for president, then tries vice-president too and is refused.
    await signInAs(page, "13800000002", electionPath);
    await page.getByText("每人只能参选一个职位；同时拥有多家店铺也只能参选一次。").waitFor();
    await page.locator("#office").selectOption("president");
    await page.getByLabel("参选宣言").fill("为商圈服务");
    await page.getByRole("button", { name: "参选", exact: true }).click();
    await page.getByTestId("candidates-president").getByText("为商圈服务").waitFor();
    await page.locator("#office").selectOption("vice_president");
    await page.getByLabel("参选宣言").fill("也想当副会长");
    await page.getByRole("button", { name: "参选", exact: true }).click();
    await page.getByText("你已经在本次选举中参选了一个职位；每人只能参选一个职位。").waitFor();
    expect(await page.getByTestId("candidates-vice_president").getByText("也想当副会长").count()).toBe(0);
    await fitsPhone(page);
    if (shots) await page.screenshot({ path: path.join(shots, "election-two-offices-zh.png"), fullPage: true });
    // Withdrawing frees them to stand for the other office instead.
    await page.getByTestId("withdraw").click();
    await expect.poll(() => page.getByTestId("candidates-president").getByText("为商圈服务").count()).toBe(0);
    await page.locator("#office").selectOption("vice_president");
    await page.getByLabel("参选宣言").fill("改选副会长");
    await page.getByRole("button", { name: "参选", exact: true }).click();
    await page.getByTestId("candidates-vice_president").getByText("改选副会长").waitFor();

    // In English: the same refusal, in English.
    await signInAs(page, "13800000003", electionPath, "en");
    await page.locator("#office").selectOption("vice_president");
    await page.getByLabel("Statement").fill("Night market voice");
    await page.getByRole("button", { name: "Stand for election" }).click();
    await page.getByTestId("candidates-vice_president").getByText("Night market voice").waitFor();
    await page.locator("#office").selectOption("president");
    await page.getByLabel("Statement").fill("And president");
    await page.getByRole("button", { name: "Stand for election" }).click();
    await page
      .getByText("You already stand for an office in this election; one person stands for one office.")
      .waitFor();
    await fitsPhone(page);
    if (shots) await page.screenshot({ path: path.join(shots, "election-two-offices-en.png"), fullPage: true });

    // Voting: one ballot for a candidate, one blank; the results notice reads right.
    fs.writeFileSync(clockFile, String(1.5 * HOUR));
    await signInAs(page, "13800000004", electionPath);
    await page.getByRole("button", { name: "投空白票（弃权）" }).click();
    await page.getByTestId("receipt").waitFor();
    for (const phone of ["13800000005", "13800000006"]) {
      await signInAs(page, phone, electionPath);
      await page.getByRole("group", { name: "副会长（最多选 2 人）" }).getByRole("checkbox").first().check();
      await page.getByRole("button", { name: "投出选票" }).click();
      await page.getByTestId("receipt").waitFor();
    }
    fs.writeFileSync(clockFile, String(3 * HOUR));
    await signInAs(page, "13800000002", electionPath);
    await expect.poll(() => page.getByTestId("election-turnout").textContent()).toContain("其中空白票 1 张");
    await page.goto(`${app.url}/notifications`);
    await page.getByText("选举结果已公布：第3001届商家联盟换届。").waitFor();
    expect(await page.getByText(/换届换届/).count()).toBe(0);
    await page.goto(`${app.url}/alliance`);
    const officers = (await page.getByTestId("officers").textContent())!;
    expect(officers.split("王建国").length - 1).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });

  it("a proposal reported during voting stays visible and the moderators are told", async () => {
    fs.writeFileSync(clockFile, "0");
    const page = await browser.newPage();
    await signInAs(page, "13800000002", "/alliance/proposals/new");
    const proposalPath = await postProposal(page, "夜市摊位统一收摊时间", "建议夜市统一在凌晨一点收摊。");
    await page.getByTestId("discussion-rule").getByText("议题至少讨论 24 小时后才能开始投票").waitFor();
    await page.getByRole("button", { name: "开始投票" }).click();
    await page.getByText("讨论时间还不够，还不能开始投票；最早投票时间见页面上方。").waitFor();

    fs.writeFileSync(clockFile, String(25 * HOUR));
    await page.goto(`${app.url}${proposalPath}`);
    await page.getByLabel("投票时长").selectOption("24");
    await page.getByRole("button", { name: "开始投票" }).click();
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("投票中");

    for (const phone of ["13800000003", "13800000005", "13800000006"]) {
      await signInAs(page, phone, proposalPath);
      await page.locator("summary", { hasText: "举报" }).first().click();
      await page.getByLabel("举报原因").first().selectOption("spam");
      await page.getByRole("button", { name: "举报", exact: true }).first().click();
      await page.getByText("已举报，谢谢。").waitFor();
    }
    // A resident, in English, still reads it, with its vote.
    await signInAs(page, "13800000001", proposalPath, "en");
    await expect.poll(() => page.locator("h1").textContent()).toBe("夜市摊位统一收摊时间");
    await page.getByTestId("voting").waitFor();
    await fitsPhone(page);

    // The moderator is told, and the review page says it cannot be hidden while the vote is open.
    await signInAs(page, "13800000007", "/notifications", "en");
    await page.getByText("The proposal “夜市摊位统一收摊时间” was reported; see the review page.").first().waitFor();
    await page.goto(`${app.url}/alliance/review`);
    const item = page.getByTestId("review-queue").locator("li", { hasText: "夜市摊位统一收摊时间" });
    await expect.poll(() => item.textContent()).toContain("Voting is open: reports do not hide it");
    expect(await item.getByRole("button", { name: "Hide" }).count()).toBe(0);
    await fitsPhone(page);
    if (shots) await page.screenshot({ path: path.join(shots, "review-voting-en.png"), fullPage: true });
    await signInAs(page, "13800000007", "/alliance/review");
    await expect
      .poll(() => page.getByTestId("review-queue").locator("li", { hasText: "夜市摊位统一收摊时间" }).textContent())
      .toContain("投票进行中：举报不会隐藏议题");
    if (shots) await page.screenshot({ path: path.join(shots, "review-voting-zh.png"), fullPage: true });
  });
});
