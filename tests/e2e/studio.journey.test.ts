import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, inject } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { haveMediaTools } from "../helpers/media";
import { currentStep, districtDate, districtMinute, formatClock } from "~/domain/studio/slots";
import { fitsWidth, signedInPage, useApp, useBrowser } from "../helpers/journey";
import { exited, expectPlaysLive, push } from "../helpers/live";

const { browser: haveBrowser } = inject("e2e");

const haveMedia = haveMediaTools("The studio journey");

describe.runIf(haveBrowser && haveMedia)("a merchant goes live from the shared studio", () => {
  // The studios keep office hours; this journey runs at any hour, so its copy opens them all day.
  const app = useApp({ prepare: "update studios set opens_at = 0, closes_at = 1440" });
  const browser = useBrowser();

  it(
    "books a slot, pushes with its key, is watched live, refuses a wrong key, and replays to the end",
    { timeout: 150_000 },
    async () => {
      const { page, errors } = await signedInPage(browser, app.url, "shopOwner", "/live");
      await page.getByRole("heading", { name: "本周排期" }).waitFor();
      await fitsWidth(page);
      await page.getByRole("link", { name: "预约直播间" }).click();

      // The half hour under way, for an hour (or to midnight).
      const start = currentStep(new Date());
      const startMinute = districtMinute(start);
      const endMinute = Math.min(startMinute + 60, 24 * 60);
      await page.getByLabel("直播间").selectOption("studio_b");
      await page.getByLabel("日期").fill(districtDate(start));
      await page.getByLabel("开始时间").selectOption(formatClock(startMinute));
      await page.getByLabel("结束时间").selectOption(formatClock(endMinute));
      await page.getByLabel("直播标题").fill("烩面现场教学");
      await page.getByRole("button", { name: "预约", exact: true }).click();
      const keyField = (await page.getByTestId("stream-key").textContent())!.trim();
      expect(keyField).toMatch(/^[a-z0-9]{12}\?key=[A-Za-z0-9_-]{24}$/);
      const publicId = keyField.split("?")[0];
      const server = (await page.locator("code.secret").first().textContent())!.trim();
      expect(server).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
      await fitsWidth(page);

      // A wrong key is refused at once and leaves no files.
      const wrong = push(`${server}/${publicId}?key=not-the-key`, 5);
      expect(await exited(wrong)).not.toBe(0);
      expect(fs.readdirSync(path.join(app.app.dataDir, "hls")).filter((f) => f.startsWith(publicId))).toEqual([]);

      const encoder = push(`${server}/${keyField}`, 14);

      // A shopper (not signed in) watches the live page.
      const shopperContext = await launchBrowser();
      try {
        const watch = await shopperContext.newPage();
        watch.on("pageerror", (e) => errors.push(e.message));
        await expectPlaysLive(watch, `${app.url}/live/${publicId}`, 20_000, 10_000);
        await expect.poll(() => watch.getByTestId("viewers").textContent(), { timeout: 10_000 }).toContain("1 人在看");

        // Meanwhile the merchant sees the picture arriving at the studio.
        await page.goto(`${app.url}/live/${publicId}/go-live`);
        await expect.poll(() => page.getByTestId("receiving").textContent(), { timeout: 10_000 }).toMatch(/640×3\d\d/); // nginx-rtmp reports the coded height (352)

        expect(await exited(encoder)).toBe(0);
        // The encoder stopping does not end the show (it may reconnect); the merchant's "end" does,
        // and the page notices by itself and offers the replay.
        expect(await watch.getByTestId("stream-state").getAttribute("class")).toContain("live-state--live");
        await page.getByRole("button", { name: "结束直播", exact: true }).click();
        await page.getByTestId("show-ended").waitFor();
        await watch.getByRole("heading", { name: "回放" }).waitFor({ timeout: 20_000 });
        await watch.reload();
        await watch.getByRole("heading", { name: "回放" }).waitFor();
        const playlist = await (await fetch(`${app.url}/hls/${publicId}.vod.m3u8`)).text();
        expect(playlist).toContain("#EXT-X-ENDLIST");
        await watch.getByTestId("player").evaluate((v: HTMLVideoElement) => void v.play());
        await expect
          .poll(() => watch.getByTestId("player").evaluate((v: HTMLVideoElement) => v.ended), { timeout: 40_000 })
          .toBe(true);
        const duration = await watch.getByTestId("player").evaluate((v: HTMLVideoElement) => v.duration);
        expect(duration).toBeGreaterThan(10);
      } finally {
        await shopperContext.close();
      }
      expect(errors).toEqual([]);
    },
  );
});
