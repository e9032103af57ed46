import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
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

/**
 * Opens a session before this file's tests and closes it after them; the fields read the open session, so read them
 * inside a test or hook. The chat tests run on the stories260K model: when it is missing they fail, not skip.
 */
export function useChatSession(tempPrefix: string): Omit<ChatSession, "close"> {
  let session: ChatSession | undefined;
  beforeAll(async () => {
    if (!fs.existsSync(storiesModel)) throw new Error(`The test model is missing: ${storiesModel}`);
    session = await openChatSession(tempPrefix);
  });
  afterAll(async () => {
    await session?.close();
  });
  const open = (): ChatSession => {
    if (!session) throw new Error("The chat session is not open yet: read it inside a test or hook.");
    return session;
  };
  return {
    get server() {
      return open().server;
    },
    get browser() {
      return open().browser;
    },
    get page() {
      return open().page;
    },
    get pageErrors() {
      return open().pageErrors;
    },
  };
}
