import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { buildDistrict } from "../../db/seed/district";
import { launchBrowser } from "../helpers/browser";
import { fitsWidth, pageErrors, signIn, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

/** Two storefronts the seed leaves vacant, with their street's name and micro-grid. */
const district = buildDistrict();
const occupied = new Set(district.businesses.map((b) => b.storefrontId));
const vacant = district.storefronts
  .filter((s) => !occupied.has(s.id))
  .slice(0, 2)
  .map((s) => ({
    street: district.streets.find((st) => st.id === s.streetId)!.nameZh,
    number: s.number,
    microGrid: district.microGrids.find((m) => m.id === s.microGridId)!.code,
  }));

const app = useApp();
const files = fs.mkdtempSync(path.join(os.tmpdir(), "xq-roster-"));
afterAll(() => {
  fs.rmSync(files, { recursive: true, force: true });
});

function rosterFile(name: string, rows: string[]) {
  const file = path.join(files, name);
  fs.writeFileSync(
    file,
    `\uFEFF名称,类型,类别,街道,门牌号,摊位号,微网格,负责人,联系电话,营业时间,夜市,编号\r\n${rows.join("\r\n")}\r\n`,
  );
  return file;
}

/** Staff (the demo administrator) sign in and land on `to`. */
const signInStaff = (page: Page, to: string) => signIn(page, app.url, "admin", to);

describe.runIf(haveBrowser)("staff keep the roster on a 360 px phone", () => {
  const browser = useBrowser();

  it("uploads a roster, reads the dry run, fixes a refused row, confirms, and finds the new shop on /shops and the map", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await signInStaff(page, "/admin");
    await page.getByRole("link", { name: "商户花名册" }).click();
    await page.waitForURL(`${app.url}/admin/roster`);

    const [a, b] = vacant;
    const good = `晨光豆浆铺,门店,美食,${a.street},${a.number},,${a.microGrid},周  七,139 1234 5678,06:00-13:00,否,`;
    await page
      .getByLabel("花名册文件")
      .setInputFiles(
        rosterFile("first.csv", [good, `错号小店,门店,百货,${b.street},${b.number},,,,12345,08:00-20:00,否,`]),
      );
    await page.getByRole("button", { name: "上传并预检" }).click();
    await page.waitForURL(/\/admin\/roster\/imports\/\d+$/);
    await page.getByText("这是预检结果，还没有写入任何数据。").waitFor();
    await expect
      .poll(() => page.getByTestId("roster-summary").textContent())
      .toBe("新增 1 家，更新 0 家，无变化 0 家，拒绝 1 行，忽略 0 行。");
    const refused = page.locator("tr[data-line='3']");
    expect(await refused.textContent()).toContain("拒绝");
    expect(await refused.textContent()).toContain("电话“12345”不是大陆手机号或带区号的座机号。");
    expect(await page.getByRole("button", { name: "确认导入" }).count()).toBe(0);

    // Nothing was written: the shop is not in the directory yet.
    await page.goto(`${app.url}/shops?q=${encodeURIComponent("晨光豆浆铺")}`);
    await expect.poll(() => page.getByTestId("total").textContent()).toBe("共 0 家");

    await page.goto(`${app.url}/admin/roster`);
    await page.getByLabel("花名册文件").setInputFiles(rosterFile("fixed.csv", [good]));
    await page.getByRole("button", { name: "上传并预检" }).click();
    await page.waitForURL(/\/admin\/roster\/imports\/\d+$/);
    await expect
      .poll(() => page.getByTestId("roster-summary").textContent())
      .toBe("新增 1 家，更新 0 家，无变化 0 家，拒绝 0 行，忽略 0 行。");
    expect(await page.locator("tr[data-line='2']").textContent()).toContain("S0755");
    await fitsWidth(page);
    await page.getByRole("button", { name: "确认导入" }).click();
    await expect.poll(() => page.getByTestId("roster-applied").textContent()).toBe("已导入：新增 1 家，更新 0 家。");

    await page.goto(`${app.url}/shops?q=${encodeURIComponent("晨光豆浆铺")}`);
    await expect.poll(() => page.getByTestId("total").textContent()).toBe("共 1 家");
    await page.getByRole("link", { name: "晨光豆浆铺" }).click();
    await page.waitForURL(/\/shops\/\d+$/);
    await page.getByText(`${a.street} ${a.number} 号`).first().waitFor();

    await page.goto(`${app.url}/map?q=${encodeURIComponent("晨光豆浆铺")}`);
    await expect.poll(() => page.getByTestId("map-matching").textContent()).toBe("符合筛选的店铺：1 家");
    expect(errors).toEqual([]);
  });

  it("exports the roster as XLSX and the file imports back with every row unchanged; refuses a file over 5 MB", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/admin/roster`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Excel (.xlsx)", exact: true }).click();
    const file = path.join(files, "export.xlsx");
    await (await download).saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe("PK");

    await page.getByLabel("花名册文件").setInputFiles(file);
    await page.getByRole("button", { name: "上传并预检" }).click();
    await page.waitForURL(/\/admin\/roster\/imports\/\d+$/);
    // The 882 seeded businesses (and the one imported above, when that test ran first).
    await expect
      .poll(() => page.getByTestId("roster-summary").textContent())
      .toMatch(/^新增 0 家，更新 0 家，无变化 88[23] 家，拒绝 0 行，忽略 0 行。$/);
    await page.getByRole("button", { name: "放弃" }).click();
    await page.getByText("这次导入已放弃，没有写入任何数据。").waitFor();

    await page.goto(`${app.url}/admin/roster`);
    const big = path.join(files, "big.csv");
    fs.writeFileSync(big, `名称,类型,类别\n${"x".repeat(5 * 1024 * 1024)}\n`);
    await page.getByLabel("花名册文件").setInputFiles(big);
    await page.getByRole("button", { name: "上传并预检" }).click();
    // The file is named as refused; the form is still there to choose another.
    await page.getByTestId("file-too-large").getByText("“big.csv”超过 5 MB").waitFor();
    const png = path.join(files, "photo.png");
    fs.writeFileSync(
      png,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
    );
    await page.getByLabel("花名册文件").setInputFiles(png);
    await page.getByRole("button", { name: "上传并预检" }).click();
    await page.getByText("只能上传 CSV 或 Excel（.xlsx）文件。旧版 .xls 请另存为 .xlsx。").waitFor();
  });

  it("refuses the roster to a signed-in resident", async () => {
    const context = await launchBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/login?redirectTo=/admin/roster`);
      await page.getByLabel("手机号").fill("13800000001");
      await page.getByLabel("密码").fill("xinquan2026");
      await page.getByRole("button", { name: "登录" }).click();
      await page.waitForURL(`${app.url}/admin/roster`);
      const response = await page.request.get(`${app.url}/admin/roster/export?format=csv`);
      expect(response.status()).toBe(403);
      expect((await page.goto(`${app.url}/admin/roster`))!.status()).toBe(403);
    } finally {
      await context.close();
    }
  });

  it("changes a micro-grid's leader and the map shows the new one", async () => {
    const context = await launchBrowser();
    const page = await context.newPage();
    await signInStaff(page, "/admin/grids");
    const form = page.locator("form#grid-G1-1");
    await form.getByLabel("姓名").first().fill("新任网格长");
    await form.getByLabel("电话").first().fill("139 8888 0001");
    await form.getByRole("button", { name: "保存" }).click();
    await page.getByText("G1-1 已保存。").waitFor();
    // The grid's panel on the map, and the page of a shop in G1-1, show the new leader at once.
    await page.goto(`${app.url}/map?grid=G1`);
    await page.getByText("新任网格长").first().waitFor();
    const shop = district.businesses.find((b) => {
      const sf = district.storefronts.find((s) => s.id === b.storefrontId);
      return sf && district.microGrids.find((m) => m.id === sf.microGridId)?.code === "G1-1";
    })!;
    await page.goto(`${app.url}/shops/${shop.id}`);
    await expect.poll(() => page.getByTestId("grid-contacts").textContent()).toContain("新任网格长");
    await context.close();
  });
});
