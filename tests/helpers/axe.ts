/**
 * axe-core on every page the browser tests visit. Each page of a context from launchBrowser is
 * checked after every load (a full navigation or a form posted without JavaScript); fitsWidth
 * checks the page as it stands (after client-side navigations too). Serious and critical
 * violations are collected here and fail the test they happened in (tests/helpers/axe-every-page.ts,
 * an e2e setup file). This module has no vitest imports: the e2e global setup loads browser.ts.
 */
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** The impacts that fail a test. */
export const failingImpacts = ["serious", "critical"] as const;

export interface AxeFinding {
  url: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const findings: AxeFinding[] = [];
const pending = new Set<Promise<void>>();

/** The serious and critical violations on the page as it stands. Throws when axe cannot run. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // Legacy mode runs axe.run() in the page itself: the default mode opens a blank page in the
  // test's browser for every check.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return results.violations
    .filter((v) => (failingImpacts as readonly string[]).includes(v.impact ?? ""))
    .map((v) => ({
      url: results.url,
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}

/** Checks the page now and records what fails, for the test's end. */
export async function checkAccessibility(page: Page): Promise<AxeFinding[]> {
  const found = await axeViolations(page);
  findings.push(...found);
  return found;
}

// The page navigated away or closed while it was read: that page is gone, the next load is read.
const gone = (e: unknown) =>
  /Execution context was destroyed|Target (page, context or browser )?(has been )?closed|navigat|frame was detached|Cannot find context/i.test(
    String((e as Error)?.message ?? e),
  );

/** Pages as they were just after a load, checked at the test's end so axe never slows a journey. */
const snapshots: { url: string; html: string; width: number; height: number }[] = [];

function checkOnLoad(page: Page) {
  page.on("load", () => {
    const url = page.url();
    if (!url.startsWith("http")) return;
    const viewport = page.viewportSize() ?? { width: 360, height: 740 };
    const read = page
      .content()
      .then((html) => void snapshots.push({ url, html, ...viewport }))
      .catch((e: unknown) => {
        if (!gone(e) && !page.isClosed())
          findings.push({ url, rule: "axe-error", impact: "critical", help: String(e), targets: [] });
      })
      .finally(() => pending.delete(read));
    pending.add(read);
  });
}

let checker: Browser | undefined;

/**
 * axe on a page as it was read: its HTML, scripts off, its stylesheets from the same server
 * (the base URL is the page's), at the size it was seen.
 */
async function checkSnapshot(snapshot: (typeof snapshots)[number]) {
  checker ??= await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const context = await checker.newContext({
    javaScriptEnabled: false,
    viewport: { width: snapshot.width, height: snapshot.height },
  });
  try {
    const page = await context.newPage();
    const base = `<base href="${snapshot.url.replace(/"/g, "&quot;")}">`;
    const html = /<head[^>]*>/i.test(snapshot.html)
      ? snapshot.html.replace(/<head[^>]*>/i, (head) => `${head}${base}`)
      : `${base}${snapshot.html}`;
    await page.setContent(html, { waitUntil: "load" });
    const found = await axeViolations(page);
    findings.push(...found.map((f) => ({ ...f, url: snapshot.url })));
  } catch (e) {
    findings.push({ url: snapshot.url, rule: "axe-error", impact: "critical", help: String(e), targets: [] });
  } finally {
    await context.close();
  }
}

/** Every page the context opens (now or later) is read after each load and checked later. */
export function checkEveryPage(context: BrowserContext) {
  context.pages().forEach(checkOnLoad);
  context.on("page", checkOnLoad);
}

/** Closes the browser the snapshots were checked in. */
export async function closeAxeChecker() {
  await checker?.close();
  checker = undefined;
}

/** Waits for the checks still running, then hands over (and forgets) what they found. */
export async function takeAxeFindings(): Promise<AxeFinding[]> {
  while (pending.size > 0) await Promise.all([...pending]);
  for (const snapshot of snapshots.splice(0)) await checkSnapshot(snapshot);
  // A page checked on load and again by fitsWidth reports the same thing once.
  const seen = new Set<string>();
  return findings.splice(0).filter((f) => {
    const key = `${f.url} ${f.rule} ${f.targets.join(" | ")}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function describeFindings(list: AxeFinding[]) {
  return list.map((f) => `${f.impact} ${f.rule} on ${f.url}: ${f.help} [${f.targets.join(" | ")}]`).join("\n");
}
