import path from "node:path";
import { describe, expect, it } from "vitest";
import { chatGptConversation, writeChatGptExport } from "../fixtures/chatgpt-export-writer.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * Importing ChatGPT's conversations.json by its path, as a browser-mode user does (the page cannot hand over a
 * file's path, so it is typed): a file over the old 6 M-character limit, with one broken conversation, imports the
 * rest with a summary that says what was left out; the first opens, and find matches its answer as it reads.
 */

const session = useChatSession("hearth-e2e-path-import-");

describe("path import in the browser", () => {
  it("imports a large ChatGPT export by its path, says what was left out, and find matches across formatting", async () => {
    const { page, server, pageErrors } = session;
    const file = path.join(tempDir("hearth-e2e-path-import-file-"), "conversations.json");
    const formatted = chatGptConversation(0, 1, "");
    const first = formatted as { title: string; mapping: Record<string, { message: { content: { parts: string[] } } | null }> };
    first.title = "Formatting check";
    first.mapping["c0-a0"]!.message!.content.parts = ["This is a very **bold** word, then `inline code` and a [link](https://example.com) here."];
    const written = writeChatGptExport(file, {
      conversations: 1_500,
      turns: () => 2,
      answerChars: 3_000,
      conversation: (i) => (i === 0 ? formatted : i === 7 ? { title: "Broken one", mapping: [] } : undefined),
    });
    expect(written.bytes).toBeGreaterThan(6_000_000 * 1.5);

    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await page.getByTestId("conversation-import").locator("summary").click();
    await page.getByTestId("conversation-import-path").fill(file);
    await page.getByTestId("conversation-import-path-submit").click();
    const notice = page.getByTestId("notice").filter({ hasText: "Imported 1,499 conversations" });
    await notice.waitFor({ timeout: 240_000 });
    expect(await notice.innerText()).toMatch(/Imported 1,499 conversations \(5,994 messages\) from conversations\.json\. 1 conversation could not be read \(first, “Broken one”: It does not match ChatGPT's format: mapping/);
    await screenshotTo(page, "path-import-01-done");

    // The first conversation opened, and the list has the imported ones (fetched again, not sent one by one).
    await expect.poll(() => page.getByTestId("chat-title").innerText()).toBe("Formatting check");
    await expect.poll(() => page.getByTestId("conversation-item").filter({ hasText: "Chat 1" }).count()).toBeGreaterThan(0);

    await page.keyboard.press("Control+f");
    const find = page.getByTestId("find-input");
    await find.fill("very bold word");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("1/1");
    const current = () =>
      page.evaluate(() => {
        const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
        return [...(registry.get("hearth-find-current") ?? [])].map((r) => r.toString());
      });
    // One highlight running through the bold word's element.
    await expect.poll(current).toEqual(["very bold word"]);
    await find.fill("then inline code and a link here");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("1/1");
    await expect.poll(current).toEqual(["then inline code and a link here"]);
    await screenshotTo(page, "path-import-02-find");
    await find.fill("example.com");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("No matches");
    expect(pageErrors).toEqual([]);
  });

  it("says what is wrong with a path that is not a file", async () => {
    const { page } = session;
    const field = page.getByTestId("conversation-import-path");
    if (!(await field.isVisible())) await page.getByTestId("conversation-import").locator("summary").click();
    await field.fill(path.join(tempDir("hearth-e2e-path-import-dir-")));
    await page.getByTestId("conversation-import-path-submit").click();
    await page.getByTestId("notice").filter({ hasText: "That path is a folder, not a file." }).waitFor();
  });
});
