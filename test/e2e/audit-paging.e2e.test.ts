import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../electron/core/cloud/audit-log.js";
import { openDatabase } from "../../electron/core/store/database.js";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/**
 * A long audit log (250 requests, written before Hearth starts): the view opens on the newest page, loads older
 * pages as the user scrolls, and filters in the core, so totals and rows cover the whole log.
 */
const ENTRIES = 250;
let browser: Browser;
let page: Page;
let server: HearthServer;
const pageErrors: string[] = [];

beforeAll(async () => {
  const dataDir = path.join(tempDir(), "data");
  fs.mkdirSync(dataDir, { mode: 0o700 });
  const db = openDatabase(path.join(dataDir, "hearth.db"));
  let time = Date.now() - ENTRIES * 1000;
  const log = new AuditLog(db, () => (time += 1000));
  for (let n = 0; n < ENTRIES; n++) {
    const entry = log.begin({
      conversationId: null,
      conversationTitle: null,
      purpose: "provider-test",
      providerName: n % 2 === 0 ? "Acme" : "Team vLLM",
      providerKind: "openai-compatible",
      model: "m",
      host: "llm.example",
      payload: `{"n":${n}}`,
      bytesSent: 8,
    });
    const failed = n % 10 === 0;
    log.finish(entry.id, { bytesReceived: 1, tokensIn: null, tokensOut: null, costUsd: null, outcome: failed ? "error" : "ok", error: failed ? "HTTP 500" : null, durationMs: 5 });
  }
  db.close();
  server = await startHearthServer(repoRoot, dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("a long audit log", () => {
  it("loads pages as the user scrolls, and filters by outcome and provider with the core's totals", async () => {
    await page.goto(server.url);
    await page.getByTestId("audit-open").click();
    const view = page.getByTestId("audit-view");
    const rows = view.getByTestId("audit-row");
    const totals = view.getByTestId("audit-totals");
    await expect.poll(() => rows.count()).toBe(100);
    expect(await totals.innerText()).toMatch(/^250 requests/);
    // The link counts the whole log, not the page shown.
    expect(await page.getByTestId("audit-open").locator(".count").innerText()).toBe(String(ENTRIES));

    // Scrolling to the end of the table brings the next page, then the last; then there is nothing more.
    await view.getByTestId("audit-more").scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBe(200);
    await view.getByTestId("audit-more").scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBe(ENTRIES);
    expect(await view.getByTestId("audit-more").count()).toBe(0);
    const ids = await rows.evaluateAll((all) => all.map((row) => row.getAttribute("data-entry-id")));
    expect(new Set(ids).size).toBe(ENTRIES);
    await screenshotTo(page, "ap-01-all-pages");

    await view.getByTestId("audit-filter-outcome").selectOption("error");
    await expect.poll(() => rows.count()).toBe(25);
    expect(await totals.innerText()).toMatch(/^25 requests .* 25 failed$/);
    expect(await view.locator('[data-testid="audit-row"]:not([data-outcome="error"])').count()).toBe(0);

    // Entries 0, 10, 20 ... failed; the even ones went to Acme.
    await view.getByTestId("audit-filter-provider").selectOption("Acme");
    await expect.poll(() => totals.innerText()).toMatch(/^25 requests/);

    // Export saves what the filters match (all of it, not the pages loaded) and says so before the click.
    expect(await view.getByTestId("audit-export-scope").innerText()).toBe("Export 25 entries matching the filters:");
    const [download] = await Promise.all([page.waitForEvent("download"), view.getByTestId("audit-export-json").click()]);
    const exported = JSON.parse(fs.readFileSync(await download.path(), "utf8")) as { outcome: string; providerName: string }[];
    expect(exported).toHaveLength(25);
    expect(exported.every((e) => e.outcome === "error" && e.providerName === "Acme")).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^hearth-audit-filtered-.*\.json$/);
    await view.getByTestId("audit-filter-provider").selectOption("Team vLLM");
    await expect.poll(() => view.getByTestId("audit-empty").count()).toBe(1);
    expect(await view.getByTestId("audit-empty").innerText()).toBe("No entries match these filters.");
    await screenshotTo(page, "ap-02-filtered-empty");

    await view.getByTestId("audit-filter-clear").click();
    await expect.poll(() => rows.count()).toBe(100);
    expect(await totals.innerText()).toMatch(/^250 requests/);
    expect(await view.getByTestId("audit-export-scope").innerText()).toBe("Export all 250 entries:");
    expect(pageErrors).toEqual([]);
  });
});
