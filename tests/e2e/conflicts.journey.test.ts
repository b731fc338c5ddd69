import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { openPage, signIn, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

describe.runIf(haveBrowser)("no one judges their own case, on a 360 px phone, in Chinese and English", () => {
  const app = useApp();
  const browser = useBrowser();

  async function signInAs(page: Page, phone: string, to: string) {
    await signIn(page, app.url, phone, to, { fresh: true });
    // The address changes before the new page has rendered: wait until the login form is gone.
    await expect.poll(() => page.locator('main input[type="password"]').count()).toBe(0);
  }

  const fitsWidth = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  it("the moderator, linked as the grid worker of their own shop's micro-grid, sees no trace of the dispute against it at the desk; it goes to the next person, named", async () => {
    const { page, errors } = await openPage(browser);
    const s0005 = (await (await fetch(`${app.url}/api/v1/businesses/5`)).json()) as {
      code: string;
      microGrid: string;
    };
    expect(s0005.code).toBe("S0005");

    // The administrator links the moderator's account (周敏, owner of S0005) as that micro-grid's grid worker.
    await signInAs(page, "13800000010", "/admin/grids");
    const gridForm = page.locator(`#grid-${s0005.microGrid}`);
    await gridForm.locator("fieldset").nth(1).getByLabel("关联账号（手机号，可不填）").fill("13800000007");
    await gridForm.getByRole("button", { name: "保存" }).click();
    await page.getByText(`${s0005.microGrid} 已保存。`).waitFor();
    await expect
      .poll(() => page.locator(`#grid-${s0005.microGrid}`).locator("fieldset").nth(1).textContent())
      .toContain("已关联：周敏");
    await gridForm.screenshot({ path: "/tmp/coi-grids.png" });

    // A shopper files a dispute against S0005; the form says what is public and who is told.
    const description = "买的电饭锅第二天就坏了，店家不给换，我的电话 13912345678";
    await signInAs(page, "13800000001", "/disputes/new");
    await page.getByTestId("dispute-notice").waitFor();
    await page.getByLabel("纠纷类型").selectOption("goods_prices");
    await page.getByLabel("对方店铺编号（如 S0001）").fill("S0005");
    await page.getByLabel("经过").fill(description);
    await page.getByRole("button", { name: "提交" }).click();
    await page.waitForURL(/\/disputes\/\d+$/);
    const disputePath = new URL(page.url()).pathname;
    const title = `调解 #${disputePath.split("/").pop()}`;
    // Not the moderator: the grid has nobody else linked, so the alliance's president, and the page says who stepped aside.
    await expect.poll(() => page.getByTestId("dispute-mediator").textContent()).toContain("陈志强");
    await page.getByTestId("timeline").getByText("因利益冲突回避：周敏").waitFor();
    await page.getByTestId("timeline").getByText("由 联盟 层级受理：陈志强").waitFor();
    await fitsWidth(page);

    // The moderator at the desk: no trace of it (neither in the disputes nor anywhere on the page).
    await signInAs(page, "13800000007", "/desk");
    await page.getByRole("heading", { name: "意见与调解工作台" }).waitFor();
    const desk = (await page.locator("main").textContent()) ?? "";
    expect(desk).not.toContain(title);
    expect(desk).not.toContain("电饭锅");
    await fitsWidth(page);
    await page.screenshot({ path: "/tmp/coi-desk.png" });
    // On the dispute's own page the moderator is only the respondent: no mediation, the filer's phone masked.
    await page.goto(`${app.url}${disputePath}`);
    await page.getByTestId("dispute-mediator").waitFor();
    expect(await page.getByRole("button", { name: "结案" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "写下协议，请双方确认" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "升级到上一层级" }).count()).toBe(0);
    const asRespondent = (await page.locator("main").textContent()) ?? "";
    expect(asRespondent).toContain("138****0001");
    expect(asRespondent).not.toContain("13800000001");
    expect(asRespondent).toContain("139****5678");
    expect(asRespondent).not.toContain("13912345678");
    // A forged close from the moderator is refused and changes nothing.
    const forged = await page.evaluate(async (path) => {
      const body = new URLSearchParams({ intent: "close", outcome: "withdrawn", note: "" });
      const r = await fetch(path, { method: "POST", body });
      return r.status;
    }, disputePath);
    expect(forged).toBe(403);
    await page.reload();
    await expect.poll(() => page.getByTestId("dispute-status").textContent()).toBe("调解中");

    // The president mediates: sees the phones, and may close only as withdrawn (not asked) or not resolvable.
    await signInAs(page, "13800000004", disputePath);
    await expect.poll(async () => (await page.locator("main").textContent()) ?? "").toContain("13800000001");
    const outcomes = await page
      .locator("#close-outcome option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(outcomes).toEqual(["unresolvable"]);
    await fitsWidth(page);

    // In English, the filer reads the same: who took it and who stepped aside.
    await signInAs(page, "13800000001", disputePath);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByTestId("timeline").getByText("Stepped aside (conflict of interest): 周敏").waitFor();
    await page.getByTestId("timeline").getByText("Taken by the Alliance level: 陈志强").waitFor();
    await page.getByRole("button", { name: "Ask to withdraw" }).waitFor();
    await fitsWidth(page);
    await page.screenshot({ path: "/tmp/coi-dispute-en.png", fullPage: true });
    expect(errors).toEqual([]);
  });
});
