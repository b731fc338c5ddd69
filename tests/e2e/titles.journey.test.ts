import { describe, expect, it } from "vitest";
import { localeCookieName } from "../../app/i18n/locales";
import { e2e, fitsWidth, pageErrors, useApp, useBrowser } from "../helpers/journey";

/** The public pages a visitor reaches without signing in (a shop and a product from the seed). */
const publicPages = [
  "/",
  "/shops",
  "/shops/1",
  "/map",
  "/live",
  "/alliance",
  "/plaques",
  "/feedback",
  "/me",
  "/cart",
  "/login",
  "/register",
  "/reset-password",
  "/no-such-page",
];

const han = /\p{Script=Han}/u;
const latin = /[A-Za-z]/;

/**
 * Every page has its own title in the page's language (`购物车 · 信圈` / `Cart · Xinquan`) and a
 * meta description.
 */
describe.runIf(e2e().browser)("titles and descriptions in one language per page", () => {
  const app = useApp();
  const browser = useBrowser();

  it.each([
    ["zh-CN", "信圈", latin],
    ["en", "Xinquan", han],
  ] as const)("in %s", async (locale, name, otherScript) => {
    await browser.clearCookies();
    await browser.context.addCookies([{ name: localeCookieName, value: locale, url: app.url }]);
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const titles = new Set<string>();
    for (const path of publicPages) {
      await page.goto(`${app.url}${path}`);
      expect(await page.getAttribute("html", "lang"), path).toBe(locale);
      const title = await page.title();
      expect(title, path).toMatch(new RegExp(` · ${name}$`));
      // The shop page's title carries the shop's own (Chinese) name; the rest is in one language.
      if (path !== "/shops/1") expect(title, path).not.toMatch(otherScript);
      titles.add(title);
      const description = await page.locator('meta[name="description"]').getAttribute("content");
      expect(description?.trim(), path).toBeTruthy();
      if (path !== "/shops/1") expect(description, path).not.toMatch(otherScript);
      expect(await page.locator('meta[name="description"]').count(), path).toBe(1);
      if (path === "/map") {
        // The places' one-letter icons on the map are in the page's language too (their names,
        // shown beside them when zoomed in, are the places' names: 共享直播间A).
        const glyphs = await page.locator(".map-place text:not(.map-place__name)").allTextContents();
        expect(glyphs.length).toBeGreaterThan(0);
        for (const glyph of glyphs) expect(glyph).not.toMatch(otherScript);
      }
    }
    // Each page its own title.
    expect(titles.size).toBe(publicPages.length);
    await fitsWidth(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});
