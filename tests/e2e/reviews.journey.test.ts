import { describe, expect, it } from "vitest";
import { e2e, fitsWidth, useApp, usePeople } from "../helpers/journey";
import { phoneJpeg } from "../helpers/photos";

const { browser: haveBrowser } = e2e();
/** S0001 老王烩面馆 is /shops/1 (owner 13800000002); 李娜 13800000001 is a resident. */
const SHOP = 1;

describe.runIf(haveBrowser)("a review earned at the counter, on a 360 px phone, zh and en", () => {
  const app = useApp();
  const person = usePeople(app);

  it("a shopper buys, picks up and reviews with a photo; the merchant hears of it and replies; the shopper hears of the reply; a shopper who never bought sees no form and is refused", async () => {
    // The shopper buys (pay at pickup, as in market.journey).
    const shopper = await person("resident", `/shops/${SHOP}`);
    await shopper.page.getByRole("link", { name: "羊肉烩面（大碗）", exact: true }).click();
    await shopper.page.getByRole("heading", { name: "羊肉烩面（大碗）" }).waitFor();
    await shopper.page.getByRole("button", { name: "立即购买", exact: true }).click();
    await shopper.page.waitForURL(`${app.url}/cart`);
    await shopper.page.getByRole("button", { name: "下单", exact: true }).click();
    await shopper.page.waitForURL(/\/orders\?placed=/);
    const href = (await shopper.page
      .getByTestId("order-card")
      .locator("a.order-card__title")
      .first()
      .getAttribute("href"))!;
    await shopper.page.goto(`${app.url}${href}`);
    const code = (await shopper.page.getByTestId("pickup-code").textContent())!.trim();
    const orderId = href.split("/").pop()!;
    // Before pickup there is nothing to review.
    await shopper.page.goto(`${app.url}/shops/${SHOP}#reviews`);
    await shopper.page.getByTestId("reviews").waitFor();
    expect(await shopper.page.getByTestId("review-form").count()).toBe(0);

    // The merchant hands it over at the counter.
    const merchant = await person("13800000002", `/shops/${SHOP}/orders`);
    const card = (column: string) =>
      merchant.page.getByTestId(`board-${column}`).locator(`[data-order-id="${orderId}"]`);
    await card("new").getByRole("button", { name: "备好了，通知取货" }).click();
    await card("ready").getByLabel("顾客的取货码").fill(code);
    await card("ready").getByRole("button", { name: "已取货", exact: true }).click();
    await card("picked_up").waitFor();

    // The shopper reviews with a phone photo (a reload: the page is already at #reviews).
    await shopper.page.reload();
    const form = shopper.page.getByTestId("review-form");
    await form.getByLabel("4 星").check();
    await form.getByLabel("点评内容").fill("烩面筋道，汤头浓，取货很快。");
    await form
      .getByLabel("照片（最多 3 张，选填）")
      .setInputFiles({ name: "phone.jpg", mimeType: "image/jpeg", buffer: await phoneJpeg() });
    await form.getByRole("button", { name: "发表点评", exact: true }).click();
    const review = shopper.page.getByTestId("review").filter({ hasText: "烩面筋道" });
    await review.waitFor();
    await expect.poll(() => shopper.page.getByTestId("review-form").count()).toBe(0);
    const img = review.locator("img");
    expect(await img.getAttribute("srcset")).toMatch(/-320\.webp 320w, .*-640\.webp 640w, .*-1280\.webp 1280w$/);
    const status = await shopper.page.evaluate(
      async (src) => (await fetch(src)).status,
      (await img.getAttribute("src"))!,
    );
    expect(status).toBe(200);
    await expect.poll(() => shopper.page.getByTestId("shop-rating").textContent()).toContain("1 条点评");
    await fitsWidth(shopper.page);

    // The merchant hears of it under 消息 and follows the notice to the shop's reviews.
    await merchant.page.goto(`${app.url}/notifications`);
    await merchant.page.getByRole("link", { name: "老王烩面馆 收到一条 4 星评价，可以在店铺页回复。" }).click();
    await merchant.page.waitForURL(`${app.url}/shops/${SHOP}#reviews`);
    // The merchant replies once.
    const mine = merchant.page.getByTestId("review").filter({ hasText: "烩面筋道" });
    await mine.getByLabel("回复这条点评（只能回复一次，公开显示）").fill("谢谢您，欢迎再来！");
    await mine.getByRole("button", { name: "发表回复", exact: true }).click();
    await mine.getByTestId("review-reply").waitFor();
    await expect.poll(() => mine.getByTestId("reply-form").count()).toBe(0);
    await fitsWidth(merchant.page);

    // A shopper who never bought from the shop, in English: the review and reply show, no form; a POST is refused.
    const other = await person("13800000004", `/shops/${SHOP}`);
    await other.context.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
    await other.page.reload();
    await other.page.getByRole("heading", { name: "Reviews", exact: true }).waitFor();
    await other.page.getByTestId("review-reply").filter({ hasText: "谢谢您" }).waitFor();
    expect(await other.page.getByTestId("review-form").count()).toBe(0);
    expect(await other.page.getByTestId("rating-summary").textContent()).toContain("4.0 out of 5 · reviews: 1");
    const refused = await other.page.evaluate(
      async ({ url, orderId }) => {
        const body = new FormData();
        body.set("intent", "review");
        body.set("ground", `order-${orderId}`);
        body.set("rating", "1");
        body.set("body", "never bought, still rating");
        const response = await fetch(url, { method: "POST", body });
        return { status: response.status, text: await response.text() };
      },
      { url: `${app.url}/shops/${SHOP}/reviews.data`, orderId },
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("reviews.errors.notEarned");
    await fitsWidth(other.page);
    // The shopper hears of the reply and follows the notice to it.
    await shopper.page.goto(`${app.url}/notifications`);
    await shopper.page.getByRole("link", { name: "老王烩面馆 回复了你的评价。" }).click();
    await shopper.page.waitForURL(`${app.url}/shops/${SHOP}#reviews`);
    await shopper.page.getByTestId("review-reply").waitFor();
    await shopper.page.getByTestId("reviews").screenshot({ path: "/tmp/reviews-shop-zh.png" });
    await other.page.screenshot({ path: "/tmp/reviews-shop-en.png", fullPage: true });
    expect([...shopper.errors, ...merchant.errors, ...other.errors]).toEqual([]);
  });
});
