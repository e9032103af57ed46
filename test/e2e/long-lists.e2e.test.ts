import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../../electron/core/store/store.js";
import { seedBenchData, type SeededData } from "../../scripts/bench-ui-data.js";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/**
 * Long lists in the real app: hundreds of conversations in the sidebar (paged from the core, only the rows near the
 * screen in the page) and a long chat of answers with code and tables (markdown parsed as rows come into view).
 * The data is bench:ui's, smaller.
 */

const CONVERSATIONS = 450;
const MESSAGES = 400;

let server: HearthServer | undefined;
let browser: Browser | undefined;
let page: Page;
let seeded: SeededData;
const pageErrors: string[] = [];

beforeAll(async () => {
  const dataDir = path.join(tempDir("hearth-e2e-long-lists-"), "data");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = new Store(path.join(dataDir, "hearth.db"));
  try {
    const modelFile = path.join(dataDir, "listed-model.gguf");
    fs.writeFileSync(modelFile, "GGUF");
    seeded = seedBenchData(store, { messages: MESSAGES, conversations: CONVERSATIONS, modelFile });
    // The oldest conversation, to look for at the end of the list.
    store.renameConversation(store.listConversations().at(-1)!.id, "The very first chat");
    store.db.prepare("UPDATE conversations SET updated_at = 1 WHERE title = ?").run("The very first chat");
  } finally {
    store.close();
  }
  server = await startHearthServer(repoRoot, dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await page.locator(`[data-conversation-id="${seeded.startId}"].active`).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const sidebar = () => page.locator(".sidebar-scroll");
const items = () => page.getByTestId("conversation-item");

describe("the sidebar with hundreds of conversations", () => {
  it("holds only the rows near the screen, and loads older pages as it scrolls to the end", async () => {
    expect(await items().count()).toBeLessThan(60);
    const first = page.getByTestId("conversation-item").filter({ hasText: "The very first chat" });
    expect(await first.count()).toBe(0);

    // Scroll to the end again and again: each time near the end, the next page comes from the core.
    await expect
      .poll(
        async () => {
          await sidebar().evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return first.count();
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(1);
    expect(await items().count()).toBeLessThan(60);
    await screenshotTo(page, "long-lists-sidebar-end");

    // Back at the top, the newest are there, and a click still opens one.
    await sidebar().evaluate((el) => el.scrollTo(0, 0));
    await page.locator(`[data-conversation-id="${seeded.longId}"] .conversation-open`).click();
    await page.locator(`[data-conversation-id="${seeded.longId}"].active`).waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe("a long chat of answers with code and tables", () => {
  it("shows each row's markdown parsed once it has come into view, and the place holds", async () => {
    const list = page.getByTestId("message-list");
    await page.locator(`[data-message-id="${seeded.longLastId}"]`).waitFor();
    // Scroll up fast, a screen and a half a frame, for a while.
    await list.evaluate(async (el) => {
      for (let i = 0; i < 40; i++) {
        el.scrollBy(0, -Math.round(el.clientHeight * 1.5));
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    });
    // Once the scrolling stops, every row on screen is parsed within a moment (tables and code blocks, not the text
    // as written), and the rows stay where they are.
    const pending = page.locator('[data-testid="message-list"] .md-pending');
    await expect.poll(() => pending.count(), { timeout: 10_000 }).toBe(0);
    const onScreen = () =>
      list.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return Array.from(el.querySelectorAll("[data-message-id]"))
          .filter((row) => {
            const r = row.getBoundingClientRect();
            return r.bottom > box.top && r.top < box.bottom;
          })
          .map((row) => ({ id: row.getAttribute("data-message-id"), top: Math.round(row.getBoundingClientRect().top), html: row.innerHTML }));
      });
    const settled = await onScreen();
    expect(settled.length).toBeGreaterThan(0);
    const answers = settled.map((row) => row.html).join("\n");
    expect(answers).toMatch(/<table>|class="code-block"|<h3>/);
    expect(answers).not.toMatch(/\n\| --- \||```ts/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await onScreen()).map(({ id, top }) => ({ id, top }))).toEqual(settled.map(({ id, top }) => ({ id, top })));
    await screenshotTo(page, "long-lists-chat-scrolled");
    expect(pageErrors).toEqual([]);
  });
});
