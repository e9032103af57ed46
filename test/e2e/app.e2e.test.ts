import fs from "node:fs";
import path from "node:path";
import { type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { send, setMaxOutputTokens } from "./chat-steps.js";
import { watchCspViolations } from "./csp-violations.js";

/**
 * The whole app in browser mode, as a user drives it: the built server with the real engine and the real
 * stories260K model, in Debian's Chromium. It asserts on behaviour (streaming, stop, persistence, crash
 * recovery, errors), never on what the model writes.
 */

const modelPath = path.resolve(repoRoot, "../shared/models/stories260K.gguf");

const LONG_ANSWER = 2000;
const SHORT_ANSWER = 12;

let browser: Browser;
let page: Page;
let server: HearthServer;
let dataDir: string;
let workDir: string;
/** Every CSP or Trusted Types violation the app reports over the whole session: there must be none. */
let csp: { violations: string[] };

async function screenshot(name: string): Promise<void> {
  await screenshotTo(page, name);
}

const assistantMessages = () => page.getByTestId("message-assistant");
const lastAnswer = () => assistantMessages().last();

async function answerLength(answer: Locator): Promise<number> {
  return (await answer.getByTestId("message-content").innerText()).trim().length;
}

async function waitForStatus(answer: Locator, status: string, timeout = 90_000): Promise<void> {
  await expect.poll(() => answer.getAttribute("data-status"), { timeout, interval: 100 }).toBe(status);
}

/** Waits until the answer has text, then until it has more: it is streaming, not arriving at once. */
async function waitForGrowth(answer: Locator): Promise<void> {
  await expect.poll(() => answerLength(answer), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
  const first = await answerLength(answer);
  await expect.poll(() => answerLength(answer), { timeout: 60_000, interval: 50 }).toBeGreaterThan(first);
  expect(await answer.getAttribute("data-status")).toBe("streaming");
}

async function openPage(url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId("nav-models").waitFor();
}

beforeAll(async () => {
  if (!fs.existsSync(modelPath)) throw new Error(`The test model is missing: ${modelPath}`);
  workDir = tempDir("hearth-e2e-");
  dataDir = path.join(workDir, "data");
  server = await startHearthServer(repoRoot, dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30_000);
  csp = await watchCspViolations(page);
  // Deleting and opening links ask for confirmation; the test says yes.
  page.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("Hearth in the browser", () => {
  const pageErrors: string[] = [];

  it("shows the welcome panel on first run", async () => {
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await openPage(server.url);
    const welcome = page.getByTestId("welcome");
    await welcome.waitFor();
    expect(await welcome.innerText()).toMatch(/Private/);
    expect(await welcome.innerText()).toMatch(/Offline/);
    // The token moved from the fragment into the session; the address bar no longer shows it.
    expect(page.url()).not.toContain("token=");
    await screenshot("01-welcome");
  });

  it("imports a local GGUF model and shows its metadata", async () => {
    await page.getByTestId("model-path-input").fill(modelPath);
    await page.getByTestId("import-model").click();
    await page.getByTestId("welcome").waitFor({ state: "detached" });

    await page.getByTestId("nav-models").click();
    const card = page.getByTestId("model-item");
    await expect.poll(() => card.count()).toBe(1);
    const text = await card.innerText();
    expect(text).toMatch(/llama/i);
    expect(text).toMatch(/Chat template\s*No/i);
    expect(text).toContain(modelPath);
    await screenshot("02-models");
    await page.getByTestId("nav-models").click();
  });

  it("streams an answer and stops it", async () => {
    await page.getByTestId("new-chat").click();
    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(1);
    await expect.poll(() => page.getByTestId("model-picker").inputValue()).not.toBe("");
    await setMaxOutputTokens(page, LONG_ANSWER);

    // Shift+Enter writes a new line; only Enter sends.
    const composer = page.getByTestId("composer");
    await composer.fill("line one");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("line two");
    expect(await composer.inputValue()).toBe("line one\nline two");
    expect(await page.getByTestId("message-user").count()).toBe(0);

    await send(page, "Tell me a story about a brave little fox");
    await expect.poll(() => page.getByTestId("message-user").count()).toBe(1);
    const answer = lastAnswer();
    await waitForGrowth(answer);
    await screenshot("03-streaming");

    await page.getByTestId("stop").click();
    await waitForStatus(answer, "stopped");
    expect(await answer.getByTestId("message-status").innerText()).toMatch(/stopped/i);
    // The title comes from the first prompt (set by the core).
    await expect.poll(() => page.getByTestId("conversation-item").first().innerText()).toMatch(/fox/i);
    await screenshot("04-stopped");
  });

  it("regenerates the last answer to a complete one with stats", async () => {
    await setMaxOutputTokens(page, SHORT_ANSWER);
    const stoppedId = await lastAnswer().getAttribute("data-message-id");
    await page.getByTestId("regenerate").click();
    await expect.poll(() => lastAnswer().getAttribute("data-message-id")).not.toBe(stoppedId);
    await waitForStatus(lastAnswer(), "complete");
    expect(await assistantMessages().count()).toBe(1);
    expect(await answerLength(lastAnswer())).toBeGreaterThan(0);
    const stats = await lastAnswer().getByTestId("message-stats").innerText();
    expect(stats).toMatch(/tokens\/s/);
    expect(stats).toMatch(/\d+ tokens?/);
    await screenshot("05-complete");
  });

  it("keeps conversations and messages across a reload", async () => {
    const before = await lastAnswer().getByTestId("message-content").innerText();
    await page.reload();
    await page.getByTestId("message-user").first().waitFor();
    expect(await page.getByTestId("conversation-item").count()).toBe(1);
    expect(await page.getByTestId("message-user").count()).toBe(1);
    expect(await assistantMessages().count()).toBe(1);
    expect(await lastAnswer().getAttribute("data-status")).toBe("complete");
    expect(await lastAnswer().getByTestId("message-content").innerText()).toBe(before);
    await lastAnswer().getByTestId("message-stats").waitFor();
  });

  it("marks an answer cut by a crash as interrupted, and regenerates it", async () => {
    await setMaxOutputTokens(page, LONG_ANSWER);
    await send(page, "Another story, please");
    const answer = lastAnswer();
    await waitForGrowth(answer);
    // The core saves a streaming answer every 250 ms; give it time to write some of it.
    await page.waitForTimeout(1_000);
    const seen = await answerLength(answer);
    await server.kill();

    await page.getByTestId("disconnected").waitFor();
    await screenshot("06-disconnected");

    server = await startHearthServer(repoRoot, dataDir);
    await openPage(server.url);
    const interrupted = lastAnswer();
    await waitForStatus(interrupted, "interrupted", 30_000);
    expect(await interrupted.getByTestId("message-status").innerText()).toMatch(/interrupted/i);
    const kept = await answerLength(interrupted);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(seen + 200);
    expect(await page.getByTestId("disconnected").count()).toBe(0);
    await screenshot("07-interrupted");

    await setMaxOutputTokens(page, SHORT_ANSWER);
    await interrupted.getByTestId("regenerate").click();
    await waitForStatus(lastAnswer(), "complete");
    await lastAnswer().getByTestId("message-stats").waitFor();
    expect(await page.getByTestId("message-user").count()).toBe(2);
    expect(await assistantMessages().count()).toBe(2);
  });

  it("shows a clear error for a file that is not a model, and stays usable", async () => {
    const notAModel = path.join(workDir, "notes.txt");
    fs.writeFileSync(notAModel, "These are my notes, not a model.\n".repeat(100));

    await page.getByTestId("nav-models").click();
    await page.getByTestId("model-path-input").fill(notAModel);
    await page.getByTestId("import-model").click();
    const error = page.getByTestId("import-error");
    await error.waitFor();
    expect(await error.getAttribute("role")).toBe("alert");
    expect(await error.getAttribute("data-code")).toBe("NOT_GGUF");
    expect((await error.innerText()).length).toBeGreaterThan(20);
    expect(await page.getByTestId("model-item").count()).toBe(1);
    await screenshot("08-import-error");

    await page.getByTestId("conversation-item").first().getByRole("button").first().click();
    await send(page, "One more short story");
    await expect.poll(() => assistantMessages().count()).toBe(3);
    await waitForStatus(lastAnswer(), "complete");
    await screenshot("09-conversation");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForTimeout(300); // let the buttons' colour transitions finish
    await screenshot("10-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("renames and deletes a conversation", async () => {
    const item = page.getByTestId("conversation-item").first();
    await item.hover();
    await item.getByTestId("conversation-rename").click();
    const input = page.getByTestId("conversation-title-input");
    await input.fill("Fox stories");
    await input.press("Enter");
    await expect.poll(() => page.getByTestId("conversation-item").first().innerText()).toContain("Fox stories");
    await expect.poll(() => page.getByTestId("chat-title").innerText()).toBe("Fox stories");

    await page.getByTestId("conversation-item").first().hover();
    await page.getByTestId("conversation-item").first().getByTestId("conversation-delete").click();
    // Hearth's own confirmation; a chat that never reached a cloud has no audit payloads to offer erasing.
    const confirm = page.getByTestId("conversation-delete-dialog");
    await confirm.waitFor();
    expect(await confirm.getByTestId("conversation-delete-erase-audit").count()).toBe(0);
    await confirm.getByTestId("conversation-delete-confirm").click();
    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    expect(csp.violations).toEqual([]);
  });
});
