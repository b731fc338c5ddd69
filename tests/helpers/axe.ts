/**
 * axe-core on every page the browser tests visit. Each page of a context from launchBrowser is
 * checked after every load (a full navigation or a form posted without JavaScript); fitsWidth
 * checks the page as it stands (after client-side navigations too). Serious and critical
 * violations are collected here and fail the test they happened in (tests/helpers/axe-every-page.ts,
 * an e2e setup file). This module has no vitest imports: the e2e global setup loads browser.ts.
 */
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";

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

/**
 * Contexts with JavaScript turned off: axe runs as a script in the page, and there it never
 * answers (the check would hang the test). Those pages are checked where the journeys visit them
 * with JavaScript.
 */
const scriptless = new WeakSet<BrowserContext>();

/** Checks the page now and records what fails, for the test's end. */
const running = new WeakMap<Page, Promise<unknown>>();

export async function checkAccessibility(page: Page): Promise<AxeFinding[]> {
  if (scriptless.has(page.context())) return [];
  // One axe run at a time in a page ("Axe is already running"): the load check and fitsWidth's take turns.
  const before = running.get(page) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => axeViolations(page));
  running.set(page, run);
  const found = await run;
  findings.push(...found);
  return found;
}

// The page navigated away or closed while axe ran (a new document has no axe in it): that page is
// gone, the next load is checked.
const gone = (e: unknown) =>
  /Execution context was destroyed|reading 'run'|axe is not defined|Target (page, context or browser )?(has been )?closed|navigation|frame was detached|Cannot find context/i.test(
    String((e as Error)?.message ?? e),
  );

/** How long one check may take: a page that never answers (closed mid-check) must not hold the test. */
const checkTimeoutMs = 20_000;
const timeout = (ms: number) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`axe did not finish in ${ms} ms`)), ms).unref());

function checkOnLoad(page: Page) {
  page.on("load", () => {
    if (page.url().startsWith("about:")) return;
    const run = Promise.race([checkAccessibility(page), timeout(checkTimeoutMs)])
      .then(() => undefined)
      .catch((e: unknown) => {
        // A check that timed out on a page still open is a failure too (the page hung).
        if (!gone(e) && !page.isClosed())
          findings.push({ url: page.url(), rule: "axe-error", impact: "critical", help: String(e), targets: [] });
      })
      .finally(() => pending.delete(run));
    pending.add(run);
  });
}

/** Every page the context opens (now or later) is checked after each load. */
export function checkEveryPage(context: BrowserContext, options: { javaScriptEnabled?: boolean } = {}) {
  if (options.javaScriptEnabled === false) {
    scriptless.add(context);
    return;
  }
  context.pages().forEach(checkOnLoad);
  context.on("page", checkOnLoad);
}

/** Waits for the checks still running, then hands over (and forgets) what they found. */
export async function takeAxeFindings(): Promise<AxeFinding[]> {
  // Each check ends within checkTimeoutMs (it records an error if it did not finish).
  while (pending.size > 0) await Promise.all([...pending]);
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
