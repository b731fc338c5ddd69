/**
 * The browser tests' kit: the production server on a copy of the seeded district (optionally
 * changed by SQL first, optionally with a clock the test moves), Chromium at 360 px, signing in
 * as a demo account through the login page, and the checks every journey makes.
 *
 *     const app = useApp();
 *     const browser = useBrowser();
 *     it("…", async () => {
 *       const page = await browser.newPage();
 *       const errors = pageErrors(page);
 *       await signIn(page, app.url, "shopOwner", "/alliance");
 *       …
 *       await fitsWidth(page);
 *       expect(errors).toEqual([]);
 *     });
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, inject } from "vitest";
import { openDatabase } from "../../db/client";
import { DEMO_PASSWORD, DEMO_USERS, type DemoUserKey } from "../../db/seed/demo";
import { startApp, type RunningApp } from "./app";
import { checkAccessibility } from "./axe";
import { launchBrowser } from "./browser";

export { DEMO_PASSWORD, DEMO_USERS, type DemoUserKey } from "../../db/seed/demo";
export { axeViolations, checkAccessibility, takeAxeFindings } from "./axe";

/** Whether Chromium is there, and the seeded PGlite folder every server copies. */
export const e2e = () => inject("e2e");

/** A demo account's phone (by its key in DEMO_USERS), or the phone itself. */
export const phoneOf = (who: DemoUserKey | string) => (who in DEMO_USERS ? DEMO_USERS[who as DemoUserKey].phone : who);

/** Fills the login form the page shows and waits for `to` (a full URL or a RegExp). */
export async function fillLogin(page: Page, who: DemoUserKey | string, to: string | RegExp) {
  await page.getByLabel("手机号").fill(phoneOf(who));
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(to);
}

/**
 * Signs in as a demo account (or any phone with the demo password) through the login page and
 * lands on `to`. With `fresh`, the browser's cookies are cleared first (whoever was signed in
 * is signed out).
 */
export async function signIn(
  page: Page,
  appUrl: string,
  who: DemoUserKey | string,
  to: string,
  options: { fresh?: boolean } = {},
) {
  if (options.fresh) await page.context().clearCookies();
  await page.goto(`${appUrl}/login?redirectTo=${encodeURIComponent(to)}`);
  await fillLogin(page, who, `${appUrl}${to}`);
}

/** The page's uncaught errors, collected as they happen: a journey ends expecting none. */
export function pageErrors(page: Page, into: string[] = []) {
  page.on("pageerror", (e) => into.push(e.message));
  return into;
}

/** A new page in `browser` (a profile), and its uncaught errors as they happen. */
export async function openPage(browser: { newPage(): Promise<Page> }) {
  const page = await browser.newPage();
  return { page, errors: pageErrors(page) };
}

/** A new page in `browser` (a profile), signed in as `who` on `to`, and its uncaught errors. */
export async function signedInPage(
  browser: { newPage(): Promise<Page> },
  appUrl: string,
  who: DemoUserKey | string,
  to: string,
) {
  const opened = await openPage(browser);
  await signIn(opened.page, appUrl, who, to);
  return opened;
}

/** On /alliance/proposals/new, posts a proposal and waits for its page: the proposal's path. */
export async function postProposal(page: Page, title: string, body: string) {
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("内容").fill(body);
  await page.getByRole("button", { name: "发布讨论" }).click();
  await page.waitForURL(/\/alliance\/proposals\/\d+$/);
  return new URL(page.url()).pathname;
}

/**
 * Nothing on the page scrolls sideways on a phone `width` px wide, and axe finds no serious or
 * critical violation on the page as it stands (every load is checked too: see axe.ts).
 */
export async function fitsWidth(page: Page, width = 360) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  await checkAccessibility(page);
}

export interface AppHandle {
  readonly url: string;
  readonly app: RunningApp;
  /** Moves the server's clock `ms` ahead of the real one (needs `testClock: true`). */
  setClock(ms: number): void;
  /** Signs in afresh (whoever was signed in is signed out) as `who` and lands on `to`. */
  signInAs(page: Page, who: DemoUserKey | string, to: string): Promise<void>;
}

/** The last lines of a running app's output and of its nginx's error log, for a failure report. */
export function serverLog(app: RunningApp, chars = 6000): string {
  const tail = (text: string) => (text.length > chars ? `…${text.slice(-chars)}` : text);
  let nginx = "(none)";
  try {
    nginx = tail(fs.readFileSync(path.join(app.dataDir, "nginx", "logs", "error.log"), "utf8")) || "(empty)";
  } catch {
    // no ingest in this app
  }
  return `--- the server's output (${app.url}) ---\n${tail(app.output()) || "(empty)"}\n--- its nginx error.log ---\n${nginx}`;
}

/**
 * The production server for this file (or describe block), started in beforeAll on its own copy
 * of the seeded district and stopped in afterAll. `prepare` is SQL run on that copy before the
 * server starts; `testClock` gives the server a clock the test moves with `setClock`.
 */
export function useApp(options: { prepare?: string; testClock?: boolean; env?: Record<string, string> } = {}) {
  let app: RunningApp | undefined;
  let scratch: string | undefined;
  let clockFile: string | undefined;
  beforeAll(async () => {
    const { seededDataDir } = e2e();
    let dataDir = seededDataDir;
    const env = { ...options.env };
    if (options.prepare || options.testClock) scratch = fs.mkdtempSync(path.join(os.tmpdir(), "xq-journey-"));
    if (options.prepare) {
      dataDir = path.join(scratch!, "pglite");
      fs.cpSync(seededDataDir, dataDir, { recursive: true });
      const database = await openDatabase({ dataDir });
      await database.pglite!.exec(options.prepare);
      await database.close();
    }
    if (options.testClock) {
      // The server reads its clock offset from this file, so the test moves time instead of waiting.
      clockFile = path.join(scratch!, "clock-offset");
      fs.writeFileSync(clockFile, "0");
      env.XQ_TEST_CLOCK_FILE = clockFile;
    }
    app = await startApp({ seededDataDir: dataDir, env });
  });
  // When a journey fails, what its server and its nginx said goes with the failure: the app and
  // its data folder are gone by the time anyone reads the report.
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      // Not console.error: that fails the next test (fail-on-console-error.ts).
      if (app) process.stderr.write(`${serverLog(app)}\n`);
    });
  });
  afterAll(async () => {
    await app?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });
  const running = () => {
    if (!app) throw new Error("the app starts in beforeAll: use it inside a hook or a test");
    return app;
  };
  return {
    get url() {
      return running().url;
    },
    get app() {
      return running();
    },
    setClock(ms: number) {
      if (!clockFile) throw new Error("useApp({ testClock: true }) to move the clock");
      fs.writeFileSync(clockFile, String(ms));
    },
    signInAs(page: Page, who: DemoUserKey | string, to: string) {
      return signIn(page, running().url, who, to, { fresh: true });
    },
  } satisfies AppHandle;
}

/** One Chromium profile at a phone's size for this file (or describe block), closed in afterAll. */
export function useBrowser(options: Parameters<typeof launchBrowser>[0] = {}) {
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    context = await launchBrowser({ width: 360, height: 740, ...options });
  });
  afterAll(async () => {
    await context?.close();
  });
  const open = () => {
    if (!context) throw new Error("the browser starts in beforeAll: use it inside a hook or a test");
    return context;
  };
  return {
    get context() {
      return open();
    },
    newPage: () => open().newPage(),
    clearCookies: () => open().clearCookies(),
  };
}

/** `n` Chromium profiles at a phone's size (separate sessions, as on separate phones). */
export function useBrowsers(n: number) {
  return Array.from({ length: n }, () => useBrowser());
}

/** `open` for each of `whos` in turn (one after the other, as people arrive): what each gave, in order. */
export async function inTurn<T>(open: (who: string) => Promise<T>, ...whos: string[]) {
  const opened: T[] = [];
  for (const who of whos) opened.push(await open(who));
  return opened;
}

/**
 * People with browsers of their own (each a separate profile, so separate sessions), all closed
 * in afterAll. `person(phone, to)` signs in and lands on `to`; without a phone, a visitor on `to`
 * is not opened anywhere yet.
 */
export function usePeople(app: { readonly url: string }) {
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });
  return async function person(
    who: DemoUserKey | string | null,
    to: string,
    options: { javaScriptEnabled?: boolean } = {},
  ) {
    const context = await launchBrowser({ width: 360, height: 740, ...options });
    contexts.push(context);
    const page = await context.newPage();
    const errors = pageErrors(page);
    if (who) await signIn(page, app.url, who, to);
    return { page, errors, context };
  };
}
