import type { Page } from "playwright-core";
import { describe, expect, it, inject } from "vitest";
import { fitsWidth, useApp, usePeople } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

/** The seed's stream of T0001, moved into the past in this test's copy: ended, with 96 chat messages. */
const ENDED = "demob1zhaojie";

describe.runIf(haveBrowser)("a replay's whole chat, page by page, on a 360 px phone", () => {
  const app = useApp({
    prepare: `
      update bookings set starts_at = now() - interval '3 days', ends_at = now() - interval '3 days' + interval '1 hour',
        live_since = now() - interval '3 days', live_ended_at = now() - interval '3 days' + interval '50 minutes',
        chat_seq = 96
        where public_id = '${ENDED}';
      insert into chat_messages (booking_id, author_id, body, seq, created_at)
        select b.id, 'demo-resident', '第' || n || '条 message ' || n, n, now() - interval '3 days' + n * interval '20 seconds'
        from bookings b, generate_series(1, 96) as n where b.public_id = '${ENDED}';
    `,
  });
  const visit = usePeople(app);
  const lines = (page: Page) => page.getByTestId("chat-messages").locator("li");
  const bodies = async (page: Page) =>
    (await lines(page).locator(".chat__body").allTextContents()).map((t) => Number(/message (\d+)/.exec(t)?.[1]));
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  for (const [locale, older] of [
    ["zh-CN", "加载更早的消息"],
    ["en", "Load older messages"],
  ] as const) {
    it(`shows all 96 messages after "load older", in order (${locale})`, async () => {
      const { page, errors, context } = await visit(null, "/");
      if (locale === "en") await context.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
      await page.goto(`${app.url}/live/${ENDED}`);
      await expect.poll(() => bodies(page)).toEqual(range(47, 96));
      await page.getByRole("link", { name: older, exact: true }).click();
      await expect.poll(() => bodies(page), { timeout: 15_000 }).toEqual(range(1, 96));
      await expect.poll(() => page.getByTestId("chat-older").count()).toBe(0);
      await fitsWidth(page);
      await page.screenshot({ path: `/tmp/xq-chat-history-${locale}.png` });
      expect(errors).toEqual([]);
    });
  }

  it("pages without JavaScript: the newest 50, then the 46 before them, then back", async () => {
    const { page } = await visit(null, "/", { javaScriptEnabled: false });
    await page.goto(`${app.url}/live/${ENDED}`);
    expect(await bodies(page)).toEqual(range(47, 96));
    await page.getByRole("link", { name: "加载更早的消息", exact: true }).click();
    await page.getByTestId("chat-newest").waitFor();
    expect(await bodies(page)).toEqual(range(1, 46));
    expect(await page.getByTestId("chat-older").count()).toBe(0);
    await fitsWidth(page);
    await page.getByRole("link", { name: "回到最新消息", exact: true }).click();
    await page.getByTestId("chat-older").waitFor();
    expect(await bodies(page)).toEqual(range(47, 96));
  });
});
