import { describe, expect, it, inject } from "vitest";
import { fitsWidth, openPage, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

describe.runIf(haveBrowser)("the feedback and mediation desk, on a 360 px phone", () => {
  const app = useApp();
  const browser = useBrowser();

  it("a shopper complains on a shop page, an officer makes it a dispute, the alliance mediates, both parties confirm, the shopper rates it", async () => {
    const { page, errors } = await openPage(browser);
    const complaint = "羊肉烩面标价 18 元，结账收了 22 元";

    // The shopper (demo resident) complains on S0001's page, below the shop's facts.
    await app.signInAs(page, "13800000001", "/shops/1");
    const form = page.getByTestId("feedback-form");
    await form.getByLabel("类型").selectOption("complaint");
    await form.getByLabel("内容").fill(complaint);
    await form.getByText("隐藏只对公众").waitFor();
    await form.getByRole("button", { name: "提交" }).click();
    await page.getByText("已收到你的意见").waitFor();
    expect(new URL(page.url()).pathname).toBe("/shops/1");
    await fitsWidth(page);

    // The president turns it into a dispute at the desk.
    await app.signInAs(page, "13800000004", "/desk");
    const item = page.locator("li[data-feedback-id]", { hasText: complaint });
    await item.getByRole("button", { name: "转为调解" }).click();
    await expect.poll(() => item.getByTestId("feedback-status").textContent()).toBe("已转调解");
    await fitsWidth(page);
    await item.getByRole("link", { name: "查看调解" }).click();
    await page.waitForURL(/\/disputes\/\d+$/);
    const disputePath = new URL(page.url()).pathname;
    // S0001's micro-grid has no grid contact linked to an account: the alliance's president takes it.
    await expect.poll(() => page.getByTestId("dispute-level").textContent()).toBe("联盟");
    await expect.poll(() => page.getByTestId("dispute-mediator").textContent()).toContain("陈志强");

    // A stranger (another merchant) is told the page does not exist.
    await app.signInAs(page, "13800000003", "/");
    const stranger = await page.goto(`${app.url}${disputePath}`);
    expect(stranger?.status()).toBe(404);
    const api = await page.goto(`${app.url}/api/v1${disputePath}`);
    expect(api?.status()).toBe(404);

    // The president meets both sides and writes the agreement down.
    await app.signInAs(page, "13800000004", disputePath);
    await page.getByLabel("类型").selectOption("meeting");
    await page.getByLabel("内容").fill("在网格站与双方见面，核对了小票");
    await page.getByRole("button", { name: "记入经过" }).click();
    await page.getByTestId("timeline").getByText("在网格站与双方见面").waitFor();
    await page.getByRole("textbox", { name: "写下协议，请双方确认" }).fill("店家退还多收的 4 元并道歉，今后明码标价");
    await page.getByRole("button", { name: "写下协议，请双方确认" }).click();
    await expect.poll(() => page.getByTestId("dispute-status").textContent()).toBe("待双方确认协议");
    await fitsWidth(page);

    // Both parties confirm: the shopper, then the shop's owner.
    for (const phone of ["13800000001", "13800000002"]) {
      await app.signInAs(page, phone, disputePath);
      await page.getByRole("button", { name: "我确认这份协议" }).click();
      await page.getByText("已完成。").waitFor();
    }
    await expect.poll(() => page.getByTestId("dispute-status").textContent()).toBe("已解决");

    // The shopper answers the satisfaction question.
    await app.signInAs(page, "13800000001", disputePath);
    await page.getByRole("radio", { name: "4" }).check();
    await page.getByLabel("意见").fill("处理得很快");
    await page.getByRole("button", { name: "提交评价" }).click();
    await expect.poll(() => page.getByTestId("dispute-rating").textContent()).toBe("满意度：4 分");
    await fitsWidth(page);

    // The statistics page draws it for officers.
    await app.signInAs(page, "13800000004", "/desk/stats");
    await expect.poll(() => page.getByTestId("stat-grid-share").textContent()).toBe("0%");
    expect(await page.locator("figure.chart svg").count()).toBe(6);
    expect(await page.locator("figure.chart table").count()).toBe(6);
    await fitsWidth(page);
    expect(errors).toEqual([]);
  });
});
