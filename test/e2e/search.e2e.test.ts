import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, openEditor, send, setMaxOutputTokens } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * Search and find as a user drives them, on the built server with the real stories260K model: a word from a message
 * on a branch no longer shown, in another conversation, is found with Ctrl+K; opening the hit shows that branch and
 * scrolls to the message; Ctrl+F then finds text in the conversation.
 */

const session = useChatSession("hearth-e2e-search-");

const answers = (page: Page) => page.getByTestId("message-assistant");
const userItems = (page: Page) => page.getByTestId("message-user-item");

async function sendAndWait(page: Page, text: string): Promise<void> {
  await send(page, text);
  // The list renders only rows near the view, so counts of rows say little: the last two rows must be this message
  // and its finished answer.
  await expect
    .poll(
      () =>
        page
          .locator('[data-testid="message-list"] article[data-message-id]')
          .evaluateAll((rows) => rows.slice(-2).map((row) => [(row as HTMLElement).dataset.testid, (row as HTMLElement).dataset.status ?? "", row.textContent ?? ""])),
      { timeout: 90_000, interval: 100 },
    )
    .toEqual([["message-user-item", "", expect.stringContaining(text)], ["message-assistant", "complete", expect.any(String)]]);
}

/** A few of these fill the window (the chat settings panel stays open beside it) within the small model's context. */
const filler = (n: number) =>
  `Paragraph ${n}: the little boat sailed along the river past the mill and the bridge and the tall trees, ` +
  `while the children on the bank waved and sang and the dog ran after the ducks in the reeds by the water.`;

async function inView(page: Page, item: Locator): Promise<boolean> {
  const box = await item.boundingBox();
  const list = await page.getByTestId("message-list").boundingBox();
  return box !== null && list !== null && box.y >= list.y - 1 && box.y + Math.min(box.height, 40) <= list.y + list.height + 1;
}

describe("search and find in the browser", () => {
  it("Ctrl+K finds a message on a hidden branch of another chat, opens it there, and Ctrl+F finds text in it", async () => {
    const { page, pageErrors } = session;
    await page.goto(session.server.url);
    await importModelAndStartChat(page, storiesModel);
    await setMaxOutputTokens(page, 8);

    // Chat A: the quokka question second, below a first message that is then edited (a new branch without it).
    await sendAndWait(page, filler(1));
    await sendAndWait(page, "Once upon a time there was a quokka on an island");
    for (let n = 2; n <= 4; n++) await sendAndWait(page, filler(n));
    await openEditor(page, userItems(page).filter({ hasText: "Paragraph 1:" }));
    await page.getByTestId("message-editor").fill("Once upon a time there was a wombat");
    await page.getByTestId("message-editor-save").click();
    await expect.poll(() => userItems(page).count()).toBe(1);
    await expect.poll(() => answers(page).last().getAttribute("data-status"), { timeout: 90_000 }).toBe("complete");

    // Chat B is the one open when searching.
    await page.getByTestId("new-chat").click();
    await expect.poll(() => page.getByTestId("message-user-item").count()).toBe(0);
    await sendAndWait(page, "Hello there");

    await page.keyboard.press("Control+k");
    const input = page.getByTestId("search-input");
    await input.waitFor();
    // FTS syntax is taken as words: no error, just nothing found.
    await input.fill('"NEAR( title:*');
    await page.getByTestId("search-empty").waitFor();
    expect(await page.getByTestId("search-error").count()).toBe(0);

    await input.fill("quok isla");
    const result = page.getByTestId("search-result").first();
    await result.waitFor();
    expect(await page.getByTestId("search-result").count()).toBe(1);
    expect(await result.locator("mark").allInnerTexts()).toEqual(["quokka", "island"]);
    expect(await result.getByTestId("search-result-snippet").innerText()).toBe("Once upon a time there was a quokka on an island");
    await screenshotTo(page, "search-01-results");
    await input.press("Enter");
    await page.getByTestId("search-dialog").waitFor({ state: "detached" });

    // Chat A opens on the old branch (the first message's version 1/2), scrolled to the quokka message.
    const quokka = userItems(page).filter({ hasText: "quokka" });
    await expect.poll(() => quokka.count()).toBe(1);
    expect(await userItems(page).filter({ hasText: "Paragraph 1:" }).getByTestId("version-label").innerText()).toBe("1/2");
    expect(await userItems(page).filter({ hasText: "wombat" }).count()).toBe(0);
    await expect.poll(() => inView(page, quokka)).toBe(true);
    const scrolledUp = await page.getByTestId("message-list").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    expect(scrolledUp).toBeGreaterThan(50);
    await screenshotTo(page, "search-02-opened");

    // Find in the conversation: every "paragraph" counted, stepping wraps, matches painted as highlights.
    await page.keyboard.press("Control+f");
    const find = page.getByTestId("find-input");
    await find.waitFor();
    await find.fill("paragraph");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("1/4");
    await find.press("Enter");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("2/4");
    await find.press("Shift+Enter");
    await find.press("Shift+Enter");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("4/4");
    const painted = () =>
      page.evaluate(() => {
        const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
        return [registry.get("hearth-find")?.size ?? 0, [...(registry.get("hearth-find-current") ?? [])].map((r) => r.toString())];
      });
    await expect.poll(async () => (await painted())[1]).toEqual(["Paragraph"]);
    expect((await painted())[0]).toBeGreaterThanOrEqual(1);
    await expect.poll(() => inView(page, userItems(page).filter({ hasText: "Paragraph 4" }))).toBe(true);
    await screenshotTo(page, "search-03-find");
    await find.fill("zzz");
    await expect.poll(() => page.getByTestId("find-count").innerText()).toBe("No matches");
    await find.press("Escape");
    await page.getByTestId("find-bar").waitFor({ state: "detached" });
    await expect.poll(painted).toEqual([0, []]);

    // The sidebar button opens the same dialog, with the last search.
    await page.getByTestId("search-open").click();
    expect(await page.getByTestId("search-input").inputValue()).toBe("quok isla");
    await page.getByTestId("search-input").press("Escape");
    await page.getByTestId("search-dialog").waitFor({ state: "detached" });
    expect(pageErrors).toEqual([]);
  });
});
