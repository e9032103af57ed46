import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { screenshotTo } from "./browser.js";
import { importModelAndStartChat } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * The cloud offers a window shows are the core's decision, kept current in every window: a provider added in one
 * tab makes "Ask <cloud>" appear in another; removed there, it goes away here with the reason, without a reload.
 */

const PROVIDER_NAME = "Team server";

const session = useChatSession("hearth-e2e-cloud-access-");
let fake: FakeProviderServer;

beforeAll(async () => {
  fake = await startFakeProvider({ wire: "openai", apiKey: "sk-unused", reply: "Noted." });
  session.page.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await fake?.close();
});

async function addProvider(page: Page): Promise<void> {
  await page.getByTestId("settings-open").click();
  const section = page.getByTestId("providers-section");
  await section.getByTestId("provider-add").click();
  await section.getByTestId("provider-kind").selectOption("openai-compatible");
  await section.getByTestId("provider-name").fill(PROVIDER_NAME);
  await section.getByTestId("provider-model").fill("m");
  await section.getByTestId("provider-base-url").fill(fake.baseUrl);
  await section.getByTestId("provider-save").click();
  await expect.poll(() => section.getByTestId("provider-row").count()).toBe(1);
}

describe("cloud access across windows", () => {
  it("a provider added or removed in one tab changes what another tab offers, at once", async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await page.getByTestId("privacy-mode-option-ask").click();
    await expect.poll(() => page.getByTestId("privacy-mode").getAttribute("data-mode")).toBe("ask");
    // No provider yet: nothing to ask, and the bar says where to add one.
    await page.getByTestId("provider-missing").waitFor();
    expect(await page.getByTestId("ask-cloud").count()).toBe(0);

    const other = await session.openTab("settings tab");
    other.on("dialog", (dialog) => void dialog.accept());
    await other.goto(server.url);
    await other.getByTestId("nav-models").waitFor();
    await addProvider(other);

    await expect.poll(() => page.getByTestId("ask-cloud").count()).toBe(1);
    expect(await page.getByTestId("ask-cloud").innerText()).toContain(PROVIDER_NAME);
    expect(await page.getByTestId("provider-picker").locator("option:checked").innerText()).toContain(PROVIDER_NAME);
    await screenshotTo(page, "cloud-access-01-offered");

    await other.getByTestId("provider-remove").click();
    await other.getByTestId("provider-remove-dialog-confirm").click();
    await expect.poll(() => other.getByTestId("provider-row").count()).toBe(0);
    await expect.poll(() => page.getByTestId("ask-cloud").count()).toBe(0);
    await page.getByTestId("provider-missing").waitFor();
    expect(await page.getByTestId("provider-missing").getAttribute("data-problem")).toBe("none-set-up");
    await screenshotTo(page, "cloud-access-02-removed");
    expect(session.pageErrors).toEqual([]);
  });
});
