import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";

/** Steps of a chat session through the UI that more than one end-to-end test takes. */

/** Sets the open conversation's answer length in its settings panel and waits until it is saved. */
export async function setMaxOutputTokens(page: Page, tokens: number): Promise<void> {
  if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
  await page.getByTestId("settings-max-tokens").fill(String(tokens));
  await page.getByTestId("settings-save").click();
  await expect.poll(() => page.getByTestId("settings-save").innerText()).toBe("Saved");
}

/** Types a message, sends it with Enter, and waits until the composer has taken it. */
export async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByTestId("composer");
  await composer.fill(text);
  await composer.press("Enter");
  await expect.poll(() => composer.inputValue()).toBe("");
}

/** Waits until an answer has finished streaming and ended well (the test model on 2 cores can take a while). */
export async function waitComplete(answer: Locator): Promise<void> {
  await expect.poll(() => answer.getAttribute("data-status"), { timeout: 90_000, interval: 100 }).toBe("complete");
}

/** Imports a local GGUF from the welcome screen, opens a new chat, and waits until the chat has picked the model. */
export async function importModelAndStartChat(page: Page, modelPath: string): Promise<void> {
  await page.getByTestId("model-path-input").fill(modelPath);
  await page.getByTestId("import-model").click();
  await page.getByTestId("welcome").waitFor({ state: "detached" });
  await page.getByTestId("new-chat").click();
  await expect.poll(() => page.getByTestId("model-picker").inputValue()).not.toBe("");
}

/**
 * Opens a user message's inline editor. The click is tried again until the editor shows: on a loaded 2-core machine
 * the list may still be laying rows out (rows are measured, and answers parsed, between frames) as the pointer
 * lands, and a press and release on two renderings of the button make no click.
 */
export async function openEditor(page: Page, userItem: Locator): Promise<void> {
  await expect
    .poll(
      async () => {
        if ((await page.getByTestId("message-editor").count()) === 0) await userItem.getByTestId("edit-message").click({ timeout: 5_000 });
        return page.getByTestId("message-editor").count();
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(1);
}
