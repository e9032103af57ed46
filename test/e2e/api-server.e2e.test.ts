import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import OpenAI from "openai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { importModelAndStartChat } from "./chat-steps.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/** The local API as a user switches it on: Settings' switch and port, the key copied from there, a program calling it. */

let browser: Browser;
let context: BrowserContext;
let page: Page;
let server: HearthServer;
let workDir: string;

beforeAll(async () => {
  workDir = tempDir("hearth-api-e2e-");
  server = await startHearthServer(repoRoot, path.join(workDir, "data"));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ["clipboard-read", "clipboard-write"] });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, "127.0.0.1", () => resolve((probe.address() as net.AddressInfo).port)));
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("Settings: the local API server", () => {
  it("is off until switched on; then a program calls it with the copied key and shows up in Recent requests", async () => {
    await importModelAndStartChat(page, storiesModel);
    await page.getByTestId("settings-open").click();
    const section = page.getByTestId("local-api-settings");
    await section.scrollIntoViewIfNeeded();
    expect(await page.getByTestId("local-api-switch").isChecked()).toBe(false);
    expect(await page.getByTestId("local-api-url").count()).toBe(0);

    const port = await freePort();
    await page.getByTestId("local-api-port").fill(String(port));
    await page.getByTestId("local-api-port-save").click();
    await page.getByTestId("local-api-switch").click();
    const url = page.getByTestId("local-api-url");
    await url.waitFor();
    expect(await url.innerText()).toContain(`http://127.0.0.1:${port}/v1`);

    await page.getByTestId("local-api-copy-key").click();
    await page.getByTestId("local-api-notice").waitFor();
    const key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toMatch(/^hearth-/);
    expect(await page.getByTestId("local-api-key").innerText()).toBe(`${"•".repeat(12)}${key.slice(-4)}`);
    await screenshotTo(page, "local-api-01-on");

    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: key, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data).toHaveLength(1);
    const completion = await client.chat.completions.create({ model: models.data[0]!.id, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8 });
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);

    const rows = page.getByTestId("api-activity-row");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await rows.first().innerText()).toMatch(/OpenAI\/JS[\s\S]*POST \/v1\/chat\/completions[\s\S]*200/);
    await screenshotTo(page, "local-api-02-activity");

    // A new key: the old one stops working at once.
    await page.getByTestId("local-api-rotate-key").click();
    await expect.poll(() => page.getByTestId("local-api-key").innerText()).not.toContain(key.slice(-4));
    const refused = await client.models.list().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);

    // Off again: nothing listens.
    await page.getByTestId("local-api-switch").click();
    await url.waitFor({ state: "detached" });
    await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
  });
});
