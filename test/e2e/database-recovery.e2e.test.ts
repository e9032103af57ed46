import fs from "node:fs";
import path from "node:path";
import { type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Conversation } from "../../electron/contract/index.js";
import { createCore } from "../../electron/core/core.js";
import { call } from "../fixtures/core-call.js";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { watchCspViolations } from "./csp-violations.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/**
 * A user whose hearth.db was damaged while Hearth was closed: the built server starts in recovery, the page shows
 * the dialog, and restoring the newest backup brings the conversation back.
 */

let browser: Browser;
let page: Page;
let server: HearthServer;
let workDir: string;
let csp: { violations: string[] };

beforeAll(async () => {
  workDir = tempDir("hearth-e2e-recovery-");
  const dataDir = path.join(workDir, "data");
  // Two starts of the real core: the second backs up the file with the conversation in it.
  for (let start = 0; start < 2; start++) {
    const core = await createCore({ dataDir, shell: "browser", policyFile: null, threads: 1 });
    if (start === 0) {
      const conversation = await call<Conversation>(core, "createConversation", {});
      await call(core, "renameConversation", { conversationId: conversation.id, title: "Notes before the damage" });
    }
    await core.dispose();
  }
  fs.writeFileSync(path.join(dataDir, "hearth.db"), Buffer.alloc(24576, 0x42));
  server = await startHearthServer(repoRoot, dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30_000);
  csp = await watchCspViolations(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("database recovery in the browser", () => {
  it("offers the newest backup and restores the conversations", async () => {
    await page.goto(server.url);
    const dialog = page.getByTestId("database-recovery");
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/damaged/);
    expect(await dialog.innerText()).toMatch(/Nothing was deleted/);
    expect(await page.getByTestId("conversation-item").count()).toBe(0);
    await screenshotTo(page, "database-recovery");

    await page.getByTestId("database-restore").click();
    await expect.poll(() => page.getByTestId("conversation-item").allInnerTexts(), { timeout: 30_000 }).toEqual([
      expect.stringContaining("Notes before the damage"),
    ]);
    expect(await page.getByTestId("database-recovery").count()).toBe(0);
    expect(csp.violations).toEqual([]);
  });
});
