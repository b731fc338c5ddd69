import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { fitsWidth, inTurn, useApp, usePeople } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

/** The seed's stream of S0001 (老王烩面馆, owner 13800000002), tomorrow: upcoming, so its chat is open. */
const UPCOMING = "demoa1laowang";

describe.runIf(haveBrowser)("moderating the live chat, on 360 px phones", () => {
  const app = useApp();
  const visit = usePeople(app);
  const person = (phone: string, to = `/live/${UPCOMING}`) => visit(phone, to);

  const chatLines = (page: Page) => page.getByTestId("chat-messages").locator("li");
  const line = (page: Page, text: string) => chatLines(page).filter({ hasText: text });
  async function say(page: Page, text: string, kind?: string) {
    if (kind) await page.getByLabel("类型").selectOption({ label: kind });
    await page.getByLabel("聊天消息").fill(text);
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => page.getByLabel("聊天消息").inputValue()).toBe("");
    await expect.poll(() => line(page, text).count()).toBe(1);
  }
  async function moderate(page: Page, text: string, reason: string, action: string) {
    const item = line(page, text);
    await item.locator("summary").click();
    await item.getByPlaceholder("原因").fill(reason);
    await item.getByRole("button", { name: action }).click();
  }

  it(
    "the merchant hides a message and it goes from the viewer's screen, a muted viewer reads why, a poll moves for two voters, a pinned card sells, a complaint reaches the desk",
    { timeout: 120_000 },
    async () => {
      const [li, wang] = await inTurn(person, "13800000001", "13800000002");
      await li.page.getByText("还没有人说话。").waitFor();
      // A viewer has no moderation tools.
      await say(li.page, "广告：加微信领红包");
      await expect.poll(() => line(wang.page, "广告：加微信领红包").count()).toBe(1);
      expect(await li.page.getByText("管理", { exact: true }).count()).toBe(0);

      await moderate(wang.page, "广告：加微信领红包", "广告", "隐藏");
      await expect.poll(() => line(li.page, "广告：加微信领红包").count()).toBe(0);
      await expect.poll(() => line(wang.page, "广告：加微信领红包").count()).toBe(0);
      // Gone after a reload too.
      await li.page.reload();
      await li.page.getByText("还没有人说话。").waitFor();

      // A complaint from the chat goes to the desk (checked below).
      await say(li.page, "上次的烩面是凉的", "投诉");
      await li.page.getByText("已提交到意见台。").waitFor();
      await expect.poll(() => line(wang.page, "上次的烩面是凉的").count()).toBe(1);

      await say(li.page, "刷屏刷屏刷屏");
      await expect.poll(() => line(wang.page, "刷屏刷屏刷屏").count()).toBe(1);
      await moderate(wang.page, "刷屏刷屏刷屏", "刷屏", "禁言 10 分钟");
      await wang.page.getByText("已完成。").waitFor();
      await li.page.getByLabel("聊天消息").fill("我还能说话吗");
      await li.page.getByRole("button", { name: "发送" }).click();
      await expect
        .poll(() => li.page.getByTestId("chat-error").textContent())
        .toMatch(/^你已被禁言至 \d\d:\d\d，原因：刷屏$/);
      expect(await line(wang.page, "我还能说话吗").count()).toBe(0);

      // Slow mode, turned on by the merchant, shows on the viewer's screen.
      await wang.page.getByLabel("慢速模式").selectOption({ label: "30 秒" });
      await wang.page.getByRole("button", { name: "设置" }).click();
      await li.page.getByText("慢速模式：每 30 秒一条").waitFor();

      // A poll: two voters see the results move; closing it shows the final counts.
      const zhao = await person("13800000003");
      await wang.page.getByText("发起投票").click();
      await wang.page.getByLabel("问题").fill("明天想吃什么？");
      await wang.page.getByLabel("选项 1").fill("烩面");
      await wang.page.getByLabel("选项 2").fill("凉皮");
      await wang.page.getByRole("button", { name: "开始投票" }).click();
      const option = (page: Page, name: string) => page.getByTestId("poll").locator("li").filter({ hasText: name });
      await option(li.page, "烩面").getByRole("button", { name: "烩面" }).click();
      await expect.poll(() => option(zhao.page, "烩面").getByTestId("poll-count").textContent()).toBe("1 票");
      await expect.poll(() => option(li.page, "烩面").getByTestId("poll-count").textContent()).toBe("1 票");
      expect(await option(li.page, "凉皮").getByRole("button").count()).toBe(0); // one vote per account
      await option(zhao.page, "凉皮").getByRole("button", { name: "凉皮" }).click();
      await expect.poll(() => option(li.page, "凉皮").getByTestId("poll-count").textContent()).toBe("1 票");
      await expect.poll(() => option(wang.page, "凉皮").getByTestId("poll-count").textContent()).toBe("1 票");
      await wang.page.getByRole("button", { name: "结束投票" }).click();
      await li.page.getByTestId("poll").getByText("投票已结束").waitFor();
      await fitsWidth(zhao.page);
      expect(zhao.errors).toEqual([]);

      // The merchant pins a product: the card appears for the viewer, stays after a reload, and its buy button fills the cart.
      await wang.page.getByLabel("置顶商品").selectOption({ label: "羊肉烩面（大碗）" });
      await wang.page.getByRole("button", { name: "置顶", exact: true }).click();
      const card = li.page.getByTestId("pinned-product");
      await card.getByText("羊肉烩面（大碗）").waitFor();
      expect(await card.textContent()).toContain("18.00");
      await fitsWidth(li.page);
      await fitsWidth(wang.page);
      expect([...li.errors, ...wang.errors]).toEqual([]);
      await li.page.reload();
      await card.getByText("羊肉烩面（大碗）").waitFor();
      await card.getByRole("button", { name: "购买" }).click();
      await li.page.waitForURL(`${app.url}/cart`);
      await li.page.getByText("羊肉烩面（大碗）").first().waitFor();

      // The complaint is on the desk, with its stream.
      const officer = await person("13800000007", "/desk");
      const item = officer.page.getByTestId("desk-feedback").locator("li").filter({ hasText: "上次的烩面是凉的" });
      await item.waitFor();
      expect(await item.textContent()).toContain("投诉");
      expect(await item.getByRole("link", { name: "查看直播" }).getAttribute("href")).toBe(`/live/${UPCOMING}`);
      await fitsWidth(officer.page);
    },
  );
});
