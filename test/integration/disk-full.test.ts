import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChatEvent, Conversation, Message, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { isDiskFull } from "../../electron/core/store/disk-full.js";
import { startFakeProvider } from "../fake-providers/fake-provider-server.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";

/**
 * A real full disk: the core's data folder is a small tmpfs, filled with a filler file at the chosen moment.
 * Mounting needs root (as on CI); anywhere else this test fails and says so rather than skipping.
 */
type Finish = Extract<ChatEvent, { type: "message-finish" }>;

const MOUNT_SIZE = "4m";
let mountDir = "";
const fillerPath = () => path.join(mountDir, "filler");

function mountTmpfs(): string {
  if (process.getuid?.() !== 0) {
    throw new Error("disk-full.test.ts mounts a small tmpfs to fill it and must run as root (as on CI); run it as root.");
  }
  const dir = tempDir("hearth-disk-full-");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${MOUNT_SIZE}`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`disk-full.test.ts could not mount a tmpfs at ${dir} (${stderr || String(error)}); it needs root with mount rights.`);
  }
  return dir;
}

/** Writes into the filler file until the disk refuses a single byte more. */
function fillDisk(): void {
  const fd = fs.openSync(fillerPath(), "a");
  try {
    for (const size of [1 << 20, 64 << 10, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          if (fs.writeSync(fd, chunk) < size) break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

function freeDisk(): void {
  fs.rmSync(fillerPath(), { force: true });
}

const unexpected: unknown[] = [];
const onUnexpected = (error: unknown) => unexpected.push(error);
/** Where each unhandled error came from, so a failure names the code that let it escape. */
const unexpectedErrors = () =>
  unexpected.map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e)).split("\n").slice(0, 4).join("\n"));

beforeAll(() => {
  mountDir = mountTmpfs();
  process.on("unhandledRejection", onUnexpected);
  process.on("uncaughtException", onUnexpected);
});

beforeEach(() => {
  unexpected.length = 0;
});

const cores: CoreInternals[] = [];
afterEach(async () => {
  freeDisk();
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

afterAll(() => {
  process.off("unhandledRejection", onUnexpected);
  process.off("uncaughtException", onUnexpected);
  if (!mountDir) return;
  // Lazy: detaches even if a file on it were still open, so the run's temporary folder can always be removed.
  execFileSync("umount", ["-l", mountDir], { stdio: "pipe" });
  fs.rmdirSync(mountDir);
});

type Harness = { core: CoreInternals; finishes: Finish[]; deltas: Map<string, string> };

async function open(dataDir: string): Promise<Harness> {
  const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  const finishes: Finish[] = [];
  const deltas = new Map<string, string>();
  core.subscribe("chat", (event) => {
    if (event.type === "message-finish") finishes.push(event);
    if (event.type === "text-delta") deltas.set(event.messageId, (deltas.get(event.messageId) ?? "") + event.text);
  });
  return { core, finishes, deltas };
}

async function waitForFinish(h: Harness, messageId: string, timeoutMs = 60_000): Promise<Finish> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = h.finishes.find((event) => event.messageId === messageId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no message-finish for ${messageId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function messagesOf(core: CoreInternals, conversationId: string): Promise<Message[]> {
  return (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages;
}

async function setUp(h: Harness, settings: Record<string, unknown>): Promise<Conversation> {
  const model = await call<ModelInfo>(h.core, "importModel", { path: storiesModel });
  const conversation = await call<Conversation>(h.core, "createConversation", { modelId: model.id });
  await call(h.core, "updateConversationSettings", { conversationId: conversation.id, settings });
  return conversation;
}

describe("disk full", () => {
  it("stops a streaming answer with DISK_FULL, keeps its text and everything saved, and recovers once space is freed", async () => {
    const dataDir = path.join(mountDir, "stream");
    const h = await open(dataDir);
    const conversation = await setUp(h, { maxOutputTokens: 12, temperature: 0 });

    // An earlier exchange, saved before the disk fills.
    const first = await call<{ userMessage: Message; assistantMessageId: string }>(h.core, "sendMessage", {
      conversationId: conversation.id,
      text: "Once upon a time",
    });
    expect((await waitForFinish(h, first.assistantMessageId)).status).toBe("complete");
    const before = await messagesOf(h.core, conversation.id);
    expect(before.map((m) => [m.role, m.status])).toEqual([["user", "complete"], ["assistant", "complete"]]);
    const other = await call<Conversation>(h.core, "createConversation", {});

    // A long answer; the disk fills as soon as its first words arrive.
    await call(h.core, "updateConversationSettings", {
      conversationId: conversation.id,
      settings: { maxOutputTokens: 4000, contextSize: 4096, temperature: 1 },
    });
    let filled = false;
    const off = h.core.subscribe("chat", (event) => {
      if (event.type === "text-delta" && !filled) {
        filled = true;
        fillDisk();
      }
    });
    const sent = await call<{ assistantMessageId: string }>(h.core, "sendMessage", {
      conversationId: conversation.id,
      text: "Tell me a long story",
    });
    const finish = await waitForFinish(h, sent.assistantMessageId);
    off();
    expect(filled).toBe(true);
    expect(finish.status).toBe("error");
    expect(finish.error?.code).toBe("DISK_FULL");
    expect(finish.error?.message).toMatch(/free .*space/i);
    // The final event carries the whole answer so far, exactly what streamed to the screen.
    const streamed = h.deltas.get(sent.assistantMessageId) ?? "";
    expect(streamed.length).toBeGreaterThan(0);
    expect(finish.content).toBe(streamed);
    // It stopped at the full disk instead of running to its token limit.
    expect(finish.stats?.outputTokens ?? 0).toBeLessThan(4000);

    // Still up, still answering reads; what was saved before is intact, the partial answer shows as it ended.
    const during = await messagesOf(h.core, conversation.id);
    expect(during.slice(0, 2)).toEqual(before);
    expect(during[2]).toMatchObject({ role: "user", content: "Tell me a long story" });
    expect(during[3]).toMatchObject({ id: sent.assistantMessageId, status: "error", content: streamed, error: { code: "DISK_FULL" } });
    const listed = await call<Conversation[]>(h.core, "listConversations", {});
    expect(listed.map((c) => c.id).sort()).toEqual([conversation.id, other.id].sort());

    // Sending while the disk is still full: a clear DISK_FULL, and nothing half-saved.
    const refused = await h.core.call("sendMessage", { conversationId: other.id, text: "Are you there?" });
    expect(refused).toMatchObject({ ok: false, error: { code: "DISK_FULL" } });
    expect(await messagesOf(h.core, other.id)).toEqual([]);
    expect(await h.core.call("createConversation", {})).toMatchObject({ ok: false, error: { code: "DISK_FULL" } });

    // Space comes back: the partial answer is written as shown, and survives a restart.
    freeDisk();
    await h.core.dispose();
    const again = await open(dataDir);
    const reopened = await messagesOf(again.core, conversation.id);
    expect(reopened.slice(0, 2)).toEqual(before);
    expect(reopened[3]).toMatchObject({ status: "error", content: streamed, error: { code: "DISK_FULL" } });

    // ...and it can be regenerated.
    await call(again.core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 8 } });
    const regen = await call<{ assistantMessageId: string }>(again.core, "regenerateMessage", { conversationId: conversation.id });
    expect((await waitForFinish(again, regen.assistantMessageId)).status).toBe("complete");
    const after = await messagesOf(again.core, conversation.id);
    expect(after).toHaveLength(4);
    expect(after[3]).toMatchObject({ status: "complete", error: null });

    expect(unexpectedErrors()).toEqual([]);
  });

  it("ends a short answer whose final save does not fit with DISK_FULL, and writes it once there is room", async () => {
    const dataDir = path.join(mountDir, "finish");
    const h = await open(dataDir);
    const conversation = await setUp(h, { maxOutputTokens: 6, temperature: 0 });
    // Filled at the first words: the answer ends before its next periodic save, so its final save is what fails.
    let filled = false;
    h.core.subscribe("chat", (event) => {
      if (event.type === "text-delta" && !filled) {
        filled = true;
        fillDisk();
      }
    });
    const sent = await call<{ assistantMessageId: string }>(h.core, "sendMessage", { conversationId: conversation.id, text: "Once upon a time" });
    const finish = await waitForFinish(h, sent.assistantMessageId);
    expect(filled).toBe(true);
    expect(finish).toMatchObject({ status: "error", error: { code: "DISK_FULL" } });
    expect(finish.content).toBe(h.deltas.get(sent.assistantMessageId));
    // The core shows the answer as it ended, not as a never-ending "streaming" one.
    expect((await messagesOf(h.core, conversation.id))[1]).toMatchObject({ status: "error", content: finish.content });

    freeDisk();
    await h.core.dispose();
    const again = await open(dataDir);
    expect((await messagesOf(again.core, conversation.id))[1]).toMatchObject({ status: "error", content: finish.content, error: { code: "DISK_FULL" } });
    expect(unexpectedErrors()).toEqual([]);
  });

  it("stops a cloud answer with DISK_FULL too, without a failover that could not be saved either", async () => {
    const provider = await startFakeProvider({ wire: "openai", reply: "word ".repeat(60), eventDelayMs: 40 });
    try {
      const h = await open(path.join(mountDir, "cloud"));
      const conversation = await setUp(h, { maxOutputTokens: 8, temperature: 0 });
      const saved = await call<Provider>(h.core, "saveProvider", {
        kind: "openai-compatible",
        name: "Team vLLM",
        baseUrl: provider.baseUrl,
        model: "big-model",
        apiKey: "sk-test-disk-full-0123456789",
      });
      await call(h.core, "updateConversationSettings", {
        conversationId: conversation.id,
        settings: { privacyMode: "auto", cloudProviderId: saved.id },
      });
      let filled = false;
      h.core.subscribe("chat", (event) => {
        if (event.type === "text-delta" && !filled) {
          filled = true;
          fillDisk();
        }
      });
      const sent = await call<{ assistantMessageId: string }>(h.core, "sendMessage", {
        conversationId: conversation.id,
        text: "Write the word many times",
        escalate: true,
      });
      const finish = await waitForFinish(h, sent.assistantMessageId);
      expect(filled).toBe(true);
      expect(finish).toMatchObject({ status: "error", error: { code: "DISK_FULL" } });
      expect(finish.content).toBe(h.deltas.get(sent.assistantMessageId));
      expect(finish.content!.length).toBeLessThan("word ".repeat(60).length);
      // Still answering after the disk is freed.
      freeDisk();
      const next = await call<{ assistantMessageId: string }>(h.core, "sendMessage", { conversationId: conversation.id, text: "Again", escalate: true });
      expect((await waitForFinish(h, next.assistantMessageId)).status).toBe("complete");
      expect(unexpectedErrors()).toEqual([]);
    } finally {
      await provider.close();
    }
  });

  it("refuses a message with DISK_FULL when the disk is already full at send, and takes it once space is freed", async () => {
    const h = await open(path.join(mountDir, "send"));
    const conversation = await setUp(h, { maxOutputTokens: 8, temperature: 0 });

    fillDisk();
    // SQLite I/O errors a full disk can cause count as DISK_FULL here (the disk really is full).
    expect(isDiskFull({ code: "SQLITE_IOERR_SHMSIZE" }, mountDir)).toBe(true);
    const refused = await h.core.call("sendMessage", { conversationId: conversation.id, text: "Hello there" });
    expect(refused).toMatchObject({ ok: false, error: { code: "DISK_FULL", retryable: true } });
    if (refused.ok) throw new Error("unreachable");
    expect(refused.error.message).toMatch(/not sent/i);
    expect(refused.error.message).toMatch(/free .*space/i);
    // Nothing half-saved: no message, no title taken from it.
    expect(await messagesOf(h.core, conversation.id)).toEqual([]);
    expect((await call<Conversation[]>(h.core, "listConversations", {}))[0]!.title).toBe("New chat");

    freeDisk();
    const sent = await call<{ assistantMessageId: string }>(h.core, "sendMessage", { conversationId: conversation.id, text: "Hello there" });
    expect((await waitForFinish(h, sent.assistantMessageId)).status).toBe("complete");
    expect((await messagesOf(h.core, conversation.id)).map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(unexpectedErrors()).toEqual([]);
  });
});
