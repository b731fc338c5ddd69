import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { localeCookieName } from "../../app/i18n/locales";
import { e2e, fitsWidth, pageErrors, useApp, useBrowser } from "../helpers/journey";

const words = {
  "zh-CN": {
    grid5: "查看第五网格",
    grid5Title: "第五网格",
    grid2Title: "第二网格",
    zoomIn: "放大",
    zoomOut: "缩小",
    close: "关闭",
    viewShop: "查看店铺",
  },
  en: {
    grid5: "Show Grid 5",
    grid5Title: "Grid 5",
    grid2Title: "Grid 2",
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    close: "Close",
    viewShop: "See the shop",
  },
} as const;

const viewport = { width: 360, height: 740 };
const han = /\p{Script=Han}/u;

const map = (page: Page) => page.getByTestId("district-map");
const zoomOf = async (page: Page) => Number(await map(page).getAttribute("data-zoom"));

/** The smallest rendered size (screen px) of the map's visible labels: streets, places' glyphs and names. */
const smallestLabel = (page: Page) =>
  page.evaluate(() => {
    const texts = [...document.querySelectorAll<SVGTextElement>("[data-testid=district-map] text")].filter(
      (text) => getComputedStyle(text).display !== "none",
    );
    const sizes = texts.map((text) => {
      const m = text.getScreenCTM()!;
      return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
    });
    return { count: sizes.length, smallest: Math.min(...sizes) };
  });

/** Where on the screen the occupied storefront nearest the middle of the map is drawn. */
const dotNearTheMiddle = (page: Page) =>
  page.evaluate(() => {
    const svg = document.querySelector<SVGSVGElement>("[data-testid=district-map]")!;
    const d = svg.querySelector(".map-dots__storefront")!.getAttribute("d")!;
    const ctm = svg.getScreenCTM()!;
    const box = svg.getBoundingClientRect();
    const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
    let best = { x: 0, y: 0, distance: Infinity };
    for (const m of d.matchAll(/M([\d.]+) ([\d.]+)/g)) {
      const p = new DOMPoint(Number(m[1]), Number(m[2])).matrixTransform(ctm);
      const distance = Math.hypot(p.x - cx, p.y - cy);
      if (distance < best.distance) best = { x: p.x, y: p.y, distance };
    }
    return best;
  });

const insideViewport = (box: { x: number; y: number; width: number; height: number } | null) => {
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
};

describe.runIf(e2e().browser)("the grid map on a 360 × 740 phone", () => {
  const app = useApp();
  const browser = useBrowser();
  const noScript = useBrowser({ javaScriptEnabled: false });

  it.each(["zh-CN", "en"] as const)(
    "in %s: pans and zooms, opens a grid's and a shop's panel in view, labels stay legible",
    async (locale) => {
      const w = words[locale];
      await browser.clearCookies();
      await browser.context.addCookies([{ name: localeCookieName, value: locale, url: app.url }]);
      const page = await browser.newPage();
      const errors = pageErrors(page);
      await page.goto(`${app.url}/map`);
      await page.waitForSelector(".district-map--live");

      // Place icons speak the page's language.
      const glyphs = await page.locator(".map-place__icon text:not(.map-place__name)").allTextContents();
      expect(glyphs.length).toBeGreaterThan(0);
      for (const glyph of glyphs) expect(han.test(glyph), glyph).toBe(locale === "zh-CN");
      const placeNames = await page.locator(".map-place__name").allTextContents();
      for (const name of placeNames) expect(han.test(name), name).toBe(locale === "zh-CN");
      if (locale === "en") expect(await page.getByTestId("place-list").textContent()).not.toMatch(han);

      expect(await zoomOf(page)).toBe(1);
      const atDefault = await smallestLabel(page);
      expect(atDefault.count).toBeGreaterThan(19);
      expect(atDefault.smallest).toBeGreaterThanOrEqual(11);

      // Tapping a grid opens its panel as a bottom sheet in view, with no reload and no jump.
      const mapTop = await map(page).evaluate((svg) => svg.getBoundingClientRect().top + window.scrollY);
      await page.evaluate((top) => window.scrollTo(0, top - 80), mapTop);
      const scrolled = await page.evaluate(() => {
        (window as unknown as { mapMarker: number }).mapMarker = 1;
        return window.scrollY;
      });
      expect(scrolled).toBeGreaterThan(0);
      await page.locator("[data-testid=district-map] [data-grid=G5]").click();
      await page.waitForURL(/\/map\?grid=G5$/);
      const panel = page.getByRole("dialog", { name: w.grid5Title });
      await panel.waitFor();
      insideViewport(await panel.boundingBox());
      expect(await page.evaluate(() => (window as unknown as { mapMarker?: number }).mapMarker)).toBe(1);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThanOrEqual(scrolled);
      expect(await page.getByTestId("grid-businesses").locator("li").count()).toBeGreaterThan(0);
      // Focus is in the sheet; Escape closes it and the map keeps its place.
      await expect
        .poll(() => page.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=grid-panel]"))))
        .toBe(true);
      await fitsWidth(page);
      await page.keyboard.press("Escape");
      await page.waitForURL(`${app.url}/map`);
      await expect.poll(() => page.getByTestId("grid-panel").count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { mapMarker?: number }).mapMarker)).toBe(1);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

      // By keyboard: Enter on a grid opens it; Escape gives focus back to that grid.
      await page.locator("[data-testid=district-map] a[data-grid-link=G2]").focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/map\?grid=G2$/);
      await page.getByRole("dialog", { name: w.grid2Title }).waitFor();
      await expect
        .poll(() => page.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=grid-panel]"))))
        .toBe(true);
      await page.keyboard.press("Escape");
      await page.waitForURL(`${app.url}/map`);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-grid-link"))).toBe("G2");

      // The buttons zoom in and out; labels keep their size on screen.
      const zoomIn = page.getByRole("button", { name: w.zoomIn, exact: true });
      const zoomOut = page.getByRole("button", { name: w.zoomOut, exact: true });
      await zoomIn.click();
      await expect.poll(() => zoomOf(page)).toBe(2);
      await zoomIn.click();
      await expect.poll(() => zoomOf(page)).toBe(4);
      await zoomOut.click();
      await expect.poll(() => zoomOf(page)).toBe(2);
      await zoomIn.click();
      await expect.poll(() => zoomOf(page)).toBe(4);
      const zoomed = await smallestLabel(page);
      expect(zoomed.count).toBeGreaterThan(0);
      expect(zoomed.smallest).toBeGreaterThanOrEqual(11);

      // Dragging pans the map.
      const viewBox = () => map(page).getAttribute("viewBox");
      const before = await viewBox();
      const box = (await map(page).boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 5 });
      await page.mouse.up();
      await expect.poll(viewBox).not.toBe(before);
      expect(await zoomOf(page)).toBe(4);
      expect(page.url()).toBe(`${app.url}/map`);

      // Tapping a storefront's dot opens its shop's panel, which links to the shop page.
      const dot = await dotNearTheMiddle(page);
      await page.mouse.click(dot.x, dot.y);
      const shopPanel = page.getByTestId("shop-panel");
      await shopPanel.waitFor();
      expect(await shopPanel.getAttribute("role")).toBe("dialog");
      insideViewport(await shopPanel.boundingBox());
      const shopName = (await shopPanel.getByRole("heading").textContent())!;
      const shopLink = shopPanel.getByRole("link", { name: w.viewShop, exact: true });
      expect(await shopLink.getAttribute("href")).toMatch(/^\/shops\/\d+$/);
      await fitsWidth(page);
      await shopPanel.getByRole("button", { name: w.close, exact: true }).click();
      await expect.poll(() => shopPanel.count()).toBe(0);
      await page.mouse.click(dot.x, dot.y);
      await shopPanel.waitFor();
      await shopLink.click();
      await page.waitForURL(/\/shops\/\d+$/);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(shopName);

      // Two pointers pinch the map wider (the zoom buttons' and the wheel's zoom, by touch).
      await page.goto(`${app.url}/map`);
      await page.waitForSelector(".district-map--live");
      await map(page).evaluate((svg) => {
        const r = svg.getBoundingClientRect();
        const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2];
        const fire = (type: string, pointerId: number, x: number) =>
          svg.dispatchEvent(
            new PointerEvent(type, { pointerId, pointerType: "touch", clientX: x, clientY: cy, bubbles: true }),
          );
        fire("pointerdown", 11, cx - 20);
        fire("pointerdown", 12, cx + 20);
        fire("pointermove", 11, cx - 60);
        fire("pointermove", 12, cx + 60);
        fire("pointerup", 11, cx - 60);
        fire("pointerup", 12, cx + 60);
      });
      await expect.poll(() => zoomOf(page)).toBe(3);
      await map(page).scrollIntoViewIfNeeded();
      const wheelBox = (await map(page).boundingBox())!;
      await page.mouse.move(wheelBox.x + wheelBox.width / 2, wheelBox.y + wheelBox.height / 2);
      await page.mouse.wheel(0, -200);
      await expect.poll(() => zoomOf(page)).toBeGreaterThan(3);
      expect((await smallestLabel(page)).smallest).toBeGreaterThanOrEqual(11);
      expect(errors).toEqual([]);
    },
  );

  it("without JavaScript, a grid on the map leads to its panel, scrolled into view", async () => {
    const page = await noScript.newPage();
    await page.goto(`${app.url}/map`);
    await page.getByRole("link", { name: words["zh-CN"].grid5, exact: true }).click();
    await page.waitForURL(/\/map\?grid=G5#grid-panel$/);
    const panel = page.getByTestId("grid-panel");
    const box = (await panel.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(viewport.height / 2);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await panel.getByRole("heading", { level: 2 }).first().textContent()).toBe(words["zh-CN"].grid5Title);
    // Its heading is not under the sticky header.
    const heading = (await panel.getByRole("heading", { level: 2 }).first().boundingBox())!;
    const header = (await page.locator(".site-header").boundingBox())!;
    expect(heading.y).toBeGreaterThanOrEqual(header.y + header.height);
    await page.getByRole("link", { name: "全部网格", exact: true }).click();
    await page.waitForURL(/\/map#map$/);
    expect(await page.getByTestId("grid-panel").count()).toBe(0);
    // Back at the map, not under the header.
    const mapBox = (await page.locator("#map").boundingBox())!;
    expect(mapBox.y).toBeGreaterThanOrEqual(header.y + header.height);
    expect(mapBox.y).toBeLessThan(viewport.height / 2);
    await fitsWidth(page);
  });
});
