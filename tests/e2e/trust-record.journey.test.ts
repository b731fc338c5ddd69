/**
 * Issue 16 in the browser, at 360 px, in Chinese and English: a shopper scans a printed plaque
 * (its QR code decoded from the print page's own image), reads the shop's trust record, complains
 * with a photo, gets a case number and follows it after an officer acts; a revoked plaque prints
 * void.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, inject, it } from "vitest";
import { fitsWidth, openPage, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

interface ListedBusiness {
  id: number;
  code: string;
  name: string;
  plaques: { kind: string; year: number; code: string }[];
}

describe.runIf(haveBrowser)("the trust record behind a plaque, on a 360 px phone", () => {
  const app = useApp();
  const browser = useBrowser();
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), "xq-trust-"));

  /** Two shops with a current plaque, owned by nobody this journey signs in as. */
  async function plaquedShops() {
    const list = (await (await fetch(`${app.url}/api/v1/businesses?kind=shop&perPage=100&page=1`)).json()) as {
      items: ListedBusiness[];
    };
    const shops = list.items.filter((b) => b.plaques.length > 0 && !/^S000[1-5]$/.test(b.code));
    expect(shops.length).toBeGreaterThanOrEqual(2);
    return shops;
  }

  it("a shopper scans a printed plaque, reads the record, complains with a photo and follows the case; in Chinese and English", async () => {
    const { page, errors } = await openPage(browser);
    const [shop] = await plaquedShops();
    const plaqueCode = shop.plaques[0].code;

    // Staff print the plaque; the test reads its QR code from the page's own image.
    await app.signInAs(page, "13800000010", `/verify/${plaqueCode}/print`);
    const qr = page.getByTestId("plaque-qr");
    await qr.waitFor();
    expect(await page.getByTestId("print-void").count()).toBe(0);
    const image = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(`${app.url}/verify/${plaqueCode}`);

    // The shopper opens what the QR code says, and reads the record the API gives too.
    await app.signInAs(page, "13800000001", "/me");
    await page.goto(decoded!.data);
    await page.getByTestId("trust-record").waitFor();
    expect(await page.getByTestId("verdict").textContent()).toBe("真牌 · 有效");
    const api = (await (await fetch(`${app.url}/api/v1/businesses/${shop.id}`)).json()) as {
      trustRecord: { complaints: { total: number; open: number }; standing: "good" | "attention" };
    };
    const record = page.getByTestId("trust-record");
    expect(
      await record.getByRole("heading", { name: `收到的投诉：${api.trustRecord.complaints.total} 件` }).count(),
    ).toBe(1);
    expect(await page.getByTestId("trust-standing").textContent()).toBe(
      api.trustRecord.standing === "good" ? "良好" : "需关注",
    );
    await record.getByText("怎么算的").click();
    await page.getByTestId("trust-rules").locator("li").first().waitFor();
    expect(await page.getByTestId("trust-rules").locator("li").count()).toBe(3);
    await fitsWidth(page);
    await page.screenshot({ path: path.join(shots, "verify-zh.png"), fullPage: true });

    // 投诉这家店, with a photo as evidence.
    await page.getByTestId("complain-link").click();
    await page.waitForURL(`${app.url}/shops/${shop.id}/complain?from=plaque`);
    await page.getByTestId("complaint-form").waitFor();
    const photoFile = path.join(shots, "evidence.png");
    const evidence = new PNG({ width: 40, height: 30 });
    evidence.data.fill(180);
    fs.writeFileSync(photoFile, PNG.sync.write(evidence));
    await page.getByLabel("投诉内容").fill("秤不准，买一斤少了二两");
    await page.getByLabel("照片证据（可选）").setInputFiles(photoFile);
    await fitsWidth(page);
    await page.getByRole("button", { name: "提交投诉", exact: true }).click();
    await page.waitForURL(/\/cases\/XQ-\d{4}-\d{6}\?filed=1$/);
    const caseNumber = (await page.getByTestId("case-number-filed").textContent())!;
    expect(caseNumber).toMatch(/^XQ-\d{4}-\d{6}$/);
    expect(await page.getByTestId("case-status").textContent()).toBe("已受理，等待工作台处理");
    expect(await page.getByTestId("case-page").textContent()).not.toContain("秤不准");
    await fitsWidth(page);

    // The record now counts it as open, on the shop page.
    await page.goto(`${app.url}/shops/${shop.id}`);
    await page.getByTestId("trust-record").waitFor();
    expect(await page.getByTestId("trust-complaints").locator('[data-outcome="open"] dd').textContent()).toBe(
      String(api.trustRecord.complaints.open + 1),
    );
    await fitsWidth(page);
    await page.screenshot({ path: path.join(shots, "shop-zh.png"), fullPage: true });

    // An officer at the desk, with the photo, sends it to the merchant.
    await app.signInAs(page, "13800000010", "/desk");
    const item = page.locator("li[data-feedback-id]", { hasText: "秤不准，买一斤少了二两" });
    await item.getByRole("link", { name: /^#\d+$/ }).click();
    await page.getByTestId("feedback-case").waitFor();
    expect(await page.getByTestId("feedback-case").textContent()).toBe(caseNumber);
    const img = page.getByTestId("feedback-photos").locator("img");
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(40);
    await page.goBack();
    const sent = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/desk"));
    await item.getByRole("button", { name: "转给商户", exact: true }).click();
    await sent;
    await expect.poll(() => item.getByTestId("feedback-status").textContent()).toBe("已转商户");

    // The shopper follows it from a verify page (typing the number) and from their account.
    await app.signInAs(page, "13800000001", `/verify/${plaqueCode}`);
    await page.getByLabel("案件编号").fill(caseNumber.toLowerCase());
    await page.getByRole("button", { name: "查询", exact: true }).click();
    await page.waitForURL(`${app.url}/cases/${caseNumber}`);
    await expect.poll(() => page.getByTestId("case-status").textContent()).toBe("已转给商户，等待答复");
    expect(await page.getByTestId("case-steps").locator("li").count()).toBe(2);
    await page.goto(`${app.url}/me`);
    await page.getByRole("link", { name: "我的投诉", exact: true }).click();
    await page.waitForURL(`${app.url}/cases`);
    await page.getByTestId("my-cases").getByRole("link", { name: caseNumber }).waitFor();

    // In English: the case, the verify page and the shop page.
    await page.context().addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
    await page.goto(`${app.url}/cases/${caseNumber}`);
    await expect.poll(() => page.getByTestId("case-status").textContent()).toBe("Sent to the merchant for an answer");
    await fitsWidth(page);
    await page.goto(decoded!.data);
    await page.getByRole("heading", { name: "Trust record" }).waitFor();
    expect(await page.getByTestId("complain-link").textContent()).toBe("Complain about this shop");
    await fitsWidth(page);
    await page.screenshot({ path: path.join(shots, "verify-en.png"), fullPage: true });
    await page.goto(`${app.url}/shops/${shop.id}`);
    await page.getByRole("heading", { name: "Trust record" }).waitFor();
    await fitsWidth(page);
    await page.screenshot({ path: path.join(shots, "shop-en.png"), fullPage: true });
    await page.goto(`${app.url}/shops/${shop.id}/complain`);
    await page.getByRole("button", { name: "Send complaint", exact: true }).click();
    await page.getByText("Please fill this in.").waitFor();
    await fitsWidth(page);
    await page.context().clearCookies();
    console.log(`trust-record journey screenshots: ${shots}`);
    expect(errors).toEqual([]);
  });

  it("a revoked plaque's print page shows it revoked across the sheet, with the reason", async () => {
    const { page, errors } = await openPage(browser);
    const shops = await plaquedShops();
    const plaqueCode = shops[1].plaques[0].code;
    await app.signInAs(page, "13800000010", `/verify/${plaqueCode}`);
    await page.locator("summary", { hasText: "摘牌" }).click();
    await page.getByTestId("revoke-form").getByRole("textbox").fill("经核实存在欺诈行为");
    await page.getByTestId("revoke-form").getByRole("button").click();
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("已摘牌");
    await page.goto(`${app.url}/verify/${plaqueCode}/print`);
    await page.getByTestId("print-void").waitFor();
    expect(await page.getByTestId("print-void").textContent()).toBe("已摘牌 · 作废");
    expect(await page.getByTestId("print-plaque").getAttribute("data-verdict")).toBe("revoked");
    expect(await page.getByTestId("print-void-reason").textContent()).toContain("经核实存在欺诈行为");
    await fitsWidth(page);
    await page.screenshot({ path: path.join(shots, "print-revoked-zh.png"), fullPage: true });
    await page.context().addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
    await page.reload();
    expect(await page.getByTestId("print-void").textContent()).toBe("REVOKED · VOID");
    await fitsWidth(page);
    await page.context().clearCookies();
    expect(errors).toEqual([]);
  });
});
