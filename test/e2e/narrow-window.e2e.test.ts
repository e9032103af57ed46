import { expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { startFakeProvider } from "../fake-providers/fake-provider-server.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

// At 800 px a long provider name must not spill out of the composer's cloud button (it used to, cut on both sides),
// nor an answer's header (who answered, the version switcher, the actions) out of the answer.
const session = useChatSession("hearth-e2e-narrow-");

it("keeps the cloud button's label inside the button and the composer, and an answer's header inside the answer, at 800 px", async () => {
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

    // An answer from the cloud (its header names the long provider and model), then a second version of it.
    await page.getByTestId("ask-cloud").click();
    const panel = page.getByTestId("escalation-panel");
    await panel.getByTestId("escalation-send").click();
    const answer = page.getByTestId("message-assistant").last();
    await expect.poll(() => answer.getAttribute("data-status"), { timeout: 90_000 }).toBe("complete");
    await answer.getByTestId("regenerate").click();
    // In Ask mode a new version may be proposed for the cloud again: sent the same way.
    await expect.poll(async () => (await panel.count()) > 0 || (await page.getByTestId("version-label").count()) > 0, { timeout: 60_000 }).toBe(true);
    if ((await panel.count()) > 0) await panel.getByTestId("escalation-send").click();
    await expect.poll(() => page.getByTestId("version-label").last().innerText(), { timeout: 90_000 }).toMatch(/^\d+\/([2-9]|\d\d)$/);
    await expect.poll(() => page.getByTestId("message-assistant").last().getAttribute("data-status"), { timeout: 90_000 }).toBe("complete");
    // The version the cloud answered is shown (the fake provider refuses it: no key was given), with the longest
    // header: who answered, why, and its error badge.
    const versionLabel = page.getByTestId("version-label").last();
    for (let i = 0; i < 5 && (await page.getByTestId("answered-by").last().getAttribute("data-kind")) !== "cloud"; i++) {
      const before = await versionLabel.innerText();
      await page.getByTestId("version-previous").last().click();
      await expect.poll(() => versionLabel.innerText()).not.toBe(before);
    }
    expect(await page.getByTestId("answered-by").last().getAttribute("data-kind")).toBe("cloud");
    await screenshotTo(page, "narrow-800-answer");

    const header = await page.evaluate(() => {
      const article = Array.from(document.querySelectorAll('[data-testid="message-assistant"]')).at(-1)!;
      const edges = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { left: Math.round(r.left), right: Math.round(r.right) };
      };
      // Each part of the answer's header and footer (and the failed cloud answer's note), against the row that holds it.
      const rows = [".message-meta", ".message-footer", ".failover-note"].map((selector) => {
        const row = article.querySelector(selector)!;
        return {
          selector,
          row: edges(row),
          overflow: row.scrollWidth - row.clientWidth,
          parts: Array.from(row.querySelectorAll(":scope > *, .message-actions > *, .version-switcher > *")).map((part) => ({
            name: part.getAttribute("data-testid") ?? part.className,
            ...edges(part),
          })),
        };
      });
      const textLeft = (el: Element) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return Math.round(range.getBoundingClientRect().left);
      };
      const retry = article.querySelector('[data-testid="retry-cloud"]')!;
      return {
        article: edges(article),
        list: edges(document.querySelector('[data-testid="message-list"]')!),
        rows,
        labelTextLeft: textLeft(article.querySelector(".message-meta .message-author")!),
        retry: { ...edges(retry), textLeft: textLeft(retry) },
      };
    });
    console.info(`[800px answer] ${JSON.stringify(header)}`);
    expect(header.article.right).toBeLessThanOrEqual(header.list.right);
    for (const { selector, row, overflow, parts } of header.rows) {
      expect(overflow, `${selector} overflows`).toBeLessThanOrEqual(1);
      expect(row.right, selector).toBeLessThanOrEqual(header.article.right + 1);
      for (const part of parts) {
        expect(part.left, `${selector} ${part.name}`).toBeGreaterThanOrEqual(row.left - 1);
        expect(part.right, `${selector} ${part.name}`).toBeLessThanOrEqual(row.right + 1);
      }
    }
    // The model label is whole at its start (a long one ends in an ellipsis).
    expect(header.labelTextLeft).toBeGreaterThanOrEqual(header.rows[0]!.row.left);
    // So is the Retry button's ("Retry with <provider> <model>"), never cut at both ends.
    expect(header.retry.textLeft).toBeGreaterThanOrEqual(header.retry.left);
    expect(header.rows[1]!.parts.map((p) => p.name)).toEqual(expect.arrayContaining(["version-switcher", "regenerate"]));

    // Sidebar places are not switches: a second click on Settings or Audit log stays there.
    for (const [item, view] of [["settings-open", "app-settings"], ["audit-open", "audit-view"]] as const) {
      await page.getByTestId(item).click();
      await page.getByTestId(view).waitFor();
      await page.getByTestId(item).click();
      await page.waitForTimeout(300);
      expect(await page.getByTestId(view).isVisible(), `${item} clicked twice`).toBe(true);
    }
  } finally {
    await fake.close();
  }
});
