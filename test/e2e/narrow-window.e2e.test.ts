import { expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { startFakeProvider } from "../fake-providers/fake-provider-server.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

// At 800 px a long provider name must not spill out of the composer's cloud button (it used to, cut on both sides).
const session = useChatSession("hearth-e2e-narrow-");

it("keeps the cloud button's label inside the button and the composer at 800 px", async () => {
  const fake = await startFakeProvider({ wire: "openai", apiKey: "sk-unused", reply: "Noted." });
  try {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await page.getByTestId("settings-open").click();
    const section = page.getByTestId("providers-section");
    await section.getByTestId("provider-add").click();
    await section.getByTestId("provider-kind").selectOption("openai-compatible");
    await section.getByTestId("provider-name").fill("Northwind Research Cloud (EU)");
    await section.getByTestId("provider-model").fill("northwind-large-2025-instruct");
    await section.getByTestId("provider-base-url").fill(fake.baseUrl);
    await section.getByTestId("provider-save").click();
    await expect.poll(() => section.getByTestId("provider-row").count()).toBe(1);
    await page.getByTestId("conversation-item").first().getByRole("button").first().click();
    await page.getByTestId("privacy-mode-option-ask").click();
    await page.setViewportSize({ width: 800, height: 700 });
    await page.getByTestId("composer").fill("What is 17 times 23?");
    await page.getByTestId("ask-cloud").waitFor();
    await screenshotTo(page, "narrow-800-composer");

    const boxes = await page.evaluate(() => {
      const box = (selector: string) => {
        const r = document.querySelector(selector)!.getBoundingClientRect();
        return { left: Math.round(r.left), right: Math.round(r.right) };
      };
      // The label's text as laid out (whole, even where it is cut off), and the box that shows it.
      const label = document.querySelector(".ask-cloud-label") ?? document.querySelector(".ask-cloud")!;
      const range = document.createRange();
      range.selectNodeContents(label);
      const text = range.getBoundingClientRect();
      const shown = label.getBoundingClientRect();
      return {
        composer: box(".composer"),
        button: box(".ask-cloud"),
        input: box(".composer-input"),
        send: box('[data-testid="send"]'),
        text: { left: Math.round(text.left), right: Math.round(text.right) },
        shown: { left: Math.round(shown.left), right: Math.round(shown.right) },
      };
    });
    // The label starts inside its button (a long one is cut at its end, with an ellipsis, never at its start)...
    expect(boxes.text.left).toBeGreaterThanOrEqual(boxes.button.left);
    expect(boxes.shown.right).toBeLessThanOrEqual(boxes.button.right);
    // ...and the buttons stay in the composer, with room left to type.
    expect(boxes.button.left).toBeGreaterThanOrEqual(boxes.input.right);
    expect(boxes.send.right).toBeLessThanOrEqual(boxes.composer.right);
    expect(boxes.input.right - boxes.input.left).toBeGreaterThanOrEqual(100);
    expect(await page.getByTestId("ask-cloud").getAttribute("title")).toBeTruthy();
    console.info(`[800px] ${JSON.stringify(boxes)}`);
  } finally {
    await fake.close();
  }
});
