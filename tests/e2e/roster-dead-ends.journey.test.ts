/**
 * Issue 21 (staff and the roster), at 360 px in Chinese and English: staff move a business to a
 * place in another micro-grid on its edit page, close it and reopen it; staff upload an XLSX file
 * whose phone Excel rounded and are told which line and why.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildDistrict } from "../../db/seed/district";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";

const { browser: haveBrowser, seededDataDir } = inject("e2e");

const district = buildDistrict();
const microGridOf = (storefrontId: number | null | undefined) =>
  district.microGrids.find((m) => m.id === district.storefronts.find((s) => s.id === storefrontId)?.microGridId)!.code;
const occupied = new Set(district.businesses.map((b) => b.storefrontId));
const vacant = district.storefronts
  .filter((s) => !occupied.has(s.id))
  .map((s) => ({
    street: district.streets.find((st) => st.id === s.streetId)!.nameZh,
    number: s.number,
    microGrid: district.microGrids.find((m) => m.id === s.microGridId)!.code,
  }));

const languages = [
  {
    locale: "zh",
    code: "S0006",
    t: {
      phone: "手机号",
      password: "密码",
      login: "登录",
      street: "街道",
      number: "门牌号",
      save: "保存",
      saved: "已保存。",
      close: "关闭这家商户",
      closed: "这家商户已于",
      reopen: "重新开业",
      reopened: "已重新开业。",
      file: "花名册文件",
      upload: "上传并预检",
      refused: "拒绝",
      rounded: "请把“联系电话”一列设置为“文本”格式",
    },
  },
  {
    locale: "en",
    code: "S0008",
    t: {
      phone: "Mobile number",
      password: "Password",
      login: "Log in",
      street: "street",
      number: "number",
      save: "Save",
      saved: "Saved.",
      close: "Close this business",
      closed: "This business was closed on",
      reopen: "Reopen",
      reopened: "Reopened.",
      file: "Roster file",
      upload: "Upload and check",
      refused: "Refused",
      rounded: "Format the phone column as Text",
    },
  },
] as const;

let app: RunningApp;
const files = fs.mkdtempSync(path.join(os.tmpdir(), "xq-roster-ends-"));
const shots = process.env.XQ_SCREENSHOTS_DIR;
beforeAll(async () => {
  app = await startApp({ seededDataDir });
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(files, { recursive: true, force: true });
});

describe.runIf(haveBrowser)("staff and the roster's dead ends at 360 px", () => {
  for (const [i, { locale, code, t }] of languages.entries()) {
    describe(locale, () => {
      let context: BrowserContext;
      let page: Page;
      beforeAll(async () => {
        context = await launchBrowser({ width: 360, height: 740 });
        if (locale === "en") await context.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
        page = await context.newPage();
        page.on("dialog", (dialog) => void dialog.accept());
        await page.goto(`${app.url}/login?redirectTo=/admin`);
        await page.getByLabel(t.phone).fill("13800000010");
        await page.getByLabel(t.password).fill("xinquan2026");
        await page.getByRole("button", { name: t.login }).click();
        await page.waitForURL(`${app.url}/admin`);
      });
      afterAll(async () => {
        await context?.close();
      });

      it("moves a business to a place in another micro-grid, closes it and reopens it", async () => {
        const business = district.businesses.find((b) => b.code === code)!;
        const from = microGridOf(business.storefrontId);
        const to = vacant.filter((v) => v.microGrid !== from)[i];
        await page.goto(`${app.url}/admin/roster/${business.id}`);
        await page.getByLabel(t.street, { exact: true }).selectOption(to.street);
        await page.getByLabel(t.number, { exact: true }).fill(to.number);
        await page.getByRole("button", { name: t.save, exact: true }).click();
        await expect.poll(() => page.getByTestId("roster-saved").textContent()).toBe(t.saved);
        await page.reload();
        expect(await page.getByLabel(t.number, { exact: true }).inputValue()).toBe(to.number);
        await page.getByText(to.microGrid).first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        if (shots) await page.screenshot({ path: path.join(shots, `roster-edit-${locale}.png`), fullPage: true });

        await page.getByRole("button", { name: t.close }).click();
        await expect.poll(() => page.getByTestId("roster-closed").textContent()).toContain(t.closed);
        await page.getByRole("button", { name: t.reopen }).click();
        await expect.poll(() => page.getByTestId("roster-saved").textContent()).toBe(t.reopened);
        await page.getByRole("button", { name: t.close }).waitFor();
        // Open again, at its new place, in the directory.
        const shop = await page.goto(`${app.url}/shops/${business.id}`);
        expect(shop!.status()).toBe(200);
        await page.getByText(`${to.number}`).first().waitFor();
      });

      it("uploads an XLSX whose phone Excel rounded and is told which line and why", async () => {
        const spot = vacant[10 + i];
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet("花名册");
        sheet.addRow([
          "名称",
          "类型",
          "类别",
          "街道",
          "门牌号",
          "摊位号",
          "微网格",
          "负责人",
          "联系电话",
          "营业时间",
          "夜市",
          "编号",
        ]);
        sheet.addRow([
          "四舍五入小店",
          "门店",
          "百货",
          spot.street,
          spot.number,
          "",
          "",
          "王五",
          1.38e10,
          "08:00-20:00",
          "否",
          "",
        ]);
        sheet.getCell("I2").numFmt = "0.00E+00";
        const file = path.join(files, `rounded-${locale}.xlsx`);
        fs.writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));

        await page.goto(`${app.url}/admin/roster`);
        await page.getByLabel(t.file).setInputFiles(file);
        await page.getByRole("button", { name: t.upload }).click();
        await page.waitForURL(/\/admin\/roster\/imports\/\d+$/);
        const row = page.locator("tr[data-line='2']");
        await expect.poll(() => row.textContent()).toContain(t.refused);
        expect(await row.textContent()).toContain("13800000000");
        expect(await row.textContent()).toContain(t.rounded);
        expect(await row.textContent()).not.toMatch(/S\d{4}/);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        if (shots) await page.screenshot({ path: path.join(shots, `roster-rounded-${locale}.png`), fullPage: true });
      });
    });
  }
});
