import { spawn } from "node:child_process";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it, inject } from "vitest";
import { hashStreamKey } from "../../shared/secrets.server";
import { addMinutes, currentStep } from "~/domain/studio/slots";
import { testPatternArgs, haveMediaTools } from "../helpers/media";
import { fitsWidth, useApp, usePeople } from "../helpers/journey";
import { bookingInsert } from "../helpers/e2e-studio";

const { browser: haveBrowser } = inject("e2e");

const haveMedia = haveMediaTools("The portrait watch journey");

/** Where the journey leaves its screenshots (look at them: `ls /tmp/xq-watch-portrait-*.png`). */
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/xq-watch-portrait-${name}.png` });

const KEY = "portrait-journey-key";
const PORTRAIT = "portrait00001";
const LANDSCAPE = "landscape0001";
const start = currentStep(new Date());
const booking = (publicId: string, studio: string) =>
  bookingInsert({
    publicId,
    studio,
    startsAt: start,
    endsAt: addMinutes(start, 60),
    title: "烩面现场：竖屏直播",
    keyHash: hashStreamKey(KEY),
  });
// The portrait show has a pinned product and an open poll, as a merchant would set them.
const pinAndPoll = `
  insert into chat_pins (booking_id, product_id, pinned_by, pinned_at)
    select b.id, (select min(p.id) from products p where p.business_id = b.business_id and not p.hidden), 'demo-owner', now()
    from bookings b where b.public_id = '${PORTRAIT}';
  insert into chat_polls (booking_id, question, options, created_by, created_at)
    select id, '下一锅做什么？', '["羊肉烩面","三鲜烩面"]', 'demo-owner', now() from bookings where public_id = '${PORTRAIT}';`;

const box = (page: Page, testId: string) => page.getByTestId(testId).first().boundingBox();

describe.runIf(haveBrowser && haveMedia)("the watch page on a phone, for live selling", () => {
  const app = useApp({
    prepare: `update studios set opens_at = 0, closes_at = 1440;
      ${booking(PORTRAIT, "studio_a")} ${booking(LANDSCAPE, "studio_b")} ${pinAndPoll}`,
  });
  const person = usePeople(app);
  const encoders: ReturnType<typeof spawn>[] = [];
  afterAll(() => encoders.forEach((e) => e.kill("SIGINT")));

  it(
    "a portrait stream fills a 360×740 screen with the chat, poll and product over it; a landscape one keeps the column",
    { timeout: 150_000 },
    async () => {
      const server = `rtmp://127.0.0.1:${app.app.rtmpPort}/live`;
      encoders.push(
        spawn("ffmpeg", testPatternArgs(`${server}/${PORTRAIT}?key=${KEY}`, 90, { size: "720x1280" }), {
          stdio: "ignore",
        }),
        // The landscape one as a phone app sends by default: a keyframe every 2 seconds.
        spawn("ffmpeg", testPatternArgs(`${server}/${LANDSCAPE}?key=${KEY}`, 90, { keyframeSeconds: 2 }), {
          stdio: "ignore",
        }),
      );

      const { page, errors } = await person("resident", `/live/${PORTRAIT}`);
      await page.locator(".stage--immersive").waitFor({ timeout: 40_000 });
      // The picture is the whole screen, and it plays.
      expect(await box(page, "player")).toEqual({ x: 0, y: 0, width: 360, height: 740 });
      await expect
        .poll(() => page.getByTestId("player").evaluate((v: HTMLVideoElement) => v.videoHeight / v.videoWidth))
        .toBeCloseTo(1280 / 720, 1);
      // Buy and vote are on the screen, in its lower half, where a thumb reaches.
      const buy = await page.getByRole("button", { name: "购买", exact: true }).boundingBox();
      const vote = await page.getByRole("button", { name: "羊肉烩面", exact: true }).boundingBox();
      for (const b of [buy!, vote!]) {
        expect(b.y + b.height).toBeLessThanOrEqual(740);
        expect(b.y + b.height / 2).toBeGreaterThan(740 / 2);
        expect(b.height).toBeGreaterThanOrEqual(32);
      }
      const input = await page.getByPlaceholder("说点什么…").boundingBox();
      expect(input!.y + input!.height).toBeLessThanOrEqual(740);
      // The chat works over the picture.
      await page.getByLabel("聊天消息").fill("看着真香");
      await page.getByRole("button", { name: "发送", exact: true }).click();
      await expect.poll(() => page.getByTestId("chat-messages").textContent()).toContain("看着真香");
      await fitsWidth(page);
      await shot(page, "zh");

      // Leaving full screen gives today's page back (and the way back in).
      await page.getByRole("button", { name: "退出全屏", exact: true }).click();
      await expect.poll(() => page.locator(".stage--immersive").count()).toBe(0);
      expect((await box(page, "player"))!.height).toBeLessThan(400);
      await page.getByRole("button", { name: "全屏观看", exact: true }).click();
      await page.locator(".stage--immersive").waitFor();

      // The phone turned sideways: today's layout.
      await page.setViewportSize({ width: 740, height: 360 });
      await expect.poll(() => page.locator(".stage--immersive").count()).toBe(0);
      await page.setViewportSize({ width: 360, height: 740 });
      await page.locator(".stage--immersive").waitFor();

      // The same in English.
      const en = await person(null, `/live/${PORTRAIT}`);
      await en.context.addCookies([{ name: "xq_locale", value: "en", url: app.url }]);
      await en.page.goto(`${app.url}/live/${PORTRAIT}`);
      await en.page.locator(".stage--immersive").waitFor({ timeout: 40_000 });
      expect(await box(en.page, "player")).toEqual({ x: 0, y: 0, width: 360, height: 740 });
      const enBuy = await en.page.getByRole("button", { name: "Buy", exact: true }).boundingBox();
      expect(enBuy!.y + enBuy!.height / 2).toBeGreaterThan(740 / 2);
      await en.page.getByRole("button", { name: "Leave full screen", exact: true }).waitFor();
      await fitsWidth(en.page);
      await shot(en.page, "en");

      // A landscape stream keeps the column: the 16:9 picture, the chat below it.
      await page.goto(`${app.url}/live/${LANDSCAPE}`);
      await expect
        .poll(() => page.getByTestId("player").evaluate((v: HTMLVideoElement) => v.videoWidth), {
          timeout: 40_000,
        })
        .toBeGreaterThan(0);
      expect(await page.locator(".stage--immersive").count()).toBe(0);
      const player = (await box(page, "player"))!;
      expect(player.width).toBeLessThan(360);
      expect(player.height).toBeCloseTo((player.width * 9) / 16, 0);
      expect((await box(page, "chat"))!.y).toBeGreaterThan(player.y + player.height);
      await fitsWidth(page);
      await shot(page, "landscape");

      // The merchant is told the keyframe interval the studio receives, and what to set.
      const merchant = await person("shopOwner", `/live/${LANDSCAPE}/go-live`);
      await expect
        .poll(() => merchant.page.getByTestId("keyframe-interval").textContent(), { timeout: 20_000 })
        .toBe("约 2 秒");
      await expect(merchant.page.getByTestId("keyframe-advice").textContent()).resolves.toContain("设为 1 秒");
      await merchant.page.goto(`${app.url}/live/${PORTRAIT}/go-live`);
      await expect
        .poll(() => merchant.page.getByTestId("keyframe-interval").textContent(), { timeout: 20_000 })
        .toBe("约 1 秒");
      expect(await merchant.page.getByTestId("keyframe-advice").count()).toBe(0);
      await fitsWidth(merchant.page);
      await shot(merchant.page, "go-live");

      expect([...errors, ...en.errors, ...merchant.errors]).toEqual([]);
    },
  );
});
