import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { fitsWidth, inTurn, useApp, usePeople } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

/** The seed's stream of S0001, tomorrow: upcoming, so its chat is open. */
const UPCOMING = "demoa1laowang";
/** The seed's stream of T0001, moved into the past in this test's copy: ended, with a replay. */
const ENDED = "demob1zhaojie";

type Recovery = { connected: boolean; recovered: boolean };

describe.runIf(haveBrowser)("two people chat beside a stream, on 360 px phones", () => {
  const app = useApp({
    prepare: `
      update bookings set starts_at = now() - interval '3 days', ends_at = now() - interval '3 days' + interval '1 hour',
        live_since = now() - interval '3 days', live_ended_at = now() - interval '3 days' + interval '50 minutes'
        where public_id = '${ENDED}';
      insert into chat_messages (booking_id, author_id, body, created_at)
        select id, 'demo-resident', '<b>凉皮</b>真香 https://example.com', now() - interval '3 days' + interval '5 minutes'
        from bookings where public_id = '${ENDED}';
    `,
  });
  const visit = usePeople(app);
  const person = (phone: string | null, options: { javaScriptEnabled?: boolean } = {}) =>
    visit(phone, `/live/${UPCOMING}`, options);

  const chatLines = (page: Page) => page.getByTestId("chat-messages").locator("li");
  const countOf = (page: Page, text: string) => chatLines(page).filter({ hasText: text }).count();
  async function say(page: Page, text: string) {
    await page.getByLabel("聊天消息").fill(text);
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => countOf(page, text)).toBe(1);
    await expect.poll(() => page.getByLabel("聊天消息").inputValue()).toBe("");
  }

  /** Drops the page's socket as a network failure would (socket.io keeps its session), and keeps it down. */
  const dropConnection = (page: Page) =>
    page.evaluate(() => {
      const socket = window.__xqLiveSocket!;
      socket.io.reconnection(false);
      socket.io.engine.close();
    });
  /** Reconnects; `forgotten` makes the server not know the old session, as after a long absence. */
  const reconnect = (page: Page, forgotten: boolean) =>
    page.evaluate((forgotten) => {
      const socket = window.__xqLiveSocket! as unknown as {
        _pid?: string;
        io: { reconnection(on: boolean): void };
        connect(): void;
      };
      if (forgotten) socket._pid = "a-session-the-server-no-longer-has";
      socket.io.reconnection(true);
      socket.connect();
    }, forgotten);
  const recovery = (page: Page) =>
    page.evaluate((): Recovery => ({
      connected: window.__xqLiveSocket!.connected,
      recovered: window.__xqLiveSocket!.recovered,
    }));

  it(
    "each sees the other's messages as text; a visitor reads and is asked to log in",
    { timeout: 90_000 },
    async () => {
      const [li, wang] = await inTurn(person, "13800000001", "13800000002");
      await li.page.getByRole("heading", { name: "聊天" }).waitFor();
      await li.page.getByText("还没有人说话。").waitFor();
      await wang.page.getByText("还没有人说话。").waitFor();

      await say(li.page, "老王，今天几点开播？");
      await expect.poll(() => countOf(wang.page, "老王，今天几点开播？")).toBe(1);
      await expect.poll(() => chatLines(wang.page).first().textContent()).toContain("李娜（演示居民）");

      const html = `<img src=x onerror="document.title='hacked'"> <a href="https://example.com">点我</a>`;
      await say(wang.page, html);
      await expect.poll(() => countOf(li.page, "点我")).toBe(1);
      const line = chatLines(li.page).filter({ hasText: "点我" });
      expect(await line.locator(".chat__body").textContent()).toBe(html);
      expect(await line.locator("img, a").count()).toBe(0);
      expect(await li.page.title()).not.toBe("hacked");

      // Too long: refused with the reason, nothing posted.
      await li.page.getByLabel("聊天消息").fill("长".repeat(201));
      await li.page.getByRole("button", { name: "发送" }).click();
      await li.page.getByRole("alert").getByText("一条消息最多 200 个字。").waitFor();
      expect(await chatLines(wang.page).count()).toBe(2);

      // A visitor reads the same chat and is offered the log-in link instead of the box.
      const visitor = await person(null);
      await visitor.page.goto(`${app.url}/live/${UPCOMING}`);
      // While the chat is open the page renders no history: it arrives with the socket's join,
      // after hydration and a WebSocket handshake (over a second on a loaded machine).
      await expect.poll(() => chatLines(visitor.page).count(), { timeout: 15_000 }).toBe(2);
      await visitor.page.getByRole("link", { name: "登录后参与聊天" }).waitFor();
      expect(await visitor.page.getByLabel("聊天消息").count()).toBe(0);

      // The chat sits below the player's place on a phone and fits the width.
      await fitsWidth(li.page);
      await fitsWidth(wang.page);
      expect([...li.errors, ...wang.errors, ...visitor.errors]).toEqual([]);
    },
  );

  it(
    "a client that was away receives what it missed, once: recovered by socket.io, or caught up from the database",
    { timeout: 90_000 },
    async () => {
      const [li, wang] = await inTurn(person, "13800000001", "13800000002");
      await say(li.page, "我先看着");
      await expect.poll(() => countOf(wang.page, "我先看着")).toBe(1);

      // A short drop: socket.io recovers the session and hands over the missed message.
      await dropConnection(li.page);
      await expect.poll(async () => (await recovery(li.page)).connected).toBe(false);
      await say(wang.page, "刚才断线时说的第一句");
      expect(await countOf(li.page, "刚才断线时说的第一句")).toBe(0);
      await reconnect(li.page, false);
      await expect.poll(() => recovery(li.page)).toEqual({ connected: true, recovered: true });
      await expect.poll(() => countOf(li.page, "刚才断线时说的第一句")).toBe(1);

      // A longer absence: the server no longer has the session; the page asks for everything after its last id.
      await dropConnection(li.page);
      await expect.poll(async () => (await recovery(li.page)).connected).toBe(false);
      await say(wang.page, "断线很久时说的第二句");
      await say(wang.page, "断线很久时说的第三句");
      expect(await countOf(li.page, "断线很久时说的第二句")).toBe(0);
      await reconnect(li.page, true);
      await expect.poll(() => recovery(li.page)).toEqual({ connected: true, recovered: false });
      await expect.poll(() => countOf(li.page, "断线很久时说的第三句")).toBe(1);
      expect(await countOf(li.page, "断线很久时说的第二句")).toBe(1);
      // Nothing twice, everything in order, the same list as the other person's.
      const ids = (page: Page) =>
        chatLines(page).evaluateAll((lis) => lis.map((l) => Number(l.getAttribute("data-id"))));
      const mine = await ids(li.page);
      expect(new Set(mine).size).toBe(mine.length);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
      expect(mine).toEqual(await ids(wang.page));

      // Still live in both directions after catching up.
      await say(li.page, "我回来了");
      await expect.poll(() => countOf(wang.page, "我回来了")).toBe(1);
      expect([...li.errors, ...wang.errors]).toEqual([]);
    },
  );

  it("the replay page shows the chat without JavaScript, read-only", { timeout: 60_000 }, async () => {
    const reader = await person(null, { javaScriptEnabled: false });
    await reader.page.goto(`${app.url}/live/${ENDED}`);
    await reader.page.getByText("直播已结束，以下是直播时的聊天记录。").waitFor();
    const line = chatLines(reader.page).first();
    expect(await line.locator(".chat__body").textContent()).toBe("<b>凉皮</b>真香 https://example.com");
    expect(await line.locator("b, a").count()).toBe(0);
    expect(await reader.page.getByLabel("聊天消息").count()).toBe(0);
    await fitsWidth(reader.page);
  });
});
