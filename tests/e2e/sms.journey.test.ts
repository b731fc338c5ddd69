import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";

const { browser: haveBrowser, seededDataDir } = inject("e2e");

/**
 * The server runs the production build with NODE_ENV=test and no SMS provider: codes go to the
 * development outbox, which `/dev/sms` shows (production answers 404 there: server.test.ts).
 */
describe.runIf(haveBrowser)("proving the phone and recovering the account, on a 360 px phone", () => {
  let app: RunningApp;
  const contexts: BrowserContext[] = [];
  // The server's clock: moved forward instead of waiting out the one-code-a-minute rule.
  const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xq-sms-clock-")), "offset");
  const moveClock = (ms: number) => fs.writeFileSync(clockFile, String(ms));
  beforeAll(async () => {
    moveClock(0);
    app = await startApp({ seededDataDir, env: { NODE_ENV: "test", XQ_TEST_CLOCK_FILE: clockFile } });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await app?.stop();
  });
  const phoneBrowser = async () => {
    const context = await launchBrowser({ width: 360, height: 740 });
    contexts.push(context);
    return context;
  };

  /** Reads the newest code for `phone` from the outbox page, as a developer would. */
  async function codeFromOutbox(context: BrowserContext, phone: string): Promise<string> {
    const outbox = await context.newPage();
    await outbox.goto(`${app.url}/dev/sms`);
    const code = await outbox.locator(`[data-phone="${phone}"] [data-testid="sms-code"]`).first().textContent();
    await outbox.close();
    return code!;
  }

  /** A six-digit code that is not `code`. */
  const notThe = (code: string) => (code === "000000" ? "111111" : "000000");

  /** Sends a form that asks for an SMS code and a password (typed each time: the form does not keep it). */
  async function sendWithCode(
    page: Page,
    form: { code: string; password: string; submit: string },
    code: string,
    password: string,
  ) {
    await page.getByLabel(form.code).fill(code);
    await page.getByLabel(form.password).fill(password);
    await page.getByRole("button", { name: form.submit }).click();
  }

  const fitsWidth = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  it("registers with a code from the outbox (zh), resets the password (en), and the other session ends", async () => {
    const phone = "13955550001";
    const errors: string[] = [];

    // 1. Registering, in Chinese: a wrong code is refused, the right one from /dev/sms works.
    const first = await phoneBrowser();
    const page = await first.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${app.url}/register`);
    await page.getByLabel("手机号").fill(phone);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByText(`验证码已发送到 ${phone}，5 分钟内有效。`).waitFor();
    await fitsWidth(page);
    await page.screenshot({ path: "/tmp/xq-sms-register-zh.png", fullPage: true });
    const code = await codeFromOutbox(first, phone);
    expect(code).toMatch(/^\d{6}$/);
    // Asking again within a minute is refused.
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByText("发送太频繁：同一个手机号 60 秒内只能获取一次验证码。").waitFor();

    const registerForm = { code: "短信验证码", password: "密码", submit: "注册" };
    await page.getByLabel("称呼").fill("短信用户");
    await sendWithCode(page, registerForm, notThe(code), "first password");
    await page.getByText("验证码不正确。").waitFor();
    await sendWithCode(page, registerForm, code, "first password");
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/account/security`);
    await expect.poll(() => page.getByTestId("phone").textContent()).toBe(`${phone} (已验证)`);

    // 2. A second device signs in with the password.
    const second = await phoneBrowser();
    const other = await second.newPage();
    await other.goto(`${app.url}/login?redirectTo=/account`);
    await other.getByLabel("手机号").fill(phone);
    await other.getByLabel("密码").fill("first password");
    await other.getByRole("button", { name: "登录" }).click();
    await other.waitForURL(`${app.url}/account`);
    await page.reload();
    await expect.poll(() => page.getByTestId("sessions").locator("li").count()).toBe(2);

    // 3. Two minutes later, a third, signed-out browser in English: "forgot password", a code, a new password.
    moveClock(2 * 60_000);
    const third = await phoneBrowser();
    const reset = await third.newPage();
    reset.on("pageerror", (e) => errors.push(e.message));
    await reset.goto(`${app.url}/login`);
    await reset.getByRole("button", { name: "English" }).click();
    await expect.poll(() => reset.locator("html").getAttribute("lang")).toBe("en");
    await reset.getByRole("link", { name: "Forgot your password?" }).click();
    await reset.getByRole("heading", { name: "Reset your password" }).waitFor();
    await reset.getByLabel("Mobile number").fill(phone);
    await reset.getByRole("button", { name: "Send code" }).click();
    await reset.getByText(`A code was sent to ${phone}; it is valid for 5 minutes.`).waitFor();
    await fitsWidth(reset);
    const resetCode = await codeFromOutbox(third, phone);
    const resetForm = { code: "SMS code", password: "New password", submit: "Set new password" };
    await sendWithCode(reset, resetForm, notThe(resetCode), "second password");
    await reset.getByText("The code is not correct.").waitFor();
    await sendWithCode(reset, resetForm, resetCode, "second password");
    await reset.waitForURL(/\/account\/security\?done=reset$/);
    await reset.getByText("Your password was reset and every other device was signed out.").waitFor();
    await expect.poll(() => reset.getByTestId("sessions").locator("li").count()).toBe(1);
    await fitsWidth(reset);
    await reset.screenshot({ path: "/tmp/xq-sms-security-en.png", fullPage: true });

    // 4. Both earlier sessions have ended: each device is sent to log in.
    for (const p of [page, other]) {
      await p.goto(`${app.url}/account`);
      await p.waitForURL(/\/login\?redirectTo=%2Faccount$/);
    }
    // The old password no longer works; the new one does.
    await other.getByLabel("手机号").fill(phone);
    await other.getByLabel("密码").fill("first password");
    await other.getByRole("button", { name: "登录" }).click();
    await other.getByText("手机号或密码不正确。").waitFor();
    await other.getByLabel("密码").fill("second password");
    await other.getByRole("button", { name: "登录" }).click();
    await other.waitForURL(`${app.url}/account`);

    // 5. "Sign out everywhere else" from the English browser ends the device that just signed in.
    await reset.reload();
    await expect.poll(() => reset.getByTestId("sessions").locator("li").count()).toBe(2);
    await reset.getByRole("button", { name: "Sign out everywhere else" }).click();
    await reset.getByText("Signed out 1 other devices.").waitFor();
    await other.goto(`${app.url}/account`);
    await other.waitForURL(/\/login\?redirectTo=%2Faccount$/);
    expect(errors).toEqual([]);
  });
});
