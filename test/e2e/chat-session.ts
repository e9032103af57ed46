import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { launchBrowser } from "./browser.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/** A built Hearth server on a fresh data folder, with one browser page on it that records the page's errors. */
export type ChatSession = {
  server: HearthServer;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
};

export async function openChatSession(tempPrefix: string): Promise<ChatSession> {
  const workDir = tempDir(tempPrefix);
  const server = await startHearthServer(repoRoot, path.join(workDir, "data"));
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return {
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await server.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
