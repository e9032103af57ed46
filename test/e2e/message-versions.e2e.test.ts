import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat, openEditor, send, setMaxOutputTokens, waitComplete } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * Versions of a conversation as a user drives them in the browser, on the built server with the real stories260K
 * model: edit a message (a new branch), flip versions, reload, regenerate an older answer, delete with its count.
 */

const session = useChatSession("hearth-e2e-versions-");

/** The user's messages with their actions; `message-user` inside is the bubble with the text alone. */
const users = () => session.page.getByTestId("message-user-item");
const answers = () => session.page.getByTestId("message-assistant");
const text = async (message: Locator) => (await message.locator(".message-body").innerText()).trim();
const label = (message: Locator) => message.getByTestId("version-label").innerText();

async function userTexts(): Promise<string[]> {
  return Promise.all((await users().all()).map(text));
}

describe("conversation versions in the browser", () => {
  it("edit makes a branch, versions flip, the choice survives a reload, and an older answer regenerates beside its versions", async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await setMaxOutputTokens(page, 8);

    await send(page, "Once upon a time");
    await waitComplete(answers().last());
    await send(page, "The fox ran");
    await expect.poll(() => answers().count()).toBe(2);
    await waitComplete(answers().last());
    const oldAnswers = await Promise.all((await answers().all()).map(text));
    expect(await page.getByTestId("version-switcher").count()).toBe(0);

    // A second tab on the same conversation follows every branch change without reloading.
    const other = await session.openTab("second tab");
    await other.goto(server.url);
    await other.getByTestId("conversation-item").first().locator(".conversation-open").click();
    const otherTexts = async () => (await other.getByTestId("message-user").allInnerTexts()).map((t) => t.trim());
    await expect.poll(otherTexts).toEqual(["Once upon a time", "The fox ran"]);

    // Edit the first message: a new branch with its own answer; the old one is a version away.
    await openEditor(page, users().first());
    await page.getByTestId("message-editor").fill("There was a cat");
    await page.getByTestId("message-editor-save").click();
    await expect.poll(userTexts).toEqual(["There was a cat"]);
    await expect.poll(() => answers().count()).toBe(1);
    await waitComplete(answers().first());
    expect(await label(users().first())).toBe("2/2");
    await screenshotTo(page, "versions-01-edited");
    await expect.poll(otherTexts).toEqual(["There was a cat"]);
    await expect.poll(() => other.getByTestId("version-label").first().innerText()).toBe("2/2");

    await users().first().getByTestId("version-previous").click();
    await expect.poll(userTexts).toEqual(["Once upon a time", "The fox ran"]);
    expect(await Promise.all((await answers().all()).map(text))).toEqual(oldAnswers);
    expect(await label(users().first())).toBe("1/2");
    await expect.poll(otherTexts).toEqual(["Once upon a time", "The fox ran"]);
    await other.close();

    // The chosen branch is what the conversation shows after a reload.
    await page.reload();
    await users().first().waitFor();
    await expect.poll(userTexts).toEqual(["Once upon a time", "The fox ran"]);
    expect(await label(users().first())).toBe("1/2");

    // Regenerate the older answer: a sibling from that point; the later turns stay on the old version.
    await answers().first().getByTestId("regenerate").click();
    await expect.poll(userTexts).toEqual(["Once upon a time"]);
    await waitComplete(answers().first());
    expect(await label(answers().first())).toBe("2/2");
    await screenshotTo(page, "versions-02-regenerated");
    await answers().first().getByTestId("version-previous").click();
    await expect.poll(userTexts).toEqual(["Once upon a time", "The fox ran"]);
    expect(await text(answers().first())).toBe(oldAnswers[0]);
    expect(await label(answers().first())).toBe("1/2");

    // Delete says how many go with it, then removes them; the other version is shown.
    await answers().first().getByTestId("delete-message").click();
    const confirm = page.getByTestId("delete-message-confirm");
    expect(await confirm.innerText()).toContain("Delete this message and the 2 messages below it?");
    await page.getByTestId("delete-message-confirm-button").click();
    await expect.poll(userTexts).toEqual(["Once upon a time"]);
    await expect.poll(() => answers().count()).toBe(1);
    expect(await answers().first().getByTestId("version-switcher").count()).toBe(0);

    // The answer was cut at the 8-token limit: Continue writes a new version that goes on from its last word.
    const cut = await text(answers().first());
    await answers().first().getByTestId("continue-answer").click();
    await expect.poll(() => label(answers().first())).toBe("2/2");
    await waitComplete(answers().first());
    const continued = await text(answers().first());
    expect(continued.startsWith(cut.trimEnd().split(/\s+/).slice(0, -1).join(" "))).toBe(true);
    expect(continued.length).toBeGreaterThan(cut.length);
    await screenshotTo(page, "versions-03-continued");
    await answers().first().getByTestId("version-previous").click();
    await expect.poll(() => text(answers().first())).toBe(cut);
    expect(session.pageErrors).toEqual([]);
  });
});
