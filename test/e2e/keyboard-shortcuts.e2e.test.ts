import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, send, setMaxOutputTokens } from "./chat-steps.js";
import { openChatSession, type ChatSession } from "./chat-session.js";

/**
 * The keyboard shortcuts as a user presses them, on the built server with the real stories260K model: Esc stops
 * an answer, ↑ in the empty message box edits the last message, Ctrl+/ lists the shortcuts, Ctrl+N opens a new chat.
 */

let session: ChatSession;

beforeAll(async () => {
  if (!fs.existsSync(storiesModel)) throw new Error(`The test model is missing: ${storiesModel}`);
  session = await openChatSession("hearth-e2e-shortcuts-");
});

afterAll(async () => {
  await session?.close();
});

describe("keyboard shortcuts in the browser", () => {
  it("Esc stops, ↑ edits the last message, Ctrl+/ shows the sheet, Ctrl+N starts a new chat", async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await setMaxOutputTokens(page, 2000);

    await send(page, "Tell me a story about a brave little fox");
    const answer = page.getByTestId("message-assistant").last();
    await expect.poll(() => answer.getAttribute("data-status"), { timeout: 60_000, interval: 50 }).toBe("streaming");
    await page.keyboard.press("Escape");
    await expect.poll(() => answer.getAttribute("data-status"), { timeout: 30_000, interval: 100 }).toBe("stopped");

    // ↑ with text in the message box moves the caret as usual; in the empty box it opens the last message's editor.
    const composer = page.getByTestId("composer");
    await composer.fill("not empty");
    await composer.press("ArrowUp");
    expect(await page.getByTestId("message-editor").count()).toBe(0);
    await composer.fill("");
    await composer.press("ArrowUp");
    await expect.poll(() => page.getByTestId("message-editor").inputValue()).toBe("Tell me a story about a brave little fox");
    await screenshotTo(page, "shortcuts-01-editing");
    await page.getByTestId("message-editor").locator("xpath=..").getByRole("button", { name: "Cancel" }).click();

    await page.keyboard.press("Control+/");
    const sheet = page.getByTestId("shortcuts-sheet");
    await sheet.waitFor();
    const keys = async (id: string) => sheet.locator(`[data-shortcut="${id}"] kbd`).allInnerTexts();
    expect(await keys("new-chat")).toEqual(["Ctrl", "N"]);
    expect(await keys("stop")).toEqual(["Esc"]);
    expect(await keys("edit-last-message")).toEqual(["↑"]);
    expect(await keys("shortcuts")).toEqual(["Ctrl", "/"]);
    expect(await sheet.innerText()).toContain("Copy the last answer");
    await screenshotTo(page, "shortcuts-02-sheet");
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });

    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(1);
    await page.keyboard.press("Control+n");
    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(2);
    await expect.poll(() => page.getByTestId("message-user").count()).toBe(0);
    expect(await page.getByTestId("chat-title").innerText()).toBe("New chat");
    expect(session.pageErrors).toEqual([]);
  });
});
