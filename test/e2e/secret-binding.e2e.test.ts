import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/**
 * Secrets bound to their host, as the user sees it in Settings: moving the Hugging Face endpoint or a provider's
 * base URL to another host warns before Save that the stored secret will be removed, and says afterwards that it was.
 * The new hosts (loopback fakes) never receive the secret.
 */

const TOKEN = "hf_E2eBoundToken1234567890abcdef";
const KEY = "sk-e2e-bound-Zq8v3N1x7Lw2Rk5Tj9";
const GATED = "acme/Gated-GGUF";

let browser: Browser;
let page: Page;
let server: HearthServer;
let hfA: FakeHf;
let hfB: FakeHf;
let llmA: FakeProviderServer;
let llmB: FakeProviderServer;
let workDir: string;

beforeAll(async () => {
  const repos = { [GATED]: { files: { "gated-Q4_0.gguf": storiesModel }, gated: true, token: TOKEN } };
  [hfA, hfB] = await Promise.all([startFakeHf({ repos }), startFakeHf({ repos })]);
  [llmA, llmB] = await Promise.all([startFakeProvider({ wire: "openai", apiKey: KEY }), startFakeProvider({ wire: "openai" })]);
  workDir = tempDir("hearth-secrets-e2e-");
  server = await startHearthServer(repoRoot, path.join(workDir, "data"), { args: ["--hf-endpoint", hfA.url] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30_000);
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(server.url);
  await page.getByTestId("nav-models").waitFor();
  await page.getByTestId("settings-open").click();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([hfA?.close(), hfB?.close(), llmA?.close(), llmB?.close()]);
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("Settings: a secret is bound to its host", () => {
  it("warns before saving a Hugging Face endpoint on another host, then says the token was removed", async () => {
    await page.getByTestId("hf-token-input").fill(TOKEN);
    await page.getByTestId("app-settings-save").click();
    await page.getByTestId("hf-token-stored").waitFor();
    expect(await page.getByTestId("hf-token-origin").innerText()).toBe(hfA.url);

    const moved = `http://localhost:${hfB.port}/x`;
    await page.getByTestId("hf-endpoint-input").fill(moved);
    const warning = page.getByTestId("hf-token-will-be-removed");
    await warning.waitFor();
    expect(await warning.innerText()).toBe(
      `Saving removes the stored access token: it was entered for ${hfA.url}, and http://localhost:${hfB.port} is another host. Enter it again for the new host.`,
    );
    await screenshotTo(page, "secrets-01-token-warning");
    await page.getByTestId("app-settings-save").click();
    const notice = page.getByTestId("hf-token-notice");
    await notice.waitFor();
    expect(await notice.innerText()).toBe(
      `The access token was removed because the Hugging Face endpoint changed to http://localhost:${hfB.port}; enter it again for the new host.`,
    );
    expect(await page.getByTestId("hf-token-stored").count()).toBe(0);
    await screenshotTo(page, "secrets-02-token-removed");

    // Searching on the new host sends no token.
    await page.getByTestId("nav-models").click();
    await page.getByTestId("models-tab-search").click();
    await page.getByTestId("hf-search-input").fill("gated");
    await page.getByTestId("hf-search-submit").click();
    await expect.poll(() => hfB.requests.length).toBeGreaterThan(0);
    expect(hfB.requests.filter((r) => r.authorization)).toEqual([]);
    await page.getByTestId("settings-open").click();
  });

  it("refuses a token for plain http to another machine in the form", async () => {
    await page.getByTestId("hf-endpoint-input").fill("http://hf-mirror.example.invalid");
    await page.getByTestId("hf-token-input").fill(TOKEN);
    await page.getByTestId("app-settings-save").click();
    const error = page.getByTestId("app-settings-error");
    await error.waitFor();
    expect(await error.innerText()).toMatch(/only over https .*hf-mirror\.example\.invalid/);
    await page.getByTestId("hf-token-input").fill("");
    await page.getByTestId("hf-endpoint-input").fill(`http://localhost:${hfB.port}/x`);
  });

  it("warns before saving a provider base URL on another host, then says the key was removed", async () => {
    const section = page.getByTestId("providers-section");
    await section.getByTestId("provider-add").click();
    await section.getByTestId("provider-kind").selectOption("openai-compatible");
    await section.getByTestId("provider-name").fill("Lab");
    await section.getByTestId("provider-model").fill("m");
    await section.getByTestId("provider-base-url").fill(llmA.baseUrl);
    await section.getByTestId("provider-key").fill(KEY);
    await section.getByTestId("provider-save").click();
    const row = section.getByTestId("provider-row");
    await expect.poll(() => row.getByTestId("provider-row-key").innerText()).toBe(`Stored, sent only to ${llmA.url}`);

    await row.getByTestId("provider-edit").click();
    await section.getByTestId("provider-base-url").fill(llmB.baseUrl);
    const warning = section.getByTestId("provider-key-will-be-removed");
    await warning.waitFor();
    expect(await warning.innerText()).toBe(
      `Saving removes the stored key: it was entered for ${llmA.url}, and ${llmB.url} is another host. Enter the key again for the new host.`,
    );
    await warning.scrollIntoViewIfNeeded();
    await screenshotTo(page, "secrets-03-key-warning");
    await section.getByTestId("provider-save").click();
    const notice = row.getByTestId("provider-key-notice");
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`The API key was removed because the base URL changed to ${llmB.url}; enter it again for the new host.`);
    expect(await row.getByTestId("provider-row-key").innerText()).toBe("None stored");
    await row.scrollIntoViewIfNeeded();
    await screenshotTo(page, "secrets-04-key-removed");

    await row.getByTestId("provider-test").click();
    await row.getByTestId("provider-test-result").waitFor();
    expect(llmB.requests.length).toBeGreaterThan(0);
    expect(llmB.requests.map((r) => r.auth)).toEqual(llmB.requests.map(() => "missing"));
  });
});
