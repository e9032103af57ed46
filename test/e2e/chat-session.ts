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
  /** Another tab in the same browser (not navigated yet); its errors join pageErrors, named by `label`. */
  openTab(label: string): Promise<Page>;
  close(): Promise<void>;
};

export async function openChatSession(tempPrefix: string): Promise<ChatSession> {
  const workDir = tempDir(tempPrefix);
  const server = await startHearthServer(repoRoot, path.join(workDir, "data"));
  const browser = await launchBrowser();
  const pageErrors: string[] = [];
  const newTab = async (label: string | null): Promise<Page> => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    tab.setDefaultTimeout(30_000);
    tab.on("pageerror", (error) => pageErrors.push(label ? `${label}: ${error.message}` : error.message));
    return tab;
  };
  const page = await newTab(null);
  return {
    server,
    browser,
    page,
    pageErrors,
    openTab: newTab,
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
    openTab: (label) => open().openTab(label),
  };
}
