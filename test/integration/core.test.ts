import { afterEach, describe, expect, it } from "vitest";
import type { ChatEvent, Message, ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { writeBadModels } from "../fixtures/bad-models.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";


type Finish = Extract<ChatEvent, { type: "message-finish" }>;
const finishes = new WeakMap<CoreInternals, Finish[]>();

/** Resolves with the finish event of a message, even if it fired before the call (events are recorded from start). */
async function waitForFinish(core: CoreInternals, messageId: string): Promise<Finish> {
  for (;;) {
    const found = finishes.get(core)?.find((event) => event.messageId === messageId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cores: CoreInternals[] = [];
async function open(dataDir: string): Promise<CoreInternals> {
  const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  const recorded: Finish[] = [];
  finishes.set(core, recorded);
  core.subscribe("chat", (event) => {
    if (event.type === "message-finish") recorded.push(event);
  });
  return core;
}

afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

describe("core over the contract", () => {
  it("imports a model with its GGUF metadata, chats, and persists across restarts", async () => {
    const dataDir = tempDir();
    const core = await open(dataDir);
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    expect(model).toMatchObject({ architecture: "llama", available: true, hasChatTemplate: false });
    expect(model.parameters).toBeGreaterThan(100_000);
    expect(model.sizeBytes).toBe(1_185_376);
    // Importing the same file again does not duplicate it.
    const again = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    expect(again.id).toBe(model.id);

    const conversation = await call<{ id: string; settings: { modelId: string } }>(core, "createConversation", {});
    expect(conversation.settings.modelId).toBe(model.id);
    await call(core, "updateConversationSettings", {
      conversationId: conversation.id,
      settings: { maxOutputTokens: 16, temperature: 0 },
    });

    const deltas: string[] = [];
    core.subscribe("chat", (event) => {
      if (event.type === "text-delta") deltas.push(event.text);
    });
    const sent = await call<{ userMessage: Message; assistantMessageId: string }>(core, "sendMessage", {
      conversationId: conversation.id,
      text: "Once upon a time\nthere was a fox",
    });
    const finish = await waitForFinish(core, sent.assistantMessageId);
    expect(finish.error).toBeNull();
    expect(finish.status).toBe("complete");
    expect(finish.stats?.outputTokens).toBeGreaterThan(0);
    expect(deltas.join("").length).toBeGreaterThan(0);

    const listed = await call<{ title: string }[]>(core, "listConversations", {});
    expect(listed[0]!.title).toBe("Once upon a time");

    await core.dispose();
    const reopened = await open(dataDir);
    const loaded = await call<{ messages: Message[] }>(reopened, "getConversation", { conversationId: conversation.id });
    expect(loaded.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(loaded.messages[1]!.content).toBe(deltas.join(""));
    expect(loaded.messages[1]!.stats?.outputTokens).toBe(finish.stats?.outputTokens);
  });

  it("stops an answer, regenerates it, and marks answers cut by a crash as interrupted", async () => {
    const dataDir = tempDir();
    const core = await open(dataDir);
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const conversation = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
    await call(core, "updateConversationSettings", {
      conversationId: conversation.id,
      settings: { maxOutputTokens: 2000, contextSize: 2048 },
    });
    const firstDelta = new Promise<void>((resolve) => {
      const off = core.subscribe("chat", (event) => {
        if (event.type === "text-delta") {
          off();
          resolve();
        }
      });
    });
    const sent = await call<{ assistantMessageId: string }>(core, "sendMessage", {
      conversationId: conversation.id,
      text: "Tell me a story",
    });
    await firstDelta;
    const busy = await core.call("sendMessage", { conversationId: conversation.id, text: "again" });
    expect(busy).toMatchObject({ ok: false, error: { code: "BUSY" } });
    await call(core, "stopGeneration", { conversationId: conversation.id });
    const stopped = await waitForFinish(core, sent.assistantMessageId);
    expect(stopped.status).toBe("stopped");

    await call(core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 8 } });
    const regen = await call<{ assistantMessageId: string }>(core, "regenerateMessage", {
      conversationId: conversation.id,
    });
    const done = await waitForFinish(core, regen.assistantMessageId);
    expect(["complete", "stopped"]).toContain(done.status);
    const after = await call<{ messages: Message[] }>(core, "getConversation", { conversationId: conversation.id });
    expect(after.messages).toHaveLength(2);
    expect(after.messages[1]!.id).toBe(regen.assistantMessageId);

    // Simulate a crash mid-answer: a row left "streaming" with partial text is found by the next start.
    core.store.addMessage({ conversationId: conversation.id, role: "user", content: "more", status: "complete" });
    const partial = core.store.addMessage({ conversationId: conversation.id, role: "assistant", content: "", status: "streaming" });
    core.store.saveProgress(partial.id, "Once there was", "");
    core.store.close();
    cores.splice(cores.indexOf(core), 1);
    await core.engine.dispose();

    const restarted = await open(dataDir);
    const reloaded = await call<{ messages: Message[] }>(restarted, "getConversation", { conversationId: conversation.id });
    const last = reloaded.messages.at(-1)!;
    expect(last).toMatchObject({ id: partial.id, status: "interrupted", content: "Once there was" });
    await call(restarted, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 4 } });
    const regenerated = await call<{ assistantMessageId: string }>(restarted, "regenerateMessage", {
      conversationId: conversation.id,
      messageId: partial.id,
    });
    expect((await waitForFinish(restarted, regenerated.assistantMessageId)).status).toBe("complete");
  });

  it("refuses bad model files with clear errors and stays usable", async () => {
    const dataDir = tempDir();
    const bad = writeBadModels(dataDir);
    const core = await open(dataDir);
    const expectations: [string, string, RegExp][] = [
      [bad.missing, "MODEL_FILE_MISSING", /No file at/],
      [dataDir, "MODEL_FILE_MISSING", /is a folder/],
      [bad.notGguf, "NOT_GGUF", /not a GGUF model file/],
      [bad.headerOnly, "GGUF_TRUNCATED", /damaged or incomplete/],
      [bad.truncated, "GGUF_TRUNCATED", /incomplete: it has \d+ bytes/],
      [bad.unknownArch, "UNSUPPORTED_ARCHITECTURE", /"zzzzz" architecture/],
    ];
    for (const [file, code, message] of expectations) {
      const result = await core.call("importModel", { path: file });
      expect(result, file).toMatchObject({ ok: false, error: { code } });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(await call<ModelInfo[]>(core, "listModels", {})).toEqual([]);
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    expect(model.available).toBe(true);
  });

  it("validates every input against the contract", async () => {
    const core = await open(tempDir());
    expect(await core.call("sendMessage", { conversationId: "x" })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    expect(await core.call("sendMessage", { conversationId: "x", text: "   " })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(await core.call("nope", {})).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    expect(await core.call("getConversation", { conversationId: "missing" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    const conversation = await call<{ id: string }>(core, "createConversation", {});
    expect(await core.call("sendMessage", { conversationId: conversation.id, text: "hi" })).toMatchObject({
      ok: false,
      error: { code: "NO_MODEL_SELECTED" },
    });
    expect(await core.call("openExternal", { url: "javascript:alert(1)" })).toMatchObject({ ok: false });
  });
});
