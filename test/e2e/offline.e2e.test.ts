import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { send, setMaxOutputTokens } from "./chat-steps.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";
import { createNetns, netnsUnavailable, type Netns } from "./netns.js";
import { describeAttempt, isLoopback, markPhase, readSocketLog, recorderEnv, type SocketAttempt } from "./socket-log.js";

/**
 * Offline, proven: the built browser-mode server and Chromium run inside a network namespace that has only
 * loopback, and a whole local session is driven through the UI (import, chat, stop, regenerate, a Hugging Face
 * search that must fail clearly, settings that persist across a restart). Every outbound attempt of the server
 * process, its worker threads and its children is recorded at the socket layer (test/fixtures/socket-recorder.cjs);
 * the test asserts that none but the user's own Hugging Face search aimed anywhere but loopback, and that the
 * recorder really sees such attempts. Chromium's own connections are not the server's and are not counted.
 */

const netnsProblem = netnsUnavailable();
if (netnsProblem) {
  console.warn(
    `SKIPPED offline.e2e: this machine cannot create a network namespace (${netnsProblem}). ` +
      "Run as root (as CI does) to prove Hearth makes no outbound connection.",
  );
}

const LONG_ANSWER = 2000;
const SHORT_ANSWER = 12;

let netns: Netns;
let server: HearthServer;
let browser: Browser;
let page: Page;
let workDir: string;
let dataDir: string;
let socketLog: string;
const pageErrors: string[] = [];

const assistantMessages = () => page.getByTestId("message-assistant");
const lastAnswer = () => assistantMessages().last();
const answerLength = async (answer: Locator) => (await answer.getByTestId("message-content").innerText()).trim().length;

async function waitForStatus(answer: Locator, status: string, timeout = 60_000): Promise<void> {
  await expect.poll(() => answer.getAttribute("data-status"), { timeout, interval: 100 }).toBe(status);
}

async function startServer(): Promise<HearthServer> {
  return startHearthServer(repoRoot, dataDir, {
    launcher: netns.enter,
    // No --hf-endpoint: the app's default Hugging Face address, as a user's install has it.
    env: recorderEnv(socketLog),
  });
}

async function openApp(): Promise<void> {
  await page.goto(server.url);
  await page.getByTestId("nav-models").waitFor();
}

/** Runs the recorder's self-check script in the namespace; returns its pid and what each attempt ended in. */
async function runConnectCheck(loopbackPort: number): Promise<{ pid: number; result: Record<string, string> }> {
  const script = path.join(repoRoot, "test/fixtures/connect-out.mjs");
  const [command, ...args] = [...netns.enter, process.execPath, script, String(loopbackPort)];
  const child = spawn(command!, args, { env: { ...process.env, ...recorderEnv(socketLog) }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`connect-out.mjs failed (exit ${code}): ${stderr}`);
  return { pid: child.pid!, result: JSON.parse(stdout) as Record<string, string> };
}

function countBy(attempts: SocketAttempt[], key: (a: SocketAttempt) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of attempts) counts[key(a)] = (counts[key(a)] ?? 0) + 1;
  return counts;
}

describe.skipIf(netnsProblem !== null)("Hearth offline, in a network namespace with only loopback", () => {
  beforeAll(async () => {
    if (!fs.existsSync(storiesModel)) throw new Error(`The test model is missing: ${storiesModel}`);
    workDir = tempDir("hearth-offline-e2e-");
    dataDir = path.join(workDir, "data");
    socketLog = path.join(workDir, "sockets.jsonl");
    netns = await createNetns(workDir);
    markPhase(socketLog, "startup");
    server = await startServer();
    browser = await launchBrowser(netns.chromium);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("dialog", (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await netns?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("runs where the only network interface is loopback", () => {
    const links = netns.links().trim().split("\n");
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/^1: lo: <LOOPBACK,UP/);
  });

  it("starts and imports a local model by path", async () => {
    await openApp();
    await page.getByTestId("welcome").waitFor();
    markPhase(socketLog, "import");
    await page.getByTestId("model-path-input").fill(storiesModel);
    await page.getByTestId("import-model").click();
    await page.getByTestId("welcome").waitFor({ state: "detached" });
    await page.getByTestId("nav-models").click();
    await expect.poll(() => page.getByTestId("model-item").count()).toBe(1);
    expect(await page.getByTestId("model-item").innerText()).toContain(storiesModel);
    await page.getByTestId("nav-models").click();
  });

  it("streams an answer, stops it, and regenerates a complete one", async () => {
    markPhase(socketLog, "chat");
    await page.getByTestId("new-chat").click();
    await expect.poll(() => page.getByTestId("model-picker").inputValue()).not.toBe("");
    await setMaxOutputTokens(page, LONG_ANSWER);
    await send(page, "Tell me a story about a lighthouse keeper");
    const answer = lastAnswer();
    await expect.poll(() => answerLength(answer), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    const first = await answerLength(answer);
    await expect.poll(() => answerLength(answer), { timeout: 60_000, interval: 50 }).toBeGreaterThan(first);
    expect(await answer.getAttribute("data-status")).toBe("streaming");

    markPhase(socketLog, "stop");
    await page.getByTestId("stop").click();
    await waitForStatus(answer, "stopped");

    markPhase(socketLog, "regenerate");
    await setMaxOutputTokens(page, SHORT_ANSWER);
    const stoppedId = await lastAnswer().getAttribute("data-message-id");
    await page.getByTestId("regenerate").click();
    await expect.poll(() => lastAnswer().getAttribute("data-message-id")).not.toBe(stoppedId);
    await waitForStatus(lastAnswer(), "complete");
    expect(await answerLength(lastAnswer())).toBeGreaterThan(0);
    expect(await lastAnswer().getByTestId("message-stats").innerText()).toMatch(/tokens\/s/);
    await screenshotTo(page, "offline-01-chat");
  });

  it("says clearly that Hugging Face search cannot reach the network, and stays usable", async () => {
    // The app has no conversation search to exercise; the Models view's Hugging Face search is the one there is.
    markPhase(socketLog, "search");
    await page.getByTestId("nav-models").click();
    await page.getByTestId("models-tab-search").click();
    await page.getByTestId("hf-search-input").fill("stories");
    await page.getByTestId("hf-search-submit").click();
    const error = page.getByTestId("hub-error");
    await error.waitFor();
    expect(await error.getAttribute("data-code")).toBe("NETWORK");
    expect(await error.getAttribute("role")).toBe("alert");
    const text = await error.innerText();
    expect(text).toContain("huggingface.co");
    expect(text).toMatch(/reach|connection|offline/i);
    await screenshotTo(page, "offline-02-search-error");

    markPhase(socketLog, "chat-after-search");
    await page.getByTestId("conversation-item").first().getByRole("button").first().click();
    await send(page, "And one more short story");
    await expect.poll(() => assistantMessages().count()).toBe(2);
    await waitForStatus(lastAnswer(), "complete");
  });

  it("changes a setting that persists across a restart", async () => {
    markPhase(socketLog, "settings");
    await page.getByTestId("settings-open").click();
    const mode = page.getByTestId("default-privacy-mode");
    const before = await mode.inputValue();
    const after = before === "ask" ? "local" : "ask";
    await mode.selectOption(after);
    await page.getByTestId("privacy-settings-saved").waitFor();

    markPhase(socketLog, "restart");
    await server.stop();
    server = await startServer();
    await openApp();
    await expect.poll(() => page.getByTestId("conversation-item").count()).toBe(1);
    await page.getByTestId("settings-open").click();
    await expect.poll(() => page.getByTestId("default-privacy-mode").inputValue()).toBe(after);
    await screenshotTo(page, "offline-03-settings");
    expect(pageErrors).toEqual([]);
  });

  it("tried nothing off loopback but the user's Hugging Face search, and the recorder sees such attempts", async () => {
    markPhase(socketLog, "self-check");
    const serverPort = Number(new URL(server.url).port);
    const check = await runConnectCheck(serverPort);
    const attempts = readSocketLog(socketLog);
    const mine = attempts.filter((a) => a.pid === check.pid);
    const app = attempts.filter((a) => a.pid !== check.pid && a.kind !== "spawn");
    const offLoopback = app.filter((a) => !isLoopback(a));
    const children = attempts.filter((a) => a.pid !== check.pid && a.kind === "spawn");
    const summary = {
      app: {
        attempts: app.length,
        loopback: app.length - offLoopback.length,
        offLoopback: offLoopback.length,
        processesWithAttempts: new Set(app.map((a) => a.pid)).size,
        children: countBy(children, (a) => `${a.command}${a.watched ? " (watched)" : " (NOT watched)"}`),
        byPhase: countBy(app, (a) => `${a.phase}${isLoopback(a) ? "" : " (off loopback)"}`),
        byDestination: countBy(app, (a) => `${a.kind} ${a.path ?? a.host} via ${a.via}`),
      },
      selfCheck: countBy(mine, (a) => `${a.kind} ${a.host}:${String(a.port)} via ${a.via}`),
    };
    console.log(`offline.e2e socket attempts: ${JSON.stringify(summary, null, 2)}`);

    // The recorder works: the check script's attempts are all there. Inside the namespace the outside address is
    // unreachable at once, so nothing left the machine.
    expect(check.result).toEqual({
      tcpOutside: "ENETUNREACH",
      fetchOutside: "ENETUNREACH",
      udpOutside: "ENETUNREACH",
      tcpLoopback: "connected",
    });
    const seen = (host: string, port: number) => mine.some((a) => a.host === host && Number(a.port) === port);
    expect({ tcp: seen("10.255.255.1", 80), fetch: seen("10.255.255.1", 8080), udp: seen("10.255.255.1", 53) }).toEqual({
      tcp: true,
      fetch: true,
      udp: true,
    });
    expect(seen("127.0.0.1", serverPort)).toBe(true);

    // The app: nothing but loopback in any step except the user's own search, which tried the Hugging Face host
    // and nothing else (which also shows the recorder sees the app's fetch).
    expect(offLoopback.filter((a) => a.phase !== "search").map(describeAttempt)).toEqual([]);
    expect([...new Set(offLoopback.map((a) => a.host))]).toEqual(["huggingface.co"]);
    // Every process the app started is Node recording into the same log: no other program could go out unseen.
    expect(children.filter((a) => !a.watched).map(describeAttempt)).toEqual([]);
  });
});
