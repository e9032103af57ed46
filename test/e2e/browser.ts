import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { repoRoot } from "../fixtures/paths.js";

/** Debian's chromium (installed by .ci/run); Playwright's own browser download is never used. */
export const chromiumPath = "/usr/bin/chromium";
export const screenshotDir = path.join(repoRoot, "test-results/screenshots");

/**
 * Launches headless Chromium the way this offline machine needs it: without its background connections to
 * Google's services, which the closed network would refuse many times over.
 */
export async function launchBrowser(executablePath = chromiumPath): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium`);
  fs.mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a screenshot of a main screen as a test artifact. */
export async function screenshotTo(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}
