import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { checkEveryPage } from "./axe";

export const chromiumPath = "/usr/bin/chromium";

/** Chromium's flags for a fake camera and microphone that need no permission prompt. */
export const fakeCameraArgs = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

/**
 * Debian's Chromium, never a downloaded browser, at a phone's size unless told otherwise. Every
 * page it opens is checked with axe after each load (axe.ts) unless `axe: false` (benchmarks).
 */
export async function launchBrowser(
  options: { width?: number; height?: number; javaScriptEnabled?: boolean; args?: string[]; axe?: boolean } = {},
): Promise<BrowserContext> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "xq-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: options.width ?? 360, height: options.height ?? 740 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(options.args ?? []),
    ],
  });
  if (options.axe !== false) checkEveryPage(context, { javaScriptEnabled: options.javaScriptEnabled });
  context.on("close", () => {
    // Chromium may still be writing its caches as it exits; a leftover temp folder is harmless.
    setTimeout(() => fs.rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }, () => {}), 200);
  });
  return context;
}
