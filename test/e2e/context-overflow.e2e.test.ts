import { describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, send, setMaxOutputTokens, waitComplete } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * "Stop and ask me" when the conversation outgrows the model's memory, in the browser on the built server with the
 * real stories260K model and a 256-token context: nothing is dropped silently; the answer stops and says how many
 * messages would go; "Drop the oldest messages and answer" answers, and the conversation shows where memory begins.
 */

const session = useChatSession("hearth-e2e-overflow-");

const answers = () => session.page.getByTestId("message-assistant");
const divider = () => session.page.getByTestId("context-divider");
const meter = () => session.page.getByTestId("context-meter");

describe("stop and ask when the conversation is longer than the model's memory", () => {
  it("stops with what would be dropped, and drops it only when the user says so", async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await page.getByTestId("settings-toggle").click();
    await page.getByTestId("settings-context-size").fill("256");
    await page.getByTestId("settings-context-overflow-stop-and-ask").click();
    expect(await page.getByTestId("settings-context-overflow-help").innerText()).toMatch(/asks you before the model forgets anything/);
    await setMaxOutputTokens(page, 8);

    let failed = false;
    for (let i = 1; i <= 12 && !failed; i++) {
      await send(page, `Turn ${i}: once upon a time a little fox walked through the big green forest and met a bird, a frog and a bear.`);
      await expect.poll(() => answers().count()).toBe(i);
      await expect
        .poll(() => answers().last().getAttribute("data-status"), { timeout: 90_000, interval: 100 })
        .toMatch(/^(complete|error)$/);
      failed = (await answers().last().getAttribute("data-status")) === "error";
      // Nothing is dropped silently: until the user agrees, the model reads the whole conversation.
      expect(await divider().count()).toBe(0);
    }
    expect(failed, "a 256-token context fills within 12 turns").toBe(true);
    const asked = answers().last();
    const question = await asked.getByTestId("message-error").innerText();
    expect(question).toMatch(/no longer fits in the model's context .* Drop the first \d+ messages/);
    const wouldDrop = Number(/Drop the first (\d+) messages/.exec(question)![1]);
    // The header shows the whole conversation over the context: nothing has left the model's memory yet.
    await expect.poll(() => meter().getAttribute("data-level")).toBe("full");
    expect(Number(/^(\d+) \/ 256 tokens$/.exec(await meter().innerText())?.[1])).toBeGreaterThan(256);
    await screenshotTo(page, "context-overflow-asked");

    await asked.getByTestId("drop-oldest-and-answer").click();
    await waitComplete(answers().last());
    await expect.poll(() => divider().count()).toBe(1);
    expect(await divider().innerText()).toBe(`The first ${wouldDrop} messages are no longer in the model's memory.`);
    await expect.poll(async () => Number(/^(\d+) \/ 256 tokens$/.exec(await meter().innerText())?.[1])).toBeLessThanOrEqual(256);
    // The stopped answer stays, as the other version of this turn.
    expect(await answers().last().getByTestId("version-label").innerText()).toBe("2/2");
    await screenshotTo(page, "context-overflow-dropped");

    // Reopened: the choice is kept, and so is where the model's memory begins.
    await page.reload();
    await expect.poll(() => divider().count(), { timeout: 30_000 }).toBe(1);
    if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
    expect(await page.getByTestId("settings-context-overflow").getAttribute("data-mode")).toBe("stop-and-ask");
    expect(session.pageErrors).toEqual([]);
  });
});
