import fs from "node:fs";
import path from "node:path";
import type { Download, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { repoRoot, storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, send, setMaxOutputTokens, waitComplete } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * Export and import as a user does them, on the built server with the real stories260K model: a chat with two
 * versions of its answer is exported as JSON from its menu (a browser download), imported back from the sidebar, and
 * opens with the same messages and versions; the Markdown export reads as a transcript; ChatGPT's
 * conversations.json imports too, and a broken file says what is wrong.
 */

const session = useChatSession("hearth-e2e-transfer-");

const answers = (page: Page) => page.getByTestId("message-assistant");
const userTexts = (page: Page) => page.getByTestId("message-user-item").allInnerTexts();

/** Chooses an export from the active conversation's menu and returns what the browser downloaded. */
async function exportActive(page: Page, format: "markdown" | "json"): Promise<{ name: string; text: string }> {
  const item = page.locator('[data-testid="conversation-item"].active');
  await item.hover();
  await item.getByTestId("conversation-export").locator("summary").click();
  const [download] = await Promise.all([page.waitForEvent("download"), item.getByTestId(`conversation-export-${format}`).click()]);
  return { name: download.suggestedFilename(), text: await readDownload(download) };
}

async function readDownload(download: Download): Promise<string> {
  const file = await download.path();
  return fs.readFileSync(file, "utf8");
}

/** Picks a file in the sidebar's Import and waits for the notice (info or error) whose text matches. */
async function importFile(page: Page, file: { name: string; buffer: Buffer }, kind: "notice-info" | "notice", says: RegExp): Promise<void> {
  await page.getByTestId("conversation-import-file").setInputFiles({ ...file, mimeType: "application/json" });
  await page.getByTestId(kind).filter({ hasText: says }).waitFor();
}

describe("export and import in the browser", () => {
  it("exports a chat as JSON and Markdown, imports the JSON back with its versions, and imports ChatGPT's export", async () => {
    const { page, pageErrors } = session;
    await page.goto(session.server.url);
    await importModelAndStartChat(page, storiesModel);
    await setMaxOutputTokens(page, 8);
    await send(page, "Once upon a time there was a fox");
    await expect.poll(() => answers(page).count(), { timeout: 60_000 }).toBe(1);
    await waitComplete(answers(page).last());
    // A second version of the answer: the JSON keeps both, the Markdown shows the one on screen.
    await page.getByTestId("regenerate").last().click();
    await expect.poll(() => page.getByTestId("version-label").last().innerText(), { timeout: 60_000 }).toBe("2/2");
    await waitComplete(answers(page).last());
    const shownAnswer = await answers(page).last().innerText();

    const json = await exportActive(page, "json");
    expect(json.name).toMatch(/\.hearth\.json$/);
    const file = JSON.parse(json.text) as { format: string; version: number; messages: unknown[] };
    expect(file).toMatchObject({ format: "hearth.conversation", version: 1 });
    expect(file.messages).toHaveLength(3);

    const markdown = await exportActive(page, "markdown");
    expect(markdown.name).toMatch(/\.md$/);
    expect(markdown.text).toMatch(/^# .+\n\n_Exported from Hearth on .+ · 2 messages \(the branch shown; 1 other version only in the JSON export\)_/);
    expect(markdown.text).toMatch(/### You · \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\nOnce upon a time there was a fox/);
    expect(markdown.text).toMatch(/### stories260K[^\n]* \(local\) · /);

    const before = await page.getByTestId("conversation-item").count();
    await importFile(page, { name: json.name, buffer: Buffer.from(json.text) }, "notice-info", /^Imported “.+” \(3 messages\) from .+\.hearth\.json\./);
    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(before + 1);
    // The copy opens on the same branch: the same question, the same answer shown, two versions of it.
    await expect.poll(() => userTexts(page)).toEqual([expect.stringContaining("Once upon a time there was a fox")]);
    await expect.poll(() => answers(page).last().innerText()).toBe(shownAnswer);
    expect(await page.getByTestId("version-label").last().innerText()).toBe("2/2");
    await screenshotTo(page, "transfer-01-imported");

    const chatGpt = fs.readFileSync(path.join(repoRoot, "test/fixtures/chatgpt/conversations.json"));
    await importFile(page, { name: "conversations.json", buffer: chatGpt }, "notice-info", /^Imported 2 conversations \(9 messages\) from conversations\.json; 1 empty conversation was skipped\./);
    await expect.poll(() => userTexts(page)).toContainEqual(expect.stringContaining("How often should I feed a rye sourdough starter"));

    await importFile(page, { name: "broken.json", buffer: Buffer.from('{"format":"hearth.conversation","version":7}') }, "notice", /version 7; this Hearth reads version 1/);
    expect(pageErrors).toEqual([]);
  });
});
