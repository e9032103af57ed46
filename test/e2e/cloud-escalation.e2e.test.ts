import fs from "node:fs";
import path from "node:path";
import { type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
import { startFakeProvider, type FakeProviderRequest, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";
import { launchBrowser, screenshotTo } from "./browser.js";

/**
 * Cloud escalation as a user drives it, in Chromium against the built server, the real local model and a fake
 * OpenAI-compatible provider on loopback that records every request it gets. What the user previews is what the
 * provider receives, personal details never reach it, Local only sends nothing, and a failing cloud leaves a local
 * answer and the user's message in place. Nothing reaches the internet.
 */

const API_KEY = "sk-hearth-e2e-5c1f0a";
const EMAIL = "dana.whitfield@example.com";
const PROVIDER_NAME = "Fake Cloud";
const PROVIDER_MODEL = "fake-large-1";
const HARD_PROMPT =
  `Prove by induction that the sum of the first n odd numbers is n^2, then show step by step that 3^(2n) - 1 is ` +
  `divisible by 8 for every natural number n, and finally email the result to ${EMAIL}.`;
/** The fake provider echoes the placeholder, so the answer shown locally should carry the real address again. */
const CLOUD_REPLY = "Both claims hold by induction: base case n = 1, then the step from n to n + 1. I sent the summary to [EMAIL_1].";

let browser: Browser;
let page: Page;
let server: HearthServer;
let fake: FakeProviderServer;
let workDir: string;
const pageErrors: string[] = [];
/** Every URL the page asked for: it must only ever talk to Hearth itself. */
const pageRequests: string[] = [];

async function screenshot(name: string): Promise<void> {
  await screenshotTo(page, `ce-${name}`);
}

const assistantMessages = () => page.getByTestId("message-assistant");
const userMessages = () => page.getByTestId("message-user");
const chatRequests = (): FakeProviderRequest[] => fake.requests.filter((r) => r.path.endsWith("/chat/completions"));
const panel = () => page.getByTestId("escalation-panel");

async function openPage(url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId("nav-models").waitFor();
}

async function setMaxOutputTokens(tokens: number): Promise<void> {
  if (!(await page.getByTestId("settings-panel").isVisible())) await page.getByTestId("settings-toggle").click();
  await page.getByTestId("settings-max-tokens").fill(String(tokens));
  await page.getByTestId("settings-save").click();
  await expect.poll(() => page.getByTestId("settings-save").innerText()).toBe("Saved");
  await page.getByTestId("settings-toggle").click();
}

async function newChat(): Promise<void> {
  const before = await page.getByTestId("conversation-item").count();
  await page.getByTestId("new-chat").click();
  await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(before + 1);
  await expect.poll(() => page.getByTestId("model-picker").inputValue()).not.toBe("");
  await setMaxOutputTokens(16);
}

async function setMode(mode: "local" | "ask" | "auto"): Promise<void> {
  await page.getByTestId(`privacy-mode-option-${mode}`).click();
  await expect.poll(() => page.getByTestId("privacy-mode").getAttribute("data-mode")).toBe(mode);
}

async function type(text: string): Promise<void> {
  await page.getByTestId("composer").fill(text);
}

async function waitForFinished(answer: Locator, timeout = 90_000): Promise<void> {
  await expect.poll(() => answer.getAttribute("data-status"), { timeout, interval: 100 }).not.toBe("streaming");
}

/** Role and exact text of every message the panel previews (textContent: marks included, hover tips closed). */
async function previewedPayload(): Promise<Array<{ role: string; content: string }>> {
  const messages = panel().getByTestId("payload-message");
  const out: Array<{ role: string; content: string }> = [];
  for (let i = 0; i < (await messages.count()); i++) {
    const message = messages.nth(i);
    out.push({
      role: (await message.getAttribute("data-role")) ?? "",
      content: await message.getByTestId("payload-content").evaluate((el) => el.textContent ?? ""),
    });
  }
  return out;
}

function sentMessages(request: FakeProviderRequest): Array<{ role: string; content: string }> {
  const messages = (request.json?.messages ?? []) as Array<{ role: string; content: unknown }>;
  return messages.map((m) => ({
    role: m.role,
    content: typeof m.content === "string" ? m.content : (m.content as Array<{ text?: string }>).map((p) => p.text ?? "").join(""),
  }));
}

async function readDownload(click: () => Promise<void>): Promise<{ name: string; url: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), url: download.url(), text: fs.readFileSync(file, "utf8") };
}

beforeAll(async () => {
  if (!fs.existsSync(storiesModel)) throw new Error(`The test model is missing: ${storiesModel}`);
  workDir = tempDir("hearth-ce-e2e-");
  fake = await startFakeProvider({ wire: "openai", apiKey: API_KEY, reply: CLOUD_REPLY, eventDelayMs: 15 });
  server = await startHearthServer(repoRoot, path.join(workDir, "data"));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  page.setDefaultTimeout(30_000);
  page.on("dialog", (dialog) => void dialog.accept());
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => pageRequests.push(request.url()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("cloud escalation", () => {
  it("imports the local model and adds a cloud provider whose key is never shown", async () => {
    await openPage(server.url);
    await page.getByTestId("model-path-input").fill(storiesModel);
    await page.getByTestId("import-model").click();
    await page.getByTestId("welcome").waitFor({ state: "detached" });

    await page.getByTestId("settings-open").click();
    const section = page.getByTestId("providers-section");
    await section.waitFor();
    await section.getByTestId("provider-add").click();
    await section.getByTestId("provider-kind").selectOption("openai-compatible");
    await section.getByTestId("provider-name").fill(PROVIDER_NAME);
    // openai-compatible needs a base URL: saving without one is refused beside the field.
    await section.getByTestId("provider-model").fill(PROVIDER_MODEL);
    await section.getByTestId("provider-save").click();
    await section.getByTestId("provider-field-error").waitFor();
    await section.getByTestId("provider-base-url").fill(fake.baseUrl);
    await section.getByTestId("provider-key").fill(API_KEY);
    expect(await section.getByTestId("provider-key").getAttribute("type")).toBe("password");
    await screenshot("01-provider-form");
    await section.getByTestId("provider-save").click();

    const row = section.getByTestId("provider-row");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId("provider-row-name").innerText()).toBe(PROVIDER_NAME);
    expect(await row.getByTestId("provider-row-key").getAttribute("data-has-key")).toBe("true");
    expect(await row.innerText()).toContain(fake.baseUrl);
    expect(await page.content()).not.toContain(API_KEY);

    // Editing shows that a key is stored, never the key.
    await row.getByTestId("provider-edit").click();
    await section.getByTestId("provider-key-stored").waitFor();
    expect(await section.getByTestId("provider-key").count()).toBe(0);
    expect(await page.content()).not.toContain(API_KEY);
    await section.getByTestId("provider-cancel").click();

    await row.getByTestId("provider-test").click();
    const result = row.getByTestId("provider-test-result");
    await result.waitFor();
    expect(await result.getAttribute("data-ok")).toBe("true");
    expect(await result.innerText()).toMatch(/\d+(\.\d+)? (ms|s)/);
    expect(fake.requests.some((r) => r.auth === "ok")).toBe(true);
    await screenshot("02-providers");
  });

  it("keeps a Local only chat on this machine: no cloud button, no request", async () => {
    const requestsBefore = fake.requests.length;
    await newChat();
    expect(await page.getByTestId("privacy-mode").getAttribute("data-mode")).toBe("local");
    expect(await page.getByTestId("privacy-explanation").innerText()).toMatch(/Nothing leaves this computer/);
    expect(await page.getByTestId("ask-cloud").count()).toBe(0);
    expect(await page.getByTestId("provider-picker").count()).toBe(0);

    await type(HARD_PROMPT);
    await page.getByTestId("composer").press("Enter");
    const answer = assistantMessages().last();
    await expect.poll(() => assistantMessages().count()).toBe(1);
    await waitForFinished(answer);
    expect(await answer.getByTestId("answered-by").getAttribute("data-kind")).toBe("local");
    expect(await answer.getByTestId("answered-by").innerText()).toMatch(/^Local · /);
    expect(await panel().count()).toBe(0);
    expect(fake.requests.length).toBe(requestsBefore);
    expect(await page.getByTestId("cloud-send-count").getAttribute("data-count")).toBe("0");
    await screenshot("03-local-only");
  });

  let askPreview: Array<{ role: string; content: string }> = [];
  let askBody = "";

  it("Ask: previews exactly what would be sent, with the email hidden and marked", async () => {
    await newChat();
    await setMode("ask");
    await page.getByTestId("provider-picker").waitFor();
    expect(await page.getByTestId("provider-picker").locator("option:checked").innerText()).toContain(PROVIDER_NAME);
    const askButton = page.getByTestId("ask-cloud");
    await askButton.waitFor();
    expect(await askButton.innerText()).toContain(PROVIDER_NAME);

    const requestsBefore = fake.requests.length;
    await type(HARD_PROMPT);
    // On a busy machine the new chat may still be settling: Enter does nothing until Send is enabled.
    await expect.poll(() => page.getByTestId("send").isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId("composer").press("Enter");
    await expect.poll(() => userMessages().count(), { timeout: 30_000 }).toBe(1);
    // The router may propose the cloud for this prompt; if it keeps it local, ask for the cloud by hand.
    await expect.poll(async () => (await panel().count()) + (await assistantMessages().count()), { timeout: 60_000 }).toBeGreaterThan(0);
    if ((await panel().count()) === 0) {
      await waitForFinished(assistantMessages().last());
      await type(HARD_PROMPT);
      await askButton.click();
      await panel().waitFor();
      expect(await panel().getByTestId("escalation-reasons").count()).toBe(0);
    } else {
      expect(await panel().getByTestId("escalation-reasons").innerText()).toMatch(/Why the cloud/);
    }
    expect(fake.requests.length).toBe(requestsBefore);

    const payload = panel().getByTestId("escalation-payload");
    const payloadText = await payload.evaluate((el) => el.textContent ?? "");
    expect(payloadText).not.toContain(EMAIL);
    expect(payloadText).toContain("[EMAIL_1]");
    const mark = payload.locator('[data-testid="redaction-mark"][data-placeholder="[EMAIL_1]"]').first();
    await mark.waitFor();
    expect(await panel().innerText()).toContain(PROVIDER_NAME);
    expect(await panel().innerText()).toContain(PROVIDER_MODEL);
    expect(Number(await panel().getAttribute("data-bytes"))).toBeGreaterThan(HARD_PROMPT.length - EMAIL.length);
    await screenshot("04-escalation-panel");

    // Hover shows the hidden value; it stays on this machine.
    await mark.hover();
    expect(await page.getByTestId("redaction-original").innerText()).toContain(EMAIL);
    await screenshot("05-redaction-hover");
    await page.mouse.move(5, 5);
    await expect.poll(() => page.getByTestId("redaction-original").count()).toBe(0);

    // Sending is refused while the proposal waits: one question at a time.
    expect(await page.getByTestId("send").isDisabled()).toBe(true);
    askPreview = await previewedPayload();
    expect(askPreview.at(-1)?.role).toBe("user");
  });

  it("Ask: Edit re-redacts what the user typed before showing it again", async () => {
    const firstId = await panel().getAttribute("data-proposal-id");
    await panel().getByTestId("escalation-edit").click();
    const inputs = panel().getByTestId("escalation-payload-input");
    const last = inputs.last();
    const edited = `${await last.inputValue()} Keep it short; copy ${EMAIL} too.`;
    await last.fill(edited);
    await screenshot("06-edit");
    await panel().getByTestId("escalation-save").click();
    await expect.poll(() => panel().getAttribute("data-proposal-id")).not.toBe(firstId);
    await panel().getByTestId("escalation-send").waitFor();

    askPreview = await previewedPayload();
    const lastText = askPreview.at(-1)?.content ?? "";
    expect(lastText).toContain("Keep it short; copy [EMAIL_1] too.");
    expect(JSON.stringify(askPreview)).not.toContain(EMAIL);
    // The whole request body is shown, byte for byte, with its exact UTF-8 size.
    askBody = await panel().getByTestId("escalation-request-body").evaluate((el) => el.textContent ?? "");
    expect(Number(await panel().getAttribute("data-bytes"))).toBe(Buffer.byteLength(askBody, "utf8"));
  });

  it("Ask: Send streams the cloud answer, and the provider got exactly the preview", async () => {
    const before = chatRequests().length;
    const answersBefore = await assistantMessages().count();
    await panel().getByTestId("escalation-send").click();
    await expect.poll(() => panel().count()).toBe(0);
    await expect.poll(() => assistantMessages().count()).toBe(answersBefore + 1);
    const answer = assistantMessages().last();
    await waitForFinished(answer);
    expect(await answer.getAttribute("data-status")).toBe("complete");
    const badge = answer.getByTestId("answered-by");
    expect(await badge.getAttribute("data-kind")).toBe("cloud");
    expect(await badge.innerText()).toContain(`Cloud · ${PROVIDER_NAME} ${PROVIDER_MODEL}`);
    const content = await answer.getByTestId("message-content").innerText();
    expect(content).toContain("Both claims hold by induction");
    // The placeholder came back and was put back to the real address, on this machine only.
    expect(content).toContain(EMAIL);
    expect(content).not.toContain("[EMAIL_1]");
    await screenshot("07-cloud-answer");

    const sent = chatRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.auth).toBe("ok");
    expect(sentMessages(sent[0]!)).toEqual(askPreview);
    expect(sent[0]!.body).toBe(askBody);
    for (const request of fake.requests) expect(request.body).not.toContain(EMAIL);
    expect(await page.getByTestId("cloud-send-count").getAttribute("data-count")).toBe("1");
  });

  it("shows the exact payload in the conversation's audit log, and exports it as JSON and CSV", async () => {
    await page.getByTestId("audit-open-conversation").click();
    const view = page.getByTestId("audit-view");
    await view.waitFor();
    const rows = view.getByTestId("audit-row");
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute("data-purpose")).toBe("chat");
    expect(await row.getAttribute("data-outcome")).toBe("ok");
    const rowText = await row.innerText();
    expect(rowText).toContain(PROVIDER_NAME);
    expect(rowText).toContain(PROVIDER_MODEL);
    expect(rowText).toContain(new URL(fake.url).host);

    await row.getByTestId("audit-expand").click();
    const shown = await view.getByTestId("audit-payload").innerText();
    const lastChat = chatRequests().at(-1)!;
    expect(JSON.parse(shown)).toEqual(lastChat.json);
    expect(shown).not.toContain(EMAIL);
    expect(shown).not.toContain(API_KEY);
    await screenshot("08-audit-payload");

    const requestsBefore = fake.requests.length;
    const json = await readDownload(() => view.getByTestId("audit-export-json").click());
    expect(json.url).toMatch(/^blob:/);
    expect(json.name).toMatch(/\.json$/);
    const exported = JSON.parse(json.text) as unknown;
    const entries = (Array.isArray(exported) ? exported : (exported as { entries: unknown[] }).entries) as Array<{ payload: string; host: string }>;
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.payload)).toEqual(lastChat.json);
    expect(json.text).not.toContain(EMAIL);

    const csv = await readDownload(() => view.getByTestId("audit-export-csv").click());
    expect(csv.url).toMatch(/^blob:/);
    expect(csv.name).toMatch(/\.csv$/);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/host/i);
    expect(csv.text).toContain(new URL(fake.url).hostname);
    expect(csv.text).toContain(PROVIDER_MODEL);
    expect(csv.text).not.toContain(EMAIL);
    // Exporting is local: nothing went to the provider.
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it("Ask: a pending proposal survives a reload, and Keep local sends nothing", async () => {
    await page.getByTestId("conversation-item").first().getByRole("button").first().click();
    await page.getByTestId("privacy-mode").waitFor();
    expect(await page.getByTestId("privacy-mode").getAttribute("data-mode")).toBe("ask");
    const requestsBefore = fake.requests.length;
    const answersBefore = await assistantMessages().count();
    await type(`One more thing for ${EMAIL}: what is 17 times 23?`);
    await page.getByTestId("ask-cloud").click();
    await panel().waitFor();
    const proposalId = await panel().getAttribute("data-proposal-id");

    await page.reload();
    await panel().waitFor();
    expect(await panel().getAttribute("data-proposal-id")).toBe(proposalId);
    expect(await page.getByTestId("privacy-mode").getAttribute("data-mode")).toBe("ask");

    await panel().getByTestId("escalation-keep-local").click();
    await expect.poll(() => panel().count()).toBe(0);
    await expect.poll(() => assistantMessages().count()).toBe(answersBefore + 1);
    const answer = assistantMessages().last();
    await waitForFinished(answer);
    expect(await answer.getByTestId("answered-by").getAttribute("data-kind")).toBe("local");
    expect(fake.requests.length).toBe(requestsBefore);
    await screenshot("09-kept-local");
  });

  it("Auto: a failing cloud falls back to the local model, keeps the message, and Retry with the cloud works", async () => {
    await newChat();
    await setMode("auto");
    fake.setFault({ kind: "server" });
    const prompt = `Derive the closed form of the Fibonacci numbers step by step and mail it to ${EMAIL}.`;
    await type(prompt);
    await page.getByTestId("ask-cloud").click();
    await expect.poll(() => assistantMessages().count(), { timeout: 60_000 }).toBe(1);
    const answer = assistantMessages().last();
    await waitForFinished(answer, 120_000);
    const badge = answer.getByTestId("answered-by");
    await expect.poll(() => badge.getAttribute("data-failover"), { timeout: 30_000 }).toBe("true");
    expect(await badge.getAttribute("data-kind")).toBe("local");
    const note = answer.getByTestId("failover-note");
    const noteText = await note.innerText();
    expect(noteText).toMatch(/Answered on this computer/);
    // Why the cloud failed, in words, and never the key the fake echoes in its error body.
    expect(noteText).toMatch(/500|server error/i);
    expect(noteText).not.toContain(API_KEY);
    expect(noteText).toMatch(/Your message is kept/);
    expect(await userMessages().last().innerText()).toBe(prompt);
    await screenshot("10-failover");
    expect(chatRequests().some((r) => r.status === 500)).toBe(true);

    fake.setFault(null);
    const before = chatRequests().length;
    const retry = answer.getByTestId("retry-cloud");
    expect(await retry.innerText()).toContain(PROVIDER_NAME);
    await retry.click();
    await expect.poll(() => assistantMessages().last().getByTestId("answered-by").getAttribute("data-kind"), { timeout: 60_000 }).toBe("cloud");
    const cloud = assistantMessages().last();
    await waitForFinished(cloud);
    expect(await cloud.getAttribute("data-status")).toBe("complete");
    expect(await cloud.getByTestId("message-content").innerText()).toContain(EMAIL);
    expect(await userMessages().count()).toBe(1);
    expect(await userMessages().last().innerText()).toBe(prompt);
    expect(chatRequests().length).toBeGreaterThan(before);
    for (const request of fake.requests) expect(request.body).not.toContain(EMAIL);
    await screenshot("11-retry-cloud");
  });

  it("Auto: a message with a password-like value is shown, with the reason, instead of being sent", async () => {
    await newChat();
    await setMode("auto");
    const requestsBefore = fake.requests.length;
    const password = "Winter2025!Clinic";
    await type(`The clinic's Wi-Fi password ${password} stopped working after the router update. How do I reset it?`);
    await page.getByTestId("ask-cloud").click();
    await panel().waitFor();
    expect(await panel().getAttribute("data-asked-unsure")).toBe("true");
    const why = await panel().getByTestId("escalation-unsure").innerText();
    expect(why).toMatch(/Hearth is not sure it hid everything: a password[^.]*\./);
    expect(why).toContain("The chat stays in Auto");
    expect(await page.getByTestId("privacy-mode").getAttribute("data-mode")).toBe("auto");
    expect(fake.requests.length).toBe(requestsBefore);
    await screenshot("11b-auto-asks-unsure");

    await panel().getByTestId("escalation-keep-local").click();
    await expect.poll(() => panel().count()).toBe(0);
    await waitForFinished(assistantMessages().last());
    expect(await assistantMessages().last().getByTestId("answered-by").getAttribute("data-kind")).toBe("local");
    expect(fake.requests.length).toBe(requestsBefore);
    for (const request of fake.requests) expect(request.body).not.toContain(password);
  });

  it("lists every egress in the global audit log, failures included", async () => {
    await page.getByTestId("audit-open").click();
    const view = page.getByTestId("audit-view");
    await view.waitFor();
    const rows = view.getByTestId("audit-row");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
    expect(await view.locator('[data-testid="audit-row"][data-outcome="error"]').count()).toBeGreaterThanOrEqual(1);
    expect(await view.locator('[data-testid="audit-row"][data-purpose="provider-test"]').count()).toBeGreaterThanOrEqual(1);
    // The message Auto asked about and the user kept local: a "Not sent" row that says why it was held.
    const refused = view.locator('[data-testid="audit-row"][data-outcome="declined"][data-held="unsure"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.getByTestId("audit-outcome").innerText()).toBe("Not sent");
    expect(await refused.getByTestId("audit-held").innerText()).toBe("Asked: unsure");
    await refused.getByTestId("audit-expand").click();
    expect(await view.getByTestId("audit-review").innerText()).toMatch(
      /^Held for approval in Auto mode: Hearth was not sure it hid everything \(\d+ credential-like values? .*\)\. You kept it on this computer: nothing was sent/,
    );
    expect(await view.getByTestId("audit-declined").innerText()).toMatch(/^Nothing left this computer/);
    await refused.getByTestId("audit-expand").click();
    await screenshot("12-audit-all");

    // The page itself only ever talked to Hearth: the provider is reached by the core, through the egress gate.
    const origin = new URL(server.url).origin;
    const foreign = pageRequests.filter((url) => !url.startsWith(origin) && !url.startsWith("blob:") && !url.startsWith("data:"));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("deletes the Ask chat and, when asked, erases what it sent: the tombstone stays and Verify says intact", async () => {
    const dataDir = path.join(workDir, "data");
    const dbBytes = () =>
      Buffer.concat(fs.readdirSync(dataDir).filter((n) => n.startsWith("hearth.db")).map((n) => fs.readFileSync(path.join(dataDir, n))));
    expect(dbBytes().includes(askBody)).toBe(true);
    const view = page.getByTestId("audit-view");
    // The global audit log is still open from the step before (its button toggles).
    if (!(await view.isVisible())) await page.getByTestId("audit-open").click();
    await view.waitFor();
    await expect.poll(() => view.getByTestId("audit-row").count()).toBeGreaterThanOrEqual(4);
    const rowsBefore = await view.getByTestId("audit-row").count();

    // The Local only and the Ask chat share a title; only the one that reached the cloud offers the erasure.
    const items = page.getByTestId("conversation-item").filter({ hasText: "Prove by induction" });
    expect(await items.count()).toBe(2);
    const dialog = page.getByTestId("conversation-delete-dialog");
    let askItem: string | null = null;
    for (let i = 0; i < 2 && askItem === null; i++) {
      const item = items.nth(i);
      await item.hover();
      await item.getByTestId("conversation-delete").click();
      await dialog.waitFor();
      if ((await dialog.getByTestId("conversation-delete-erase-audit").count()) === 1) askItem = await item.getAttribute("data-conversation-id");
      else await dialog.getByTestId("conversation-delete-cancel").click();
    }
    expect(askItem).not.toBeNull();
    expect(await dialog.innerText()).toContain("Also erase what was sent from the audit log (a tombstone with time, host, size and hash stays)");
    await screenshot("12b-delete-erase-audit");
    await dialog.getByTestId("conversation-delete-erase-audit").check();
    await dialog.getByTestId("conversation-delete-confirm").click();
    await expect.poll(() => page.locator(`[data-conversation-id="${askItem}"]`).count()).toBe(0);
    expect(await items.count()).toBe(1);

    // The audit view stays open and reloads: every entry is still listed, the erased ones as tombstones.
    await expect.poll(() => view.getByTestId("audit-row").count()).toBe(rowsBefore);
    const tombstone = view.locator('[data-testid="audit-row"][data-erased="true"]');
    await expect.poll(() => tombstone.count()).toBe(1);
    expect(await tombstone.getAttribute("data-outcome")).toBe("ok");
    await tombstone.getByTestId("audit-expand").click();
    expect(await view.getByTestId("audit-erased").innerText()).toMatch(/Erased when its chat was deleted/);
    await view.getByTestId("audit-verify").click();
    await expect.poll(() => view.getByTestId("audit-verify-result").innerText()).toMatch(/^Intact: \d+ entries, signatures and head checked$/);
    expect(dbBytes().includes(askBody)).toBe(false);
  });
});

describe("an organisation policy", () => {
  let locked: HearthServer;
  let policyFile: string;

  beforeAll(async () => {
    policyFile = path.join(workDir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ lockedPrivacyMode: "local", huggingFaceEndpoint: "https://hf-mirror.example.org", forceAskWhenUnsure: true }));
    locked = await startHearthServer(repoRoot, path.join(workDir, "data-policy"), { env: { HEARTH_POLICY_FILE: policyFile } });
  });

  afterAll(async () => {
    await locked?.stop();
  });

  it("shows the locked privacy mode read-only with the reason, and its locked settings disabled", async () => {
    await openPage(locked.url);
    await page.getByTestId("model-path-input").fill(storiesModel);
    await page.getByTestId("import-model").click();
    await page.getByTestId("welcome").waitFor({ state: "detached" });
    await page.getByTestId("new-chat").click();

    const mode = page.getByTestId("privacy-mode");
    await mode.waitFor();
    expect(await mode.getAttribute("data-mode")).toBe("local");
    expect(await mode.getAttribute("data-locked")).toBe("true");
    expect(await page.getByTestId("privacy-mode-option-ask").count()).toBe(0);
    expect(await page.getByTestId("privacy-explanation").innerText()).toContain(policyFile);
    expect(await page.getByTestId("ask-cloud").count()).toBe(0);
    await screenshot("13-policy-locked-chat");

    await page.getByTestId("settings-open").click();
    expect(await page.getByTestId("policy-source").innerText()).toBe(policyFile);
    expect(await page.getByTestId("default-privacy-mode").isDisabled()).toBe(true);
    expect(await page.getByTestId("hf-endpoint-input").isDisabled()).toBe(true);
    await page.getByTestId("hf-endpoint-locked").waitFor();
    // "Ask when unsure" is forced on: shown checked, disabled, with the policy named.
    expect(await page.getByTestId("ask-when-unsure").isChecked()).toBe(true);
    expect(await page.getByTestId("ask-when-unsure").isDisabled()).toBe(true);
    expect(await page.getByTestId("ask-when-unsure-locked").innerText()).toContain(policyFile);
    await screenshot("14-policy-settings");
  });
});
