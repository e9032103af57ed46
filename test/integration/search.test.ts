import { afterEach, describe, expect, it } from "vitest";
import type { ChatEvent, Message, ModelInfo, SearchResult } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// searchConversations through the contract on a real core: what a sent message and its answer add to the index,
// hostile input refused as INVALID_INPUT, and a hit on another branch opened with selectVersion.

const cores: CoreInternals[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

async function open(): Promise<{ core: CoreInternals; finished: (id: string) => Promise<void> }> {
  const core = await createCore({ dataDir: tempDir("hearth-search-it-"), shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  const done = new Set<string>();
  core.subscribe("chat", (event: ChatEvent) => {
    if (event.type === "message-finish") done.add(event.messageId);
  });
  const finished = async (id: string) => {
    while (!done.has(id)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { core, finished };
}

const search = (core: CoreInternals, query: string, limit?: number) =>
  call<{ results: SearchResult[] }>(core, "searchConversations", { query, ...(limit ? { limit } : {}) }).then((r) => r.results);

describe("searchConversations through the contract", () => {
  it("finds a sent message and its answer, and opens a hit on another branch at that message", async () => {
    const { core, finished } = await open();
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const { id: conversationId } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
    await call(core, "updateConversationSettings", { conversationId, settings: { maxOutputTokens: 8, temperature: 0 } });

    const sent = await call<{ userMessage: Message; assistantMessageId: string }>(core, "sendMessage", { conversationId, text: "Once upon a time a quokka" });
    await finished(sent.assistantMessageId);
    // The conversation is titled after its first message: the title ranks first, then the message.
    const [title, hit] = await search(core, "quok");
    expect(title).toMatchObject({ conversationId, messageId: null, role: null, title: "Once upon a time a quokka" });
    expect(hit).toMatchObject({ conversationId, messageId: sent.userMessage.id, role: "user", title: "Once upon a time a quokka" });
    expect(hit!.snippet.slice(hit!.highlights[0]!.start, hit!.highlights[0]!.end)).toBe("quokka");
    // The answer is indexed once it ends, with the text the model wrote.
    const { messages } = await call<{ messages: Message[] }>(core, "getConversation", { conversationId });
    const answer = messages.find((m) => m.id === sent.assistantMessageId)!;
    const word = answer.content.match(/\p{L}{3,}/u)?.[0];
    expect(word).toBeDefined();
    expect((await search(core, word!, 100)).map((r) => r.messageId)).toContain(answer.id);

    // An edit makes a new branch; the old message is still found and opens on its own branch.
    const edited = await call<{ assistantMessageId: string }>(core, "editMessage", {
      conversationId,
      messageId: sent.userMessage.id,
      content: "Once upon a time a wombat",
    });
    await finished(edited.assistantMessageId);
    const shown = await call<{ messages: Message[] }>(core, "getConversation", { conversationId });
    expect(shown.messages.map((m) => m.id)).not.toContain(sent.userMessage.id);
    const old = (await search(core, "quokka")).find((r) => r.messageId !== null);
    expect(old!.messageId).toBe(sent.userMessage.id);
    const opened = await call<{ messages: Message[] }>(core, "selectVersion", { conversationId, messageId: old!.messageId! });
    expect(opened.messages.map((m) => m.id)).toContain(sent.userMessage.id);
    expect((await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages.map((m) => m.id)).toContain(
      sent.userMessage.id,
    );

    await call(core, "renameConversation", { conversationId, title: "Marsupials" });
    expect((await search(core, "marsup")).map((r) => [r.conversationId, r.messageId])).toEqual([[conversationId, null]]);
  });

  it("refuses hostile input with INVALID_INPUT and takes FTS syntax as words; the core keeps answering", async () => {
    const { core } = await open();
    for (const input of [{ query: "x".repeat(201) }, { query: 5 }, { query: "a", limit: 0 }, { query: "a", limit: 101 }, { query: "a", extra: 1 }, {}]) {
      const result = await core.call("searchConversations", input);
      expect(result.ok, JSON.stringify(input).slice(0, 60)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("INVALID_INPUT");
    }
    const many = await core.call("searchConversations", { query: Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ") });
    expect(many).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", message: "Search for at most 16 words at a time." } });
    for (const query of ['"', "NEAR(", "title:x", "a OR", "*", "'; DROP TABLE messages; --", ")("]) {
      expect(await core.call("searchConversations", { query })).toEqual({ ok: true, value: { results: [] } });
    }
    expect((await core.call("listConversations", {})).ok).toBe(true);
  });
});
