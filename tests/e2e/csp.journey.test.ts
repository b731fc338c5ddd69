import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";
import type { BrowserContext } from "playwright-core";

const { browser: haveBrowser, seededDataDir } = inject("e2e");

/**
 * The pages' own scripts stay inside the Content Security Policy: no violation on pages with
 * forms checked in the browser (zod, configured jitless, must never probe eval).
 */
describe.runIf(haveBrowser)("the Content Security Policy in a real browser", () => {
  let app: RunningApp;
  let browser: BrowserContext;
  beforeAll(async () => {
    app = await startApp({ seededDataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("raises no violation on form pages while a visitor fills and checks the forms", async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const consoleViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|unsafe-eval/i.test(m.text())) consoleViolations.push(m.text());
    });
    for (const path of ["/login", "/register"]) {
      await page.goto(`${app.url}${path}`);
      await page.waitForLoadState("networkidle");
      // Conform validates on blur with zod: type into the first text input and leave it.
      const input = page.locator("main input:not([type=hidden]):not([type=checkbox]), main textarea").first();
      await input.fill("x");
      await input.blur();
      await page.waitForTimeout(300);
      const seen = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      expect(seen, path).toEqual([]);
    }
    expect(consoleViolations).toEqual([]);
  });
});
