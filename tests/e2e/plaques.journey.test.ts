import { describe, expect, inject, it } from "vitest";
import { fitsWidth, openPage, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

/** A calendar day in the district (Asia/Shanghai), `days` from now. */
const districtDay = (days: number) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(Date.now() + days * 86_400_000));

describe.runIf(haveBrowser)("the yearly plaque selection, on a 360 px phone", () => {
  const app = useApp();
  const browser = useBrowser();

  it("staff open a round, an officer nominates, staff award, a shopper verifies the plaque, staff revoke, the shopper sees it revoked", async () => {
    const { page, errors } = await openPage(browser);

    // A shop without any plaque, from the open data API.
    const list = (await (await fetch(`${app.url}/api/v1/businesses?kind=shop&perPage=100&page=3`)).json()) as {
      items: { code: string; name: string; plaques: unknown[] }[];
    };
    const shop = list.items.find((b) => b.plaques.length === 0)!;
    const nextYear = Number(districtDay(0).slice(0, 4)) + 1;

    // A shopper (not signed in) searches for it: no plaque. This fills the page cache for the search.
    await browser.clearCookies();
    const search = `${app.url}/shops?q=${encodeURIComponent(shop.name)}`;
    await page.goto(search);
    const card = page.getByTestId("business-card").filter({ hasText: shop.name }).first();
    await card.waitFor();
    expect(await card.locator("[data-plaque]").count()).toBe(0);

    // Staff open next year's round for recommended trusted shops, from the admin page.
    await app.signInAs(page, "13800000010", "/admin");
    await page.getByRole("link", { name: "挂牌评选管理" }).click();
    await page.waitForURL(`${app.url}/admin/plaques`);
    const openForm = page.getByTestId("open-round-form");
    await openForm.getByLabel("牌匾类型").selectOption("recommended");
    expect(await openForm.getByLabel("年度").inputValue()).toBe(String(nextYear));
    await openForm.getByLabel("评选标准").fill("诚信经营、明码标价，近 12 个月无属实投诉。");
    await openForm.getByLabel("推荐开始日").fill(districtDay(0));
    await openForm.getByLabel("推荐截止日（含）").fill(districtDay(14));
    await openForm.getByLabel("评议开始日").fill(districtDay(0));
    await openForm.getByLabel("评议截止日（含）").fill(districtDay(30));
    await openForm.getByRole("button", { name: "开启评选" }).click();
    await page.getByRole("link", { name: `已开启 ${nextYear} 年度党支部推荐放心店评选。` }).click();
    await page.waitForURL(/\/plaques\/rounds\/\d+$/);
    const roundPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId("round-phase").textContent()).toBe("接受推荐中");
    await fitsWidth(page);

    // The president nominates the shop from /plaques.
    await app.signInAs(page, "13800000004", "/plaques");
    await page.getByTestId("open-rounds").getByRole("link", { name: "推荐商户" }).click();
    await page.waitForURL(`${app.url}${roundPath}`);
    const nominateForm = page.getByTestId("nominate-form");
    await nominateForm.getByLabel("店铺编号").fill(shop.code);
    await nominateForm.getByLabel("推荐理由").fill("街坊口碑好，从不缺斤短两。");
    await nominateForm.getByRole("button", { name: "提交推荐" }).click();
    await page.getByText("推荐已提交，等待评议。").waitFor();
    // A second nomination of the same shop is refused, with the reason on the form.
    await nominateForm.getByLabel("店铺编号").fill(shop.code);
    await nominateForm.getByLabel("推荐理由").fill("再推荐一次");
    await nominateForm.getByRole("button", { name: "提交推荐" }).click();
    await page.getByText("这家商户在这一轮评选中已经被推荐过了。").waitFor();
    await fitsWidth(page);

    // Two staff decisions: the grid worker may not review at all; the administrator reviews the
    // record and recommends the award, and cannot confirm it alone; the mediator confirms it.
    await app.signInAs(page, "13800000010", roundPath);
    const item = page.locator("li[data-nomination-id]", { hasText: shop.name });
    await item.getByRole("link", { name: "评议" }).click();
    await page.waitForURL(/\/admin\/plaques\/nominations\/\d+$/);
    const sheetPath = new URL(page.url()).pathname;
    await page.getByTestId("record-complaints").waitFor();
    await page.getByTestId("complaints-by-outcome").waitFor();
    await fitsWidth(page);
    await page.getByLabel("评议意见").fill("明码标价，群众满意度高。");
    await page.getByRole("button", { name: "建议授牌" }).click();
    await expect.poll(() => page.getByTestId("recommended").textContent()).toContain("另一位工作人员确认");
    expect(await page.getByTestId("decide-form").count()).toBe(0);
    expect(await page.getByTestId("award-code").count()).toBe(0);
    await fitsWidth(page);
    await page.screenshot({ path: "/tmp/coi-sheet.png", fullPage: true });
    await app.signInAs(page, "13800000012", "/");
    expect((await page.goto(`${app.url}${sheetPath}`))?.status()).toBe(403);
    await app.signInAs(page, "13800000011", sheetPath);
    await expect.poll(() => page.getByTestId("recommended").textContent()).toContain("吴静");
    await page.getByLabel("评议意见").fill("同意授牌。");
    await page.getByRole("button", { name: "确认授牌" }).click();
    const codeLink = page.getByTestId("award-code");
    await codeLink.waitFor();
    const code = (await codeLink.textContent())!.trim();
    expect(code).toMatch(/^[0-9a-z]{26}$/);

    // The shopper sees it at once in the directory (the cached page is not served) and verifies the code.
    await browser.clearCookies();
    await page.goto(search);
    await expect.poll(() => card.locator('[data-plaque="recommended"]').count()).toBe(1);
    await page.goto(`${app.url}/verify/${code}`);
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("真牌 · 有效");
    await page.getByText("明码标价，群众满意度高。").waitFor();
    await fitsWidth(page);
    // /plaques lists it among next year's holders.
    await page.goto(`${app.url}/plaques?year=${nextYear}`);
    await page.getByTestId("holders-recommended").getByRole("link", { name: shop.name }).waitFor();
    await fitsWidth(page);

    // Staff revoke it (摘牌) on its verify page.
    await app.signInAs(page, "13800000010", `/verify/${code}`);
    await page.locator("summary", { hasText: "摘牌" }).click();
    await page.getByLabel("摘牌原因").fill("经核实存在价格欺诈。");
    await page.getByTestId("revoke-form").getByRole("button", { name: "确认摘牌" }).click();
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("已摘牌");

    // The shopper sees "revoked" from then on, and the directory no longer shows the plaque.
    await browser.clearCookies();
    await page.goto(`${app.url}/verify/${code}`);
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("已摘牌");
    // The verdict's own sentence, and the trust record's line for the revocation, both give the reason.
    await page.getByText(/被摘除。原因：经核实存在价格欺诈。/).waitFor();
    expect(await page.getByTestId("trust-revocation").textContent()).toContain("原因：经核实存在价格欺诈。");
    await page.goto(search);
    await card.waitFor();
    await expect.poll(() => card.locator("[data-plaque]").count()).toBe(0);

    // In English too.
    await page.goto(`${app.url}/plaques?year=${nextYear}`);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: `Plaque holders ${nextYear}` }).waitFor();
    await page.getByTestId("holders-recommended").getByText("Revoked", { exact: true }).waitFor();
    await fitsWidth(page);
    await page.goto(`${app.url}/verify/${code}`);
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("Revoked");
    expect(errors).toEqual([]);
  });
});
