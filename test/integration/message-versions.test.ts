import { afterEach, describe, expect, it } from "vitest";
import type { ChatEvent, Message, ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";

// Edit, regenerate any answer, flip versions and delete, on the real engine with the tiny stories model.

type Finish = Extract<ChatEvent, { type: "message-finish" }>;
type Sent = { userMessage: Message; assistantMessageId: string };

const cores: CoreInternals[] = [];
const events = new WeakMap<CoreInternals, ChatEvent[]>();

async function open(dataDir: string): Promise<CoreInternals> {
  const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  const recorded: ChatEvent[] = [];
  events.set(core, recorded);
  core.subscribe("chat", (event) => recorded.push(event));
  return core;
}

afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

async function finished(core: CoreInternals, messageId: string): Promise<Finish> {
  for (;;) {
    const found = events.get(core)?.find((e): e is Finish => e.type === "message-finish" && e.messageId === messageId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function setUp(dataDir = tempDir()) {
  const core = await open(dataDir);
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const { id } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
  await call(core, "updateConversationSettings", { conversationId: id, settings: { maxOutputTokens: 8, temperature: 0 } });
  return { core, dataDir, conversationId: id };
}

async function send(core: CoreInternals, conversationId: string, text: string): Promise<Sent> {
  const sent = await call<Sent>(core, "sendMessage", { conversationId, text });
  expect((await finished(core, sent.assistantMessageId)).status).toBe("complete");
  return sent;
}

async function branch(core: CoreInternals, conversationId: string): Promise<Message[]> {
  return (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages;
}

const ids = (messages: Message[]) => messages.map((m) => m.id);

describe("conversation versions over the contract", () => {
  it("edit starts a new branch and keeps the old one; the chosen version survives reopening", async () => {
    const { core, dataDir, conversationId } = await setUp();
    const first = await send(core, conversationId, "Once upon a time");
    const second = await send(core, conversationId, "The fox ran");
    const old = await branch(core, conversationId);
    expect(ids(old)).toEqual([first.userMessage.id, first.assistantMessageId, second.userMessage.id, second.assistantMessageId]);
    expect(old[1]!.parentId).toBe(first.userMessage.id);
    expect(old.every((m) => m.versionIds === undefined)).toBe(true);

    const edited = await call<Sent>(core, "editMessage", {
      conversationId,
      messageId: first.userMessage.id,
      content: "There was a cat",
    });
    expect((await finished(core, edited.assistantMessageId)).status).toBe("complete");
    const now = await branch(core, conversationId);
    expect(ids(now)).toEqual([edited.userMessage.id, edited.assistantMessageId]);
    expect(now[0]).toMatchObject({ content: "There was a cat", parentId: null, versionIds: [first.userMessage.id, edited.userMessage.id] });
    expect(now[1]!.versionIds).toBeUndefined();
    const changed = events.get(core)!.filter((e) => e.type === "branch-changed").at(-1);
    expect(changed && changed.type === "branch-changed" && ids(changed.messages)).toEqual(ids(now));

    // Flip back: the old branch is all there, word for word.
    const selected = await call<{ messages: Message[] }>(core, "selectVersion", { conversationId, messageId: first.userMessage.id });
    expect(ids(selected.messages)).toEqual(ids(old));
    expect(selected.messages.map((m) => m.content)).toEqual(old.map((m) => m.content));
    expect(selected.messages[0]!.versionIds).toEqual([first.userMessage.id, edited.userMessage.id]);

    await core.dispose();
    const reopened = await open(dataDir);
    expect(ids(await branch(reopened, conversationId))).toEqual(ids(old));
  });

  it("regenerates an older answer as a sibling from that point's history; versions are kept and followed", async () => {
    const { core, conversationId } = await setUp();
    const first = await send(core, conversationId, "Once upon a time");
    const second = await send(core, conversationId, "The fox ran");
    const old = await branch(core, conversationId);

    const regen = await call<{ assistantMessageId: string }>(core, "regenerateMessage", {
      conversationId,
      messageId: first.assistantMessageId,
    });
    const done = await finished(core, regen.assistantMessageId);
    expect(done.status).toBe("complete");
    const now = await branch(core, conversationId);
    expect(ids(now)).toEqual([first.userMessage.id, regen.assistantMessageId]);
    expect(now[1]!.versionIds).toEqual([first.assistantMessageId, regen.assistantMessageId]);
    // Greedy decoding on the same history (the branch up to the user message, not the later turns) gives the same words.
    expect(now[1]!.content).toBe(old[1]!.content);

    // The old answer is a version; choosing it brings back the rest of its branch.
    const back = await call<{ messages: Message[] }>(core, "selectVersion", { conversationId, messageId: first.assistantMessageId });
    expect(ids(back.messages)).toEqual(ids(old));
    expect(back.messages[3]!.id).toBe(second.assistantMessageId);

    // Answering a user message (as for one a crash left without an answer) adds an answer beside its others.
    const answered = await call<{ assistantMessageId: string }>(core, "regenerateMessage", { conversationId, messageId: first.userMessage.id });
    await finished(core, answered.assistantMessageId);
    const withAnswer = await branch(core, conversationId);
    expect(ids(withAnswer)).toEqual([first.userMessage.id, answered.assistantMessageId]);
    expect(withAnswer[1]!.versionIds).toEqual([first.assistantMessageId, regen.assistantMessageId, answered.assistantMessageId]);
    await call(core, "selectVersion", { conversationId, messageId: second.assistantMessageId });

    // Regenerate the last answer (no id): a third message under the same user message.
    const again = await call<{ assistantMessageId: string }>(core, "regenerateMessage", { conversationId });
    await finished(core, again.assistantMessageId);
    const third = await branch(core, conversationId);
    expect(ids(third)).toEqual([first.userMessage.id, first.assistantMessageId, second.userMessage.id, again.assistantMessageId]);
    expect(third[3]!.versionIds).toEqual([second.assistantMessageId, again.assistantMessageId]);
  });

  it("continues an answer cut at the output limit as a new version that starts with it; the cut one stays", async () => {
    const { core, conversationId } = await setUp();
    const cut = await send(core, conversationId, "Once upon a time");
    const before = (await branch(core, conversationId))[1]!;
    // 8 tokens: the tiny model is cut off, and the answer says so.
    expect(before.stats?.finishReason).toBe("length");

    const started = events.get(core)!.length;
    const continued = await call<{ assistantMessageId: string }>(core, "continueAnswer", { conversationId, messageId: cut.assistantMessageId });
    const done = await finished(core, continued.assistantMessageId);
    expect(done.status).toBe("complete");
    // Only the new words stream; the new version holds the cut text and then them.
    const streamed = events
      .get(core)!
      .slice(started)
      .map((e) => (e.type === "text-delta" && e.messageId === continued.assistantMessageId ? e.text : ""))
      .join("");
    expect(streamed.length).toBeGreaterThan(0);
    expect(done.content).toBe(before.content + streamed);
    const now = await branch(core, conversationId);
    expect(now[1]).toMatchObject({ id: continued.assistantMessageId, content: before.content + streamed, versionIds: [cut.assistantMessageId, continued.assistantMessageId] });
    expect(now[1]!.answeredBy?.reason).toMatch(/Continued/);
    // The cut version is unchanged.
    const back = await call<{ messages: Message[] }>(core, "selectVersion", { conversationId, messageId: cut.assistantMessageId });
    expect(back.messages[1]).toMatchObject({ content: before.content, status: "complete" });

    // A user message and another conversation's id are refused with a clear error (which answers are cut off is
    // canContinueAnswer's rule, tested with the contract).
    expect(await core.call("continueAnswer", { conversationId, messageId: cut.userMessage.id })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    const other = await call<{ id: string }>(core, "createConversation", {});
    expect(await core.call("continueAnswer", { conversationId: other.id, messageId: cut.assistantMessageId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("deletes a message with everything below it, after counting them", async () => {
    const { core, conversationId } = await setUp();
    const first = await send(core, conversationId, "Once upon a time");
    await send(core, conversationId, "The fox ran");
    const regen = await call<{ assistantMessageId: string }>(core, "regenerateMessage", {
      conversationId,
      messageId: first.assistantMessageId,
    });
    await finished(core, regen.assistantMessageId);
    await call(core, "selectVersion", { conversationId, messageId: first.assistantMessageId });

    const counted = await call<{ deletedCount: number; messages: Message[] }>(core, "deleteMessage", {
      conversationId,
      messageId: first.assistantMessageId,
      dryRun: true,
    });
    expect(counted.deletedCount).toBe(3);
    expect(counted.messages).toHaveLength(4);

    const deleted = await call<{ deletedCount: number; messages: Message[] }>(core, "deleteMessage", {
      conversationId,
      messageId: first.assistantMessageId,
    });
    expect(deleted.deletedCount).toBe(3);
    // The remaining version is shown, now the only one.
    expect(ids(deleted.messages)).toEqual([first.userMessage.id, regen.assistantMessageId]);
    expect(deleted.messages[1]!.versionIds).toBeUndefined();
    expect(ids(await branch(core, conversationId))).toEqual(ids(deleted.messages));

    const all = await call<{ deletedCount: number; messages: Message[] }>(core, "deleteMessage", {
      conversationId,
      messageId: first.userMessage.id,
    });
    expect(all).toEqual({ deletedCount: 2, messages: [] });
    // The conversation goes on from nothing.
    await send(core, conversationId, "Again");
    expect(await branch(core, conversationId)).toHaveLength(2);
  });

  it("refuses unknown ids, another conversation's messages, wrong roles and changes under a streaming answer", async () => {
    const { core, conversationId } = await setUp();
    const first = await send(core, conversationId, "Once upon a time");
    const other = await call<{ id: string }>(core, "createConversation", {});
    await call(core, "updateConversationSettings", { conversationId: other.id, settings: { maxOutputTokens: 8 } });
    const foreign = await send(core, other.id, "Elsewhere");

    for (const messageId of ["no-such-message", foreign.userMessage.id, foreign.assistantMessageId]) {
      for (const [method, input] of [
        ["selectVersion", { conversationId, messageId }],
        ["editMessage", { conversationId, messageId, content: "x" }],
        ["deleteMessage", { conversationId, messageId }],
        ["regenerateMessage", { conversationId, messageId }],
      ] as const) {
        expect(await core.call(method, input), `${method} ${messageId}`).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
      }
    }
    expect(await branch(core, other.id)).toHaveLength(2);
    expect(await core.call("editMessage", { conversationId, messageId: first.assistantMessageId, content: "x" })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(await core.call("editMessage", { conversationId, messageId: first.userMessage.id, content: "   " })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(await core.call("selectVersion", { conversationId: "nope", messageId: first.userMessage.id })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });

    // A long answer under a new message: neither it nor what it hangs from can be deleted while it streams.
    await call(core, "updateConversationSettings", { conversationId, settings: { maxOutputTokens: 2000, contextSize: 2048 } });
    const firstDelta = new Promise<void>((resolve) => {
      const off = core.subscribe("chat", (event) => {
        if (event.type === "text-delta") {
          off();
          resolve();
        }
      });
    });
    const streaming = await call<Sent>(core, "editMessage", { conversationId, messageId: first.userMessage.id, content: "Tell me a story" });
    await firstDelta;
    for (const messageId of [streaming.assistantMessageId, streaming.userMessage.id]) {
      expect(await core.call("deleteMessage", { conversationId, messageId })).toMatchObject({ ok: false, error: { code: "BUSY" } });
    }
    expect(await core.call("selectVersion", { conversationId, messageId: first.userMessage.id })).toMatchObject({
      ok: false,
      error: { code: "BUSY" },
    });
    // Another branch is not under the answer: it may go.
    const gone = await call<{ deletedCount: number }>(core, "deleteMessage", { conversationId, messageId: first.userMessage.id });
    expect(gone.deletedCount).toBe(2);
    await call(core, "stopGeneration", { conversationId });
    expect((await finished(core, streaming.assistantMessageId)).status).toBe("stopped");
    expect(ids(await branch(core, conversationId))).toEqual([streaming.userMessage.id, streaming.assistantMessageId]);
  });
});
