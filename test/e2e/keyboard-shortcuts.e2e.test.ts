import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, send, setMaxOutputTokens } from "./chat-steps.js";
import { openChatSession, type ChatSession } from "./chat-session.js";

/**
 * The keyboard shortcuts as a user presses them, on the built server with the real stories260K model: Esc stops
 * an answer, ↑ in the empty message box edits the last message, Ctrl+/ lists the shortcuts, Ctrl+N opens a new chat;
 * then the new chat's settings: a bounded answer length and sampling settings that are kept.
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

  it("a new chat stops answers at a length, and keeps a seed set in its sampling settings across a reload", async () => {
    const { page } = session;
    if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
    expect(await page.getByTestId("settings-max-tokens").inputValue()).toBe("1024");
    await page.getByTestId("settings-sampling").locator("summary").click();
    expect(await page.getByTestId("settings-top-k").inputValue()).toBe("40");
    await page.getByTestId("settings-seed").fill("42");
    await page.getByTestId("settings-top-p").fill("0.9");
    await page.getByTestId("settings-save").click();
    await expect.poll(() => page.getByTestId("settings-save").innerText()).toBe("Saved");
    await screenshotTo(page, "shortcuts-03-sampling");

    await page.reload();
    await page.getByTestId("conversation-item").first().locator(".conversation-open").click();
    if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
    await page.getByTestId("settings-sampling").locator("summary").click();
    expect(await page.getByTestId("settings-seed").inputValue()).toBe("42");
    expect(await page.getByTestId("settings-top-p").inputValue()).toBe("0.9");
    expect(session.pageErrors).toEqual([]);
  });

  it("the theme in Settings: dark or light whatever the system says, kept across a reload; System follows the system", async () => {
    const { page } = session;
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByTestId("settings-open").click();
    await expect.poll(() => page.getByTestId("theme").getAttribute("data-mode")).toBe("system");
    await expect.poll(theme).toBe("light");
    const light = await background();

    await page.getByTestId("theme-dark").click();
    await expect.poll(theme).toBe("dark");
    await expect.poll(background).not.toBe(light);
    await screenshotTo(page, "shortcuts-04-dark");
    await page.reload();
    await page.getByTestId("settings-open").click();
    await expect.poll(() => page.getByTestId("theme").getAttribute("data-mode")).toBe("dark");
    expect(await theme()).toBe("dark");

    await page.getByTestId("theme-system").click();
    await expect.poll(theme).toBe("light");
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(theme).toBe("dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByTestId("theme-light").click();
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(() => page.getByTestId("theme").getAttribute("data-mode")).toBe("light");
    expect(await theme()).toBe("light");
    expect(await background()).toBe(light);
    expect(session.pageErrors).toEqual([]);
  });

  it("a new chat starts with the system prompt set in Settings", async () => {
    const { page } = session;
    await page.getByTestId("default-system-prompt").fill("You are a patient storyteller.");
    await page.getByTestId("default-system-prompt-save").click();
    await expect.poll(() => page.getByTestId("default-system-prompt-save").innerText()).toBe("Saved");
    await page.keyboard.press("Control+n");
    await page.getByTestId("chat-title").waitFor();
    if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
    await expect.poll(() => page.getByTestId("settings-system-prompt").inputValue()).toBe("You are a patient storyteller.");
    expect(session.pageErrors).toEqual([]);
  });

  it("a preset saved from one chat's settings fills another chat's", async () => {
    const { page } = session;
    await page.getByTestId("settings-sampling").locator("summary").click();
    await page.getByTestId("settings-seed").fill("99");
    await page.getByTestId("settings-temperature").fill("1.2");
    await page.getByTestId("preset-save-as").click();
    await page.getByTestId("preset-name").fill("Seeded");
    await page.getByTestId("preset-name-save").click();
    await expect.poll(() => page.getByTestId("preset-select").locator("option").allInnerTexts()).toContain("Seeded");

    await page.keyboard.press("Control+n");
    await expect.poll(() => page.getByTestId("preset-select").inputValue()).toBe("");
    await page.getByTestId("settings-sampling").locator("summary").click();
    expect(await page.getByTestId("settings-seed").inputValue()).toBe("");
    await page.getByTestId("preset-select").selectOption({ label: "Seeded" });
    expect(await page.getByTestId("settings-seed").inputValue()).toBe("99");
    expect(await page.getByTestId("settings-temperature").inputValue()).toBe("1.2");
    await page.getByTestId("settings-save").click();
    await expect.poll(() => page.getByTestId("settings-save").innerText()).toBe("Saved");
    expect(session.pageErrors).toEqual([]);
  });
});
