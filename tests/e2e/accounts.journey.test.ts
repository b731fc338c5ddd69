import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { fitsWidth, pageErrors, signIn, useApp, useBrowser } from "../helpers/journey";
import { smsCodeFromLog } from "../helpers/sms";

const { browser: haveBrowser } = inject("e2e");

describe.runIf(haveBrowser)("a resident's first visit, on a 360 px phone", () => {
  const app = useApp();
  const browser = useBrowser();

  /** On the register page: asks for a code for the phone as typed, enters the one sent, and registers with `name` and `password`. */
  async function register(page: Page, typedPhone: string, name: string, password: string) {
    await page.getByLabel("手机号").fill(typedPhone);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByTestId("code-sent").waitFor();
    await page.getByLabel("短信验证码").fill(await smsCodeFromLog(app.app.output, typedPhone.replaceAll(" ", "")));
    await page.getByLabel("称呼").fill(name);
    await page.getByLabel("密码").fill(password);
    await page.getByRole("button", { name: "注册" }).click();
  }

  it("registers, logs in, switches language, logs out, and is refused a wrong password", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(app.url);
    await expect.poll(() => page.locator("h1").textContent()).toBe("商贸社区诚信商圈");
    // The whole header fits a 360 px screen: nothing scrolls sideways.
    await fitsWidth(page);

    // On a phone the header's links live under 我的 in the tab bar.
    await page.getByRole("link", { name: "我的", exact: true }).click();
    await page.getByRole("link", { name: "注册", exact: true }).click();
    await register(page, "139 1234 0001", "小周", "short");
    await page.getByText("密码至少 8 位。").waitFor();
    await page.getByLabel("密码").fill("a good password");
    await page.getByRole("button", { name: "注册" }).click();
    await page.waitForURL(`${app.url}/`);
    await expect.poll(() => page.getByTestId("unread-count").textContent()).toBe("1");

    await page.getByRole("link", { name: "我的", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("小周");
    await page.getByRole("link", { name: "我的账户", exact: true }).click();
    await page.waitForURL(`${app.url}/account`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("小周");

    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByText("Roles").waitFor();
    await page.getByRole("link", { name: "Messages, 1 unread" }).click();
    await page.getByText("Welcome to Xinquan, 小周!").waitFor();

    await page.getByRole("link", { name: "Me", exact: true }).click();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    await page.getByRole("link", { name: "Log in" }).click();
    await page.getByLabel("Mobile number").fill("13912340001");
    await page.getByLabel("Password").fill("not my password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe("The mobile number or password is not correct.");

    await page.getByLabel("Password").fill("a good password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${app.url}/me`);
    await page.getByRole("link", { name: "Me", exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it("staff issue a claim code, a merchant claims the shop with it once, and the audit log shows both", async () => {
    const staffContext = await launchBrowser();
    const staff = await staffContext.newPage();
    await signIn(staff, app.url, "admin", "/admin/claim-codes");
    await staff.getByLabel("店铺编号").fill("s0200");
    await staff.getByRole("button", { name: "发放认领码" }).click();
    const issued = (await staff.getByTestId("issued-code").textContent())!;
    const code = issued.match(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/)![0];

    const merchantContext = await launchBrowser();
    try {
      const merchant = await merchantContext.newPage();
      await merchant.goto(`${app.url}/register`);
      await register(merchant, "13912340002", "新店主", "a good password");
      await merchant.waitForURL(`${app.url}/`);
      await merchant.getByRole("link", { name: "认领我的店铺" }).click();
      await merchant.getByLabel("认领码").fill("nope-nope-nope");
      await merchant.getByRole("button", { name: "认领" }).click();
      await merchant.getByText("认领码无效，请核对后重试。").waitFor();
      await merchant.getByLabel("认领码").fill(code.toLowerCase());
      await merchant.getByRole("button", { name: "认领" }).click();
      await merchant.getByText(/认领成功：你现在是 .+ 的店主。/).waitFor();
      await merchant.getByLabel("认领码").fill(code);
      await merchant.getByRole("button", { name: "认领" }).click();
      await merchant.getByText("这个认领码已经用过或已作废。").waitFor();
      await merchant.goto(`${app.url}/account`);
      await expect.poll(() => merchant.getByTestId("my-businesses").textContent()).toContain("S0200");
    } finally {
      await merchantContext.close();
    }

    await staff.goto(`${app.url}/admin/audit`);
    const audit = (await staff.getByTestId("audit-log").textContent())!;
    expect(audit).toMatch(/新店主（139\*\*\*\*0002） 用认领码认领了 .+（S0200）/);
    expect(audit).toMatch(/为 .+（S0200） 发放了认领码/);
    await staffContext.close();
  });
});
