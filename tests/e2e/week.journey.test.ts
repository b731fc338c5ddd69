import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";
import { openPage, postProposal } from "../helpers/journey";

const { browser: haveBrowser, seededDataDir } = inject("e2e");

/** A file the browser uploads: `bytes` long, starting like a JPEG. */
function bigPhoto(name: string, bytes: number) {
  const buffer = Buffer.alloc(bytes, 0x20);
  buffer.set([0xff, 0xd8, 0xff, 0xe0]);
  return { name, mimeType: "image/jpeg", buffer };
}

describe.runIf(haveBrowser)("a week's dead ends, on a 360 px phone", () => {
  let app: RunningApp;
  let browser: BrowserContext;
  let noScript: BrowserContext;
  let clockDir: string;
  beforeAll(async () => {
    // The server reads a clock offset from this file: a proposal's discussion period passes without waiting.
    clockDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-week-clock-"));
    fs.writeFileSync(path.join(clockDir, "offset"), "0");
    app = await startApp({ seededDataDir, env: { XQ_TEST_CLOCK_FILE: path.join(clockDir, "offset") } });
    browser = await launchBrowser({ width: 360, height: 740 });
    noScript = await launchBrowser({ width: 360, height: 740, javaScriptEnabled: false });
  });
  afterAll(async () => {
    if (clockDir) fs.rmSync(clockDir, { recursive: true, force: true });
    await browser?.close();
    await noScript?.close();
    await app?.stop();
  });

  async function signInAs(page: Page, phone: string, to: string, context = browser) {
    await context.clearCookies();
    await context.addCookies([{ name: "xq_locale", value: "zh-CN", url: app.url }]);
    await page.goto(`${app.url}/login?redirectTo=${encodeURIComponent(to)}`);
    await page.getByLabel(/手机号|Mobile/).fill(phone);
    await page.getByLabel(/密码|Password/).fill("xinquan2026");
    await page.getByRole("button", { name: /^(登录|Log in)$/ }).click();
    await page.waitForURL(`${app.url}${to}`);
  }

  const fitsWidth = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  it("a shopper asks for mediation from a shop page: the code is shown and the form opens with the business filled in", async () => {
    const { page, errors } = await openPage(browser);
    await browser.clearCookies();
    await page.goto(`${app.url}/shops/1`);
    await expect.poll(() => page.getByTestId("shop-code").textContent()).toBe("S0001");
    await fitsWidth(page);
    await page.getByRole("link", { name: "申请调解" }).click();
    // Signed out: the login page brings the shopper back to the form.
    await page.getByLabel("手机号").fill("13800000001");
    await page.getByLabel("密码").fill("xinquan2026");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${app.url}/disputes/new?business=S0001`);
    expect(await page.getByLabel("对方店铺编号（如 S0001）").inputValue()).toBe("S0001");
    await page.getByTestId("respondent-name").getByText("老王烩面馆").waitFor();
    await page.getByLabel("纠纷类型").selectOption("goods_prices");
    await page.getByLabel("经过").fill("烩面标价 18 元，结账收了 22 元，店家不肯退。");
    await fitsWidth(page);
    await page.getByRole("button", { name: "提交" }).click();
    await page.waitForURL(/\/disputes\/\d+$/);
    await page.getByText("老王烩面馆").first().waitFor();
    await fitsWidth(page);

    // The same in English.
    await browser.clearCookies();
    await browser.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
    await page.goto(`${app.url}/shops/2`);
    await page.getByRole("link", { name: "Ask for mediation" }).waitFor();
    expect(await page.getByText("Code", { exact: true }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Ask for mediation" }).getAttribute("href")).toBe(
      "/disputes/new?business=S0002",
    );
    await fitsWidth(page);
    expect(errors).toEqual([]);
  });

  it("without JavaScript, a dispute with a photo over 2 MB keeps what was typed and names the refused photo", async () => {
    const page = await noScript.newPage();
    await signInAs(page, "13800000001", "/disputes/new?business=S0001", noScript);
    await page.getByLabel("纠纷类型").selectOption("goods_prices");
    const story = "买的羊肉有异味，店家说是新鲜的。";
    await page.getByLabel("经过").fill(story);
    await page
      .getByLabel(/照片/)
      .setInputFiles([bigPhoto("small.jpg", 10_000), bigPhoto("IMG_2041.jpg", 2 * 1024 * 1024 + 10)]);
    await page.getByRole("button", { name: "提交" }).click();
    await page.getByRole("alert").filter({ hasText: "IMG_2041.jpg" }).waitFor();
    expect(await page.getByRole("alert").filter({ hasText: "IMG_2041.jpg" }).textContent()).toContain("2 MB");
    expect(await page.getByLabel("经过").inputValue()).toBe(story);
    expect(await page.getByLabel("纠纷类型").inputValue()).toBe("goods_prices");
    expect(await page.getByLabel("对方店铺编号（如 S0001）").inputValue()).toBe("S0001");
    expect(new URL(page.url()).pathname).toBe("/disputes/new");
    await fitsWidth(page);

    // Every form with a file names what it refused: the shop photo, the roster upload.
    await signInAs(page, "13800000002", "/shops/1/edit", noScript);
    await page.getByLabel("店铺照片").setInputFiles(bigPhoto("门面.jpg", 3 * 1024 * 1024));
    await page.getByRole("button", { name: "上传照片" }).click();
    await page.getByTestId("file-too-large").getByText("“门面.jpg”超过 2 MB").waitFor();
    await fitsWidth(page);
    await signInAs(page, "13800000010", "/admin/roster", noScript);
    await page
      .getByLabel("花名册文件")
      .setInputFiles({ name: "花名册.csv", mimeType: "text/csv", buffer: Buffer.alloc(5 * 1024 * 1024 + 1, 0x41) });
    await page.getByRole("button", { name: "上传并预检" }).click();
    await page.getByTestId("file-too-large").getByText("“花名册.csv”超过 5 MB").waitFor();
    await fitsWidth(page);
  });

  it("an officer cancels an activity with a reason and the signed-up members are told; the owner had withdrawn another", async () => {
    const { page, errors } = await openPage(browser);
    const districtInput = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    await signInAs(page, "13800000004", "/alliance/activities");
    for (const title of ["夜市消防演练", "商户诚信培训"]) {
      const create = page.locator("details", { has: page.locator("summary", { hasText: "发布活动" }) });
      if ((await create.getAttribute("open")) === null) await create.locator("summary").click();
      await page.getByLabel("标题").fill(title);
      await page.getByLabel("地点").fill("服务大厅");
      await page.getByLabel("开始").fill(districtInput(Date.now() + 48 * 3_600_000));
      await page.getByLabel("结束").fill(districtInput(Date.now() + 50 * 3_600_000));
      await page.getByLabel("说明").fill("各店派一人参加。");
      await page.getByRole("button", { name: "发布活动" }).click();
      await page.getByTestId("activities").getByText(title).waitFor();
    }

    // The owner of S0001 signs up for both, then withdraws from the training.
    await signInAs(page, "13800000002", "/alliance/activities");
    const drill = page.getByTestId("activities").locator("li", { hasText: "夜市消防演练" });
    const training = page.getByTestId("activities").locator("li", { hasText: "商户诚信培训" });
    await drill.getByRole("button", { name: "报名" }).click();
    await expect.poll(() => drill.textContent()).toContain("已报名：老王烩面馆");
    await training.getByRole("button", { name: "报名" }).click();
    await expect.poll(() => training.textContent()).toContain("已报名：老王烩面馆");
    await training.getByRole("button", { name: "取消报名" }).click();
    await expect.poll(() => training.textContent()).toContain("已报名：—");
    await training.getByRole("button", { name: "报名" }).waitFor();
    await fitsWidth(page);

    // The president cancels the drill with a reason.
    await signInAs(page, "13800000004", "/alliance/activities");
    await drill.getByRole("link", { name: "修改或取消" }).click();
    await page.waitForURL(/manage=\d+/);
    const cancel = drill.locator("details", { has: page.locator("summary", { hasText: "取消活动" }) });
    await cancel.locator("summary").click();
    await cancel.getByLabel("原因（会告知已报名的店铺）").fill("暴雨预警，改期另行通知");
    await cancel.getByRole("button", { name: "确认取消活动" }).click();
    await expect
      .poll(() => drill.getByTestId("activity-cancelled").textContent())
      .toBe("已取消：暴雨预警，改期另行通知");
    await fitsWidth(page);

    // The owner is told under 消息, and the activity says so; no sign-up button is left.
    await signInAs(page, "13800000002", "/notifications");
    await page.getByText("你报名的活动“夜市消防演练”已取消：暴雨预警，改期另行通知").waitFor();
    await fitsWidth(page);
    await page.goto(`${app.url}/alliance/activities`);
    await expect.poll(() => drill.getByTestId("activity-cancelled").textContent()).toContain("暴雨预警");
    expect(await drill.getByRole("button", { name: "报名" }).count()).toBe(0);
    expect(await drill.getByRole("button", { name: "取消报名" }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a resident sees why there are no vote buttons; the administrator's dispute list says it is every dispute", async () => {
    const page = await browser.newPage();
    await signInAs(page, "13800000002", "/alliance/proposals/new");
    const proposalPath = await postProposal(page, "市场公厕延长开放时间", "夜市收摊晚，公厕十点就关了。");
    // The minimum discussion period (24 h) is over.
    fs.writeFileSync(path.join(clockDir, "offset"), String(25 * 3_600_000));
    await page.reload();
    await page.getByLabel("投票时长").selectOption("24");
    await page.getByRole("button", { name: "开始投票" }).click();
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("投票中");
    await signInAs(page, "13800000001", proposalPath);
    await expect.poll(() => page.getByTestId("why-no-vote").textContent()).toContain("只有联盟会员店铺能投票");
    expect(await page.getByRole("button", { name: "支持", exact: true }).count()).toBe(0);
    await fitsWidth(page);
    await browser.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
    await page.reload();
    await expect.poll(() => page.getByTestId("why-no-vote").textContent()).toContain("Only member businesses vote");
    await fitsWidth(page);

    await signInAs(page, "13800000010", "/disputes");
    await expect.poll(() => page.locator("h1").textContent()).toBe("全部调解");
    await signInAs(page, "13800000001", "/disputes");
    await expect.poll(() => page.locator("h1").textContent()).toBe("我的调解");
    await fitsWidth(page);
  });
});
