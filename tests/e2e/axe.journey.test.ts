import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { e2e, fitsWidth, takeAxeFindings, useApp } from "../helpers/journey";

/**
 * The accessibility check every browser test gets (tests/helpers/axe.ts) catches what it is for:
 * a page with a known serious violation fails it, whether loaded or checked by fitsWidth; the
 * app's own pages pass it.
 */
describe.runIf(e2e().browser)("axe on every page the browser tests visit", () => {
  const app = useApp();
  let browser: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("records a serious violation on a page as it loads, and fitsWidth records it too", async () => {
    const page = await browser.newPage();
    // A page with a link whose accessible name hides its visible text is not what this test is
    // about: an image without alternative text and a button without a name are critical.
    await page.route(`${app.url}/axe-fixture`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: '<!doctype html><html lang="en"><head><title>fixture</title></head><body><main><img src="/favicon.svg"><button></button></main></body></html>',
      }),
    );
    await page.goto(`${app.url}/axe-fixture`);
    const loaded = await takeAxeFindings();
    expect(loaded.map((f) => f.rule).sort()).toEqual(["button-name", "image-alt"]);
    expect(loaded.every((f) => f.url === `${app.url}/axe-fixture`)).toBe(true);

    await fitsWidth(page);
    // The load's own check ran already; fitsWidth adds its own.
    expect((await takeAxeFindings()).map((f) => f.rule).sort()).toEqual(["button-name", "image-alt"]);
    await page.close();
  });

  it("finds nothing serious on the home page in either language", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    await fitsWidth(page);
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.locator('html[lang="en"]').waitFor();
    await fitsWidth(page);
    await page.close();
  });
});
