import { describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, send, setMaxOutputTokens, waitComplete } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * The context meter and the line where the model's memory begins, in the browser on the built server with the real
 * stories260K model and a 256-token context: a long chat fills it, the oldest messages go, and the user is told.
 */

const session = useChatSession("hearth-e2e-context-");

const answers = () => session.page.getByTestId("message-assistant");
const meter = () => session.page.getByTestId("context-meter");

describe("the context meter in the browser", () => {
  it("shows how full the context is, and a divider once the oldest messages are no longer read", async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await page.getByTestId("settings-toggle").click();
    await page.getByTestId("settings-context-size").fill("256");
    await setMaxOutputTokens(page, 8);

    await expect.poll(() => meter().innerText(), { timeout: 30_000 }).toMatch(/^\d+ \/ 256 tokens$/);
    expect(await meter().getAttribute("data-level")).toBe("ok");
    expect(await page.getByTestId("context-divider").count()).toBe(0);

    for (let i = 1; i <= 6; i++) {
      await send(page, `Turn ${i}: once upon a time a little fox walked through the big green forest and met a bird, a frog and a bear.`);
      await expect.poll(() => answers().count()).toBe(i);
      await waitComplete(answers().last());
    }
    await expect.poll(() => meter().getAttribute("data-level")).toBe("full");
    const divider = page.getByTestId("context-divider");
    await expect.poll(() => divider.count()).toBe(1);
    expect(await divider.innerText()).toMatch(/^The first \d+ messages are no longer in the model's memory\.$/);
    await screenshotTo(page, "context-meter-full");

    // Reopened, the conversation still shows where the model's memory begins.
    await page.reload();
    await expect.poll(() => page.getByTestId("context-divider").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => meter().getAttribute("data-level")).toBe("full");
    expect(await page.getByTestId("notice").count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
