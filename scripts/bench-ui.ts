import { spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import type { ChatEvent, EventName, EventPayload, SequencedChatEvent } from "../electron/contract/index.js";
import { startBridge } from "../electron/bridge/bridge-server.js";
import type { Core } from "../electron/core/core-types.js";
import { createCore } from "../electron/core/core.js";
import { seedBenchData, streamTokens } from "./bench-ui-data.js";
import * as inPage from "./bench-ui-page.js";
import { markInPage, startProfile, stopProfile, type PageTask } from "./bench-ui-profile.js";

/**
 * How the chat window copes with a long conversation, measured in Debian's Chromium (playwright-core, never a
 * downloaded browser).
 *
 * Usage: npm run -s bench:ui -- [--json] [--messages 5000] [--conversations 2000] [--stream-seconds 10] [--renderer DIR]
 *   [--profile DIR]
 *   The npm script compiles the Node side (tsc, without wiping dist-electron); this script rebuilds the renderer only
 *   when a file under renderer/ is newer than dist/renderer/index.html. Through the core (createCore, in this
 *   process) it stores a conversation of `messages` messages (~2.8 MB of markdown with code blocks and tables at
 *   5,000) and `conversations` conversations in all, serves the app as `npm run serve` does, and reports:
 *   - appLoad: page load until the sidebar shows the long conversation;
 *   - open: click on it until its last message is painted, and the long tasks meanwhile (and 1 s after);
 *   - scrollToTop: scrolling up 1.5 screens a frame until the first message is on screen;
 *   - streaming: an answer streamed at 200 tokens/s (a fake engine: the chat events a real answer sends, batched
 *     every 30 ms like the core's batcher) at the end of the long conversation; the renderer is what is measured;
 *   - domNodes, domElements, jsHeapMB after opening (after a garbage collection).
 *   --profile DIR writes a CPU profile of each phase there, with a summary of what its long stretches of work ran
 *   (see bench-ui-profile.ts); profiling slows the page, so use it to find long tasks, not for the figures.
 *   --renderer DIR serves another build of the renderer instead (e.g. an earlier commit's, built with
 *   `vite build --outDir DIR` from `git archive`), for before/after figures against the same core and data.
 * Long tasks are the page's own (PerformanceObserver "longtask", over 50 ms). Timings vary with what else runs; the
 * main thread's CPU time per phase (`cpu`) much less, and the machine's load average is reported beside them.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const chromiumPath = "/usr/bin/chromium";
const targets = { openMs: 300, longTaskMs: 50 };

type LongTasks = { count: number; longestMs: number };

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer only when its sources changed since the last build. */
function ensureRendererBuilt(log: (line: string) => void): void {
  const page = path.join(repoRoot, "dist/renderer/index.html");
  const built = fs.existsSync(page) ? fs.statSync(page).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(repoRoot, "renderer")), fs.statSync(path.join(repoRoot, "vite.config.ts")).mtimeMs);
  if (built >= sources) return;
  // Its output goes to stderr, so --json's stdout stays JSON.
  log("renderer sources changed since the last build: npm run build:renderer");
  const result = spawnSync("npm", ["run", "-s", "build:renderer"], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) throw new Error("npm run build:renderer failed");
}

/**
 * The real core behind the bridge, plus a second source of chat events: the bench's fake engine. Its events are
 * numbered on from the conversation's last number, as the core's own would be.
 */
function withFakeChat(core: Core): { core: Core; emitChat(event: SequencedChatEvent): void } {
  const fake = new EventEmitter();
  return {
    core: {
      call: (method, input) => core.call(method, input),
      subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
        const off = core.subscribe(event, listener);
        if (event !== "chat") return off;
        fake.on("chat", listener);
        return () => {
          off();
          fake.off("chat", listener);
        };
      },
      dispose: () => core.dispose(),
    },
    emitChat: (event) => fake.emit("chat", event),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function longTasks(page: Page, from: number, to: number): Promise<LongTasks> {
  return (await page.evaluate(inPage.longTasksBetween(from, to))) as LongTasks;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      messages: { type: "string", default: "5000" },
      conversations: { type: "string", default: "2000" },
      "stream-seconds": { type: "string", default: "10" },
      "tokens-per-second": { type: "string", default: "200" },
      renderer: { type: "string" },
      profile: { type: "string" },
    },
  });
  const messages = Number(values.messages);
  const conversations = Number(values.conversations);
  const streamSeconds = Number(values["stream-seconds"]);
  const tokensPerSecond = Number(values["tokens-per-second"]);
  for (const [name, value] of Object.entries({ messages, conversations, streamSeconds, tokensPerSecond })) {
    if (!Number.isInteger(value) || value < 2) throw new Error(`--${name} must be an integer of at least 2`);
  }
  const log = (line: string) => {
    if (!values.json) process.stderr.write(`${line}\n`);
  };
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium`);
  // Another build of the renderer (an older commit's, for a before/after comparison) is served as it is.
  const staticDir = values.renderer ? path.resolve(values.renderer) : path.join(repoRoot, "dist/renderer");
  if (values.renderer) {
    if (!fs.existsSync(path.join(staticDir, "index.html"))) throw new Error(`${staticDir} has no index.html`);
  } else ensureRendererBuilt(log);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-ui-"));
  const quiet = { info() {}, warn() {}, error() {} };
  const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: quiet, policyFile: null });
  const fake = withFakeChat(core);
  const bridge = await startBridge({ core: fake.core, staticDir, logger: quiet });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    log(`seeding ${messages} messages and ${conversations} conversations...`);
    const modelFile = path.join(dataDir, "bench-model.gguf");
    fs.writeFileSync(modelFile, "GGUF");
    const seeded = seedBenchData(core.store, { messages, conversations, modelFile });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(inPage.recordLongTasks);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const profileDir = values.profile ? path.resolve(values.profile) : null;
    // The page's main-thread CPU time (and its script, layout and style parts) over a phase: unlike long tasks, it
    // barely depends on what else the machine runs, so it compares runs made on a busy machine.
    const cpuNow = async () => {
      const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
      const read = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { threadMs: read("ThreadTime"), scriptMs: read("ScriptDuration"), layoutMs: read("LayoutDuration"), styleMs: read("RecalcStyleDuration") };
    };
    type Cpu = Awaited<ReturnType<typeof cpuNow>>;
    const cpuSince = async (from: Cpu) => {
      const to = await cpuNow();
      return Object.fromEntries(Object.entries(to).map(([k, v]) => [k, Math.round(v - from[k as keyof Cpu])])) as Cpu;
    };
    const profiled = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
      if (!profileDir) return run();
      await startProfile(cdp);
      // Before the app's page exists (the first phase loads it), the page's clock cannot be matched to the profile.
      const markAt = phase === "appLoad" ? null : ((await page.evaluate(markInPage)) as number);
      try {
        return await run();
      } finally {
        const tasks = markAt === null ? [] : ((await page.evaluate(inPage.longTasksSince(markAt))) as PageTask[]);
        const summary = await stopProfile(cdp, profileDir, phase, markAt === null ? undefined : { markAt, tasks });
        log(`${phase}: ${summary.split("\n")[0]}`);
      }
    };

    log("loading the app...");
    const loadStart = Date.now();
    const appLoadMs = await profiled("appLoad", async () => {
      await page.goto(bridge.url);
      await page.locator(`[data-conversation-id="${seeded.longId}"]`).waitFor({ timeout: 120_000 });
      await page.locator(`[data-conversation-id="${seeded.startId}"].active`).waitFor({ timeout: 120_000 });
      const ms = Date.now() - loadStart;
      await sleep(1000);
      return ms;
    });
    const appLoadTasks = await longTasks(page, 0, (await page.evaluate(inPage.pageNow)) as number);

    log("opening the long conversation...");
    const openCpuFrom = await cpuNow();
    const opened = await profiled("open", async () => {
      const times = (await page.evaluate(inPage.openAndWait(seeded.longId, seeded.longLastId, 120_000))) as {
        clickedAt: number;
        paintedAt: number;
      };
      await sleep(1000);
      return times;
    });
    const openTasks = await longTasks(page, opened.clickedAt, (await page.evaluate(inPage.pageNow)) as number);
    const openCpu = await cpuSince(openCpuFrom);

    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    const domElements = (await page.evaluate(inPage.countElements)) as number;

    log("scrolling to the top...");
    const scrollCpuFrom = await cpuNow();
    const scrolled = await profiled(
      "scrollToTop",
      async () =>
        (await page.evaluate(inPage.scrollToTop(seeded.longFirstId, 300_000))) as {
          startedAt: number;
          endedAt: number;
          frames: number;
          reached: boolean;
        },
    );
    const scrollTasks = await longTasks(page, scrolled.startedAt, scrolled.endedAt);
    const scrollCpu = await cpuSince(scrollCpuFrom);

    log(`streaming an answer at ${tokensPerSecond} tokens/s for ${streamSeconds} s...`);
    await page.evaluate(inPage.scrollToBottom(seeded.longLastId, 120_000));
    await sleep(500);
    const answer = core.store.addMessage({ conversationId: seeded.longId, role: "assistant", content: "", status: "streaming" });
    const read = (await core.call("getConversation", { conversationId: seeded.longId })) as { ok: true; value: { lastSeq: number } };
    let seq = read.value.lastSeq;
    const emit = (event: ChatEvent) => fake.emitChat({ ...event, seq: ++seq });
    const endMarker = "bench-stream-end";
    const tokens = [...streamTokens(tokensPerSecond * streamSeconds - 1), ` ${endMarker}`];
    const streamMark = profileDir ? await startProfile(cdp).then(async () => (await page.evaluate(markInPage)) as number) : 0;
    const streamCpuFrom = await cpuNow();
    const streamStart = (await page.evaluate(inPage.pageNow)) as number;
    emit({ type: "message-start", conversationId: seeded.longId, message: answer });
    const batchMs = 30;
    const perBatch = Math.max(1, Math.round((tokensPerSecond * batchMs) / 1000));
    const began = Date.now();
    for (let i = 0; i < tokens.length; i += perBatch) {
      // On schedule rather than a fixed sleep, so a slow tick does not slow the stream down.
      const due = began + (i / tokensPerSecond) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      emit({ type: "text-delta", conversationId: seeded.longId, messageId: answer.id, text: tokens.slice(i, i + perBatch).join("") });
    }
    const content = tokens.join("");
    core.store.finishMessage(answer.id, { content, reasoning: "", status: "complete", stats: null, error: null });
    emit({ type: "message-finish", conversationId: seeded.longId, messageId: answer.id, status: "complete", stats: null, error: null, content, reasoning: "" });
    await sleep(1000);
    const streamEnd = (await page.evaluate(inPage.pageNow)) as number;
    const streamCpu = await cpuSince(streamCpuFrom);
    if (profileDir) {
      const tasks = (await page.evaluate(inPage.longTasksSince(streamMark))) as PageTask[];
      log(`streaming: ${(await stopProfile(cdp, profileDir, "streaming", { markAt: streamMark, tasks })).split("\n")[0]}`);
    }
    const streamTasks = await longTasks(page, streamStart, streamEnd);
    const streamShown = (await page.evaluate(inPage.messageShows(answer.id, endMarker))) as boolean;

    const result = {
      machine: { cpus: os.cpus().length, browser: browser.version() },
      data: { messages, conversations, longConversationBytes: seeded.longBytes },
      appLoad: { ms: appLoadMs, longTasks: appLoadTasks },
      open: { ms: Math.round(opened.paintedAt - opened.clickedAt), longTasks: openTasks, cpu: openCpu },
      scrollToTop: {
        ms: Math.round(scrolled.endedAt - scrolled.startedAt),
        frames: scrolled.frames,
        reachedFirst: scrolled.reached,
        longTasks: scrollTasks,
        cpu: scrollCpu,
        cpuPerFrameMs: Math.round((scrollCpu.threadMs / Math.max(1, scrolled.frames)) * 10) / 10,
      },
      streaming: { tokensPerSecond, seconds: streamSeconds, shownToEnd: streamShown, longTasks: streamTasks, cpu: streamCpu },
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      domNodes: metric("Nodes"),
      domElements,
      jsHeapMB: Math.round((metric("JSHeapUsedSize") / 1024 / 1024) * 10) / 10,
    };
    const meets = {
      openWithin300ms: result.open.ms <= targets.openMs,
      noLongTaskOver50msOpening: openTasks.longestMs <= targets.longTaskMs,
      noLongTaskOver50msScrolling: scrolled.reached && scrollTasks.longestMs <= targets.longTaskMs,
      noLongTaskOver50msStreaming: streamShown && streamTasks.longestMs <= targets.longTaskMs,
    };
    if (values.json) process.stdout.write(`${JSON.stringify({ ...result, meets }, null, 2)}\n`);
    else {
      const tasks = (t: LongTasks) => `${t.count} long tasks, longest ${t.longestMs} ms`;
      const cpuText = (c: Cpu) => `main thread CPU ${c.threadMs} ms: script ${c.scriptMs}, layout ${c.layoutMs}, style ${c.styleMs}`;
      process.stdout.write(
        [
          `long conversation: ${messages} messages, ${(seeded.longBytes / 1e6).toFixed(2)} MB; ${conversations} conversations`,
          `app load:      ${appLoadMs} ms (${tasks(appLoadTasks)})`,
          `open:          ${result.open.ms} ms click to painted (${tasks(openTasks)}; ${cpuText(openCpu)})`,
          `scroll to top: ${result.scrollToTop.ms} ms, ${scrolled.frames} frames${scrolled.reached ? "" : " (did not reach the first message)"} (${tasks(scrollTasks)}; ${cpuText(scrollCpu)}, ${result.scrollToTop.cpuPerFrameMs} ms a frame)`,
          `streaming:     ${tokensPerSecond} tok/s for ${streamSeconds} s${streamShown ? "" : " (not shown to the end)"} (${tasks(streamTasks)}; ${cpuText(streamCpu)})`,
          `load average:  ${result.loadAverage.join(" ")}`,
          `DOM: ${result.domNodes} nodes, ${domElements} elements; JS heap ${result.jsHeapMB} MB`,
          `targets met: ${Object.entries(meets).map(([k, v]) => `${k} ${v ? "yes" : "NO"}`).join(", ")}`,
        ].join("\n") + "\n",
      );
    }
  } finally {
    await browser.close();
    await bridge.close();
    await core.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:ui failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
