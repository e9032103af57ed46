import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, storiesModel, tempDir, tinyLlamaModel } from "../fixtures/paths.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { paddedGguf } from "../fake-hf/gguf-fixtures.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";
import { launchBrowser, screenshotTo } from "./browser.js";

/**
 * The model manager as a user drives it, in Chromium against the built server and a fake Hugging Face on
 * loopback: a wrong endpoint fixed in Settings, search, files with fit badges, a throttled download paused and
 * resumed, the model card, chats with two downloaded models, and deleting one. Nothing reaches the internet.
 */

const STORIES_REPO = "hearth-test/stories260K-GGUF";
const STORIES_FILE = "stories260K.gguf";
const TINY_REPO = "hearth-test/tiny-random-llama-GGUF";
const TINY_FILE = "llama-2-tiny-random.gguf";

let browser: Browser;
let page: Page;
let server: HearthServer;
let hf: FakeHf;
let workDir: string;
const dialogs: string[] = [];
const pageErrors: string[] = [];

async function screenshot(name: string): Promise<void> {
  await screenshotTo(page, `mm-${name}`);
}

/** A port nothing listens on: the endpoint Hearth starts with, so the first search fails like a dead mirror. */
async function deadPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const downloadItem = (fileName: string) => page.locator(`[data-testid="download-item"][data-file-name="${fileName}"]`);
const fileRow = (fileName: string) => page.locator(`[data-testid="repo-file"][data-file-name="${fileName}"]`);
const downloadedBytes = async (item: Locator) => Number(await item.getByTestId("download-progress").getAttribute("data-downloaded"));
const assistantMessages = () => page.getByTestId("message-assistant");

async function searchAndOpen(query: string, repo: string): Promise<void> {
  await page.getByTestId("hf-search-input").fill(query);
  await page.getByTestId("hf-search-submit").click();
  const result = page.locator(`[data-testid="hf-result"][data-repo="${repo}"]`);
  await result.waitFor();
  await result.click();
  await page.getByTestId("repo-view").waitFor();
}

async function waitForDownloadStatus(fileName: string, status: string, timeout = 60_000): Promise<void> {
  await expect.poll(() => downloadItem(fileName).getAttribute("data-status"), { timeout, interval: 100 }).toBe(status);
}

async function setMaxOutputTokens(tokens: number): Promise<void> {
  if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
  await page.getByTestId("settings-max-tokens").fill(String(tokens));
  await page.getByTestId("settings-save").click();
  await expect.poll(() => page.getByTestId("settings-save").innerText()).toBe("Saved");
  await page.getByTestId("settings-toggle").click();
}

async function askAndWait(text: string): Promise<Locator> {
  const before = await assistantMessages().count();
  const composer = page.getByTestId("composer");
  await composer.fill(text);
  await composer.press("Enter");
  await expect.poll(() => assistantMessages().count(), { timeout: 30_000 }).toBe(before + 1);
  const answer = assistantMessages().last();
  await expect.poll(() => answer.getAttribute("data-status"), { timeout: 90_000, interval: 100 }).toBe("complete");
  return answer;
}

beforeAll(async () => {
  for (const model of [storiesModel, tinyLlamaModel]) if (!fs.existsSync(model)) throw new Error(`The test model is missing: ${model}`);
  hf = await startFakeHf({
    repos: {
      // Padded past node-llama-cpp's 5 MiB download chunk: its downloader keeps progress in whole chunks, so only a
      // file spanning several chunks can show a resume that does not start over.
      [STORIES_REPO]: { files: { [STORIES_FILE]: paddedGguf(storiesModel, 7_000_000) }, downloads: 1234, likes: 56 },
      [TINY_REPO]: { files: { [TINY_FILE]: tinyLlamaModel }, downloads: 78, likes: 9 },
    },
  });
  workDir = tempDir("hearth-mm-e2e-");
  server = await startHearthServer(repoRoot, path.join(workDir, "data"), {
    args: ["--hf-endpoint", `http://127.0.0.1:${await deadPort()}`],
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Questions are asked in the app's own dialogs: a native one is recorded here (and accepted so the run goes on).
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await hf?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("Model manager in the browser", () => {
  it("shows a way forward when the endpoint is unreachable, and takes a new one in Settings", async () => {
    await page.goto(server.url);
    await page.getByTestId("welcome").waitFor();
    await page.getByTestId("welcome-search").click();
    await page.getByTestId("hf-search-input").fill("stories");
    await page.getByTestId("hf-search-submit").click();
    const error = page.getByTestId("hub-error");
    await error.waitFor();
    expect(await error.getAttribute("data-code")).toBe("NETWORK");
    expect(await error.innerText()).toMatch(/Settings/);
    await screenshot("01-endpoint-error");

    await page.getByTestId("settings-open").click();
    const endpoint = page.getByTestId("hf-endpoint-input");
    await expect.poll(() => endpoint.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await endpoint.fill("not a url");
    await page.getByTestId("hf-endpoint-error").waitFor();
    await endpoint.fill(`${hf.url}/`);
    await page.getByTestId("hf-token-input").fill("hf_example_token");
    await page.getByTestId("app-settings-save").click();
    await page.getByTestId("app-settings-saved").waitFor();
    expect(await endpoint.inputValue()).toBe(hf.url);
    // The token is kept by the core and never sent back; the page only learns that one is stored.
    await page.getByTestId("hf-token-stored").waitFor();
    expect(await page.getByTestId("hf-token-input").inputValue()).toBe("");
    await screenshot("02-settings");
    await page.getByTestId("hf-token-remove").click();
    await page.getByTestId("hf-token-remove-dialog-confirm").click();
    await page.getByTestId("hf-token-stored").waitFor({ state: "detached" });
  });

  it("shows the curated catalog", async () => {
    await page.getByTestId("nav-models").click();
    await page.getByTestId("models-view").waitFor();
    // The sidebar item is a place, not a switch: clicking it again stays on Models.
    await page.getByTestId("nav-models").click();
    await page.waitForTimeout(100);
    expect(await page.getByTestId("models-view").isVisible()).toBe(true);
    await page.getByTestId("models-tab-catalog").click();
    const entries = page.getByTestId("catalog-entry");
    await expect.poll(() => entries.count()).toBeGreaterThan(0);
    const text = await entries.first().innerText();
    expect(text).toMatch(/License/i);
    expect(text).toMatch(/Intended use/i);
    expect(await entries.first().getByTestId("repo-file").count()).toBeGreaterThan(0);
    await screenshot("03-catalog");
  });

  it("searches, lists a repository's files with fit badges and a recommendation", async () => {
    await page.getByTestId("models-tab-search").click();
    await searchAndOpen("stories", STORIES_REPO);
    const row = fileRow(STORIES_FILE);
    await row.waitFor();
    await expect.poll(() => row.getByTestId("fit-badge").innerText(), { timeout: 30_000 }).toBe("Fits in RAM");
    expect(await row.getByTestId("fit-badge").getAttribute("data-verdict")).toBe("ram");
    expect((await row.getByTestId("fit-badge").getAttribute("title"))?.length ?? 0).toBeGreaterThan(10);
    await row.getByTestId("recommended").waitFor();
    await screenshot("04-files");
  });

  it("downloads with visible progress, pauses keeping the progress, resumes and completes", async () => {
    // Throttled so the progress, the pause and the resume can be seen.
    hf.setFault({ kind: "slow", bytesPerSecond: 2_000_000, file: STORIES_FILE });
    await fileRow(STORIES_FILE).getByTestId("download-button").click();
    const item = downloadItem(STORIES_FILE);
    await item.waitFor();
    await expect.poll(() => downloadedBytes(item), { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
    await waitForDownloadStatus(STORIES_FILE, "downloading");
    expect(await item.getByTestId("download-percent").innerText()).toMatch(/^\d+%$/);
    expect(await item.getByTestId("download-line").innerText()).toMatch(/of 7\.\d MB/);
    await page.getByTestId("downloads-indicator").waitFor();
    await screenshot("05-downloading");

    // Past the first 5 MiB chunk, which the downloader has then written to the partial file.
    await expect.poll(() => downloadedBytes(item), { timeout: 30_000, interval: 100 }).toBeGreaterThan(5.6e6);
    hf.setFault({ kind: "slow", bytesPerSecond: 50_000, file: STORIES_FILE });
    await item.getByTestId("download-pause").click();
    await waitForDownloadStatus(STORIES_FILE, "paused");
    const kept = await downloadedBytes(item);
    expect(kept).toBeGreaterThan(0);
    await page.waitForTimeout(1_500);
    expect(await downloadedBytes(item)).toBe(kept);
    expect(await item.getByTestId("download-status").innerText()).toMatch(/paused/i);
    await screenshot("06-paused");

    hf.setFault({ kind: "slow", bytesPerSecond: 1_000_000, file: STORIES_FILE });
    await item.getByTestId("download-resume").click();
    await expect.poll(() => item.getAttribute("data-status")).not.toBe("paused");
    await waitForDownloadStatus(STORIES_FILE, "completed");
    hf.setFault(null);
    // Resumed from the partial file, not from the start.
    const resumed = hf.requests.filter((r) => r.file === STORIES_FILE && r.range !== null && !/^bytes=0-/.test(r.range));
    expect(resumed.length).toBeGreaterThan(0);
    await screenshot("07-completed");
  });

  it("shows the downloaded model's card in My models", async () => {
    const item = downloadItem(STORIES_FILE);
    const modelId = await item.getAttribute("data-model-id");
    expect(modelId).toBeTruthy();
    await item.getByTestId("download-open-model").click();
    const card = page.locator(`[data-testid="model-item"][data-model-id="${modelId}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-source")).toBe("downloaded");
    expect(await card.innerText()).toContain(STORIES_REPO);
    const modelCard = card.getByTestId("model-card");
    await modelCard.waitFor();
    expect((await modelCard.innerText()).length).toBeGreaterThan(20);
    // The card is markdown rendered safely: no images, no raw HTML.
    expect(await modelCard.locator("img, script, iframe").count()).toBe(0);
    await screenshot("08-model-card");
  });

  it("chats with the downloaded model", async () => {
    const modelId = await downloadItem(STORIES_FILE).getAttribute("data-model-id");
    await page.locator(`[data-testid="model-item"][data-model-id="${modelId}"]`).getByTestId("model-new-chat").click();
    await expect.poll(() => page.getByTestId("model-picker").inputValue()).toBe(modelId);
    await setMaxOutputTokens(24);
    const answer = await askAndWait("Once upon a time");
    expect((await answer.getByTestId("message-content").innerText()).trim().length).toBeGreaterThan(0);
    await answer.getByTestId("message-stats").waitFor();
    await screenshot("09-chat-stories");

    // The sidebar says what is in memory and how much; Eject frees it.
    const indicator = page.getByTestId("model-indicator");
    await expect.poll(() => indicator.getAttribute("data-model-id")).toBe(modelId);
    expect(await indicator.getByTestId("model-indicator-memory").innerText()).toMatch(/^\d+(\.\d)? (KB|MB|GB) in RAM$/);
    await indicator.getByTestId("model-eject").click();
    await indicator.waitFor({ state: "detached" });
    expect(await page.getByTestId("notice-info").last().innerText()).toMatch(/Ejected .+ memory freed/);
  });

  it("downloads a second model and switches another conversation to it", async () => {
    await page.getByTestId("nav-models").click();
    await page.getByTestId("models-tab-search").click();
    await searchAndOpen("tiny", TINY_REPO);
    const row = fileRow(TINY_FILE);
    await expect.poll(() => row.getByTestId("fit-badge").innerText(), { timeout: 30_000 }).toBe("Fits in RAM");
    await row.getByTestId("download-button").click();
    await waitForDownloadStatus(TINY_FILE, "completed");
    const tinyId = await downloadItem(TINY_FILE).getAttribute("data-model-id");
    expect(tinyId).toBeTruthy();
    // The first download still shows as done; the file row now says it is installed.
    await fileRow(TINY_FILE).getByTestId("file-installed").waitFor();

    await page.getByTestId("new-chat").click();
    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(2);
    const picker = page.getByTestId("model-picker");
    await expect.poll(() => picker.locator(`option[value="${tinyId}"]`).count()).toBe(1);
    expect(await picker.inputValue()).not.toBe(tinyId);
    await picker.selectOption(tinyId ?? "");
    await expect.poll(() => picker.inputValue()).toBe(tinyId);
    await setMaxOutputTokens(16);
    const chosen = await picker.locator("option:checked").innerText();
    const answer = await askAndWait("Hello there");
    // The answer is signed by the model that wrote it: the one just switched to.
    const author = (await answer.locator(".message-author").innerText()).trim();
    expect(author.length).toBeGreaterThan(0);
    expect(chosen).toContain(author);
    await answer.getByTestId("message-stats").waitFor();
    await screenshot("10-chat-tiny");
  });

  it("shows which chats use a model, and deletes one saying what it frees", async () => {
    await page.getByTestId("nav-models").click();
    await page.getByTestId("models-tab-installed").click();
    const items = page.getByTestId("model-item");
    await expect.poll(() => items.count()).toBe(2);
    // Each model answered in one chat; the list is fetched again when shown.
    for (const item of await items.all()) {
      await expect.poll(() => item.getByTestId("model-used-by").innerText()).not.toMatch(/No chats/);
    }
    await screenshot("11-my-models");

    const tiny = page.locator('[data-testid="model-item"]', { hasText: TINY_REPO });
    await tiny.getByTestId("model-delete").click();
    // The app's own dialog asks (no native confirm): what it frees, and who uses the model.
    const question = page.getByTestId("model-delete-dialog");
    expect(await question.locator("h2").innerText()).toMatch(/^Delete .+ and free \d+(\.\d)? (KB|MB)\?/);
    expect(await question.innerText()).toMatch(/1 chat uses it/);
    await page.getByTestId("model-delete-dialog-confirm").click();
    await expect.poll(() => items.count()).toBe(1);
    expect(dialogs).toEqual([]);
    await page.getByTestId("notice-info").waitFor();
    expect(await page.getByTestId("notice-info").innerText()).toMatch(/freed/);
    await screenshot("12-deleted");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByTestId("models-tab-search").click();
    await page.getByTestId("repo-view").waitFor();
    await page.waitForTimeout(300); // let colour transitions finish
    await screenshot("13-dark");
    await page.emulateMedia({ colorScheme: "light" });
    expect(pageErrors).toEqual([]);
  });
});
