import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { Store } from "../../electron/core/store/store.js";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/**
 * A search hit far back in a long chat: the chat opens at its latest messages (paged, and the list only renders
 * what is near the view), so opening the hit must bring the message in and scroll to it.
 */

const MESSAGES = 600;
const TARGET = 25;

let server: HearthServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** One chat of MESSAGES messages, written through the Store before the server starts; one word is in one message. */
function seed(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = new Store(path.join(dataDir, "hearth.db"));
  try {
    store.addModel({ name: "stories260K", path: storiesModel, sizeBytes: fs.statSync(storiesModel).size, architecture: "llama",
      parameters: null, quantization: null, trainContextLength: 512, hasChatTemplate: false });
    const chat = store.createConversation(null);
    store.renameConversation(chat.id, "A very long chat");
    for (let i = 0; i < MESSAGES; i++) {
      const word = i === TARGET ? "platypus" : "river";
      store.addMessage({ conversationId: chat.id, role: i % 2 ? "assistant" : "user", status: "complete",
        content: `Message ${i}: the ${word} ran past the mill and the bridge and the tall trees by the water.` });
    }
    store.createConversation(null);
  } finally {
    store.close();
  }
}

describe("search in a long chat", () => {
  it("opens a hit hundreds of messages back: it is loaded, scrolled to and shown", async () => {
    const dataDir = path.join(tempDir("hearth-e2e-search-long-"), "data");
    seed(dataDir);
    server = await startHearthServer(repoRoot, dataDir);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(server.url);

    await page.getByTestId("search-open").click();
    await page.getByTestId("search-input").fill("platyp");
    const result = page.getByTestId("search-result").first();
    await result.waitFor();
    expect(await result.locator("mark").allInnerTexts()).toEqual(["platypus"]);
    await result.click();

    const target = page.locator(`[data-testid="message-list"] [data-message-id]`).filter({ hasText: `Message ${TARGET}:` });
    await expect.poll(() => target.count(), { timeout: 20_000 }).toBe(1);
    await expect
      .poll(async () => {
        const box = await target.boundingBox();
        const list = await page.getByTestId("message-list").boundingBox();
        return box !== null && list !== null && box.y >= list.y && box.y + 20 <= list.y + list.height;
      }, { timeout: 20_000 })
      .toBe(true);
    await screenshotTo(page, "search-long-chat");
    expect(pageErrors).toEqual([]);
  });
});
