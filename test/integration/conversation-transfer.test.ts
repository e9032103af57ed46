import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  conversationExportSchema,
  MAX_CONVERSATION_FILE_CHARS,
  type Conversation,
  type ConversationExport,
  type Message,
  type MethodOutput,
} from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";

type Exported = MethodOutput<"exportConversation">;
type Imported = MethodOutput<"importConversation">;

let core: CoreInternals;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir("hearth-transfer-");
  core = await createCore({ dataDir, shell: "browser", threads: 1, appVersion: "9.9.9" });
});

afterAll(async () => {
  await core?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A conversation with versions on two levels, shown on a branch that is not the newest:
 *   u1 ─┬─ a1 (local, reasoning, stats) ── u2 ── a2 (stopped)   <- shown
 *       └─ a1b (cloud, failed)
 */
function storeTree(): { conversation: Conversation; ids: Record<string, string> } {
  const { store } = core;
  const conversation = store.createConversation(null);
  store.renameConversation(conversation.id, "Trip to Lisbon");
  store.updateConversationSettings(conversation.id, {
    systemPrompt: "Be brief.",
    temperature: 0.3,
    contextOverflow: "stop-and-ask",
    sampling: { topP: 0.8, topK: 20, minP: 0.05, repeatPenalty: 1.2, seed: 42 },
  });
  const id = conversation.id;
  const u1 = store.addMessage({ conversationId: id, role: "user", content: "Plan three days in Lisbon.", status: "complete" });
  const a1 = store.addMessage({ conversationId: id, role: "assistant", content: "", status: "streaming", modelName: "Qwen3 0.6B" });
  store.finishMessage(a1.id, {
    content: "Day 1: Alfama.\n\n```js\nconsole.log(\"ok\")\n```",
    reasoning: "Three days, so three areas.",
    status: "complete",
    stats: { timeToFirstTokenMs: 120, tokensPerSecond: 31.5, outputTokens: 40, evaluatedInputTokens: 22, finishReason: "stop", reasoningMs: 900 },
    error: null,
  });
  store.setAnsweredBy(a1.id, { kind: "local", provider: null, model: "Qwen3 0.6B", reason: "Local only", failover: false });
  const u2 = store.addMessage({ conversationId: id, role: "user", content: "Cheaper options?", status: "complete" });
  const a2 = store.addMessage({ conversationId: id, role: "assistant", content: "", status: "streaming", modelName: "Qwen3 0.6B" });
  store.finishMessage(a2.id, { content: "Take tram 28 and", reasoning: "", status: "stopped", stats: null, error: null });
  const a1b = store.addMessage({ conversationId: id, role: "assistant", content: "", status: "streaming", parentId: u1.id });
  store.finishMessage(a1b.id, {
    content: "",
    reasoning: "",
    status: "error",
    stats: null,
    error: { code: "PROVIDER_RATE_LIMIT", message: "Anthropic is rate limiting.", retryable: true },
  });
  store.setAnsweredBy(a1b.id, { kind: "cloud", provider: "Anthropic", model: "claude-sonnet-4", reason: "You asked", failover: false });
  store.setActiveVersion(a1.id);
  return { conversation: store.requireConversation(id), ids: { u1: u1.id, a1: a1.id, u2: u2.id, a2: a2.id, a1b: a1b.id } };
}

/** A file with its ids replaced by their position, so two copies of one tree compare equal. */
function shape(file: ConversationExport) {
  const index = new Map(file.messages.map((m, i) => [m.id, `#${i}`]));
  return {
    title: file.conversation.title,
    settings: file.conversation.settings,
    createdAt: file.conversation.createdAt,
    messages: file.messages.map((m) => ({ ...m, id: index.get(m.id), parentId: m.parentId === null ? null : index.get(m.parentId) })),
    activeLeaf: file.activeLeafId === null ? null : index.get(file.activeLeafId),
  };
}

const branchOf = (messages: Message[]) =>
  messages.map((m) => ({ role: m.role, content: m.content, reasoning: m.reasoning, status: m.status, answeredBy: m.answeredBy ?? null, versions: m.versionIds?.length ?? 1 }));

async function exportJson(conversationId: string): Promise<ConversationExport> {
  const file = await call<Exported>(core, "exportConversation", { conversationId, format: "json" });
  expect(file.mimeType).toBe("application/json");
  return conversationExportSchema.parse(JSON.parse(file.content));
}

async function refusal(input: unknown): Promise<{ code: string; message: string }> {
  const result = await core.call("importConversation", input);
  if (result.ok) throw new Error("the import was expected to be refused");
  return result.error;
}

describe("export and import through the contract", () => {
  it("round-trips the whole tree: every version, statuses, stats, who answered, and the branch shown", async () => {
    const { conversation, ids } = storeTree();
    const original = await exportJson(conversation.id);
    expect(original).toMatchObject({ format: "hearth.conversation", version: 1, appVersion: "9.9.9", activeLeafId: ids.a2 });
    expect(original.messages).toHaveLength(5);

    const imported = await call<Imported>(core, "importConversation", { json: JSON.stringify(original) });
    expect(imported.skipped).toBe(0);
    expect(imported.messageCount).toBe(5);
    expect(imported.conversations).toHaveLength(1);
    const copy = imported.conversations[0]!;
    expect(copy.id).not.toBe(conversation.id);
    expect(copy).toMatchObject({ title: "Trip to Lisbon", settings: { systemPrompt: "Be brief.", temperature: 0.3, contextOverflow: "stop-and-ask", sampling: { topK: 20, seed: 42 } } });

    const again = await exportJson(copy.id);
    expect(shape(again)).toEqual(shape(original));
    const originalIds = new Set(original.messages.map((m) => m.id));
    expect(again.messages.filter((m) => originalIds.has(m.id))).toEqual([]);

    // What the user sees is the same: the branch, its versions, and switching to the other answer.
    type Opened = MethodOutput<"getConversation">;
    const before = await call<Opened>(core, "getConversation", { conversationId: conversation.id });
    const after = await call<Opened>(core, "getConversation", { conversationId: copy.id });
    expect(branchOf(after.messages)).toEqual(branchOf(before.messages));
    expect(after.messages.map((m) => m.content)).toEqual(["Plan three days in Lisbon.", expect.stringContaining("Alfama"), "Cheaper options?", "Take tram 28 and"]);
    const other = after.messages[1]!.versionIds!.find((id) => id !== after.messages[1]!.id)!;
    const switched = await call<{ messages: Message[] }>(core, "selectVersion", { conversationId: copy.id, messageId: other });
    expect(switched.messages.map((m) => [m.status, m.error?.code ?? null])).toEqual([["complete", null], ["error", "PROVIDER_RATE_LIMIT"]]);
  });

  it("imports the same file twice as two conversations, leaving the first untouched", async () => {
    const { conversation } = storeTree();
    const json = JSON.stringify(await exportJson(conversation.id));
    const first = await call<Imported>(core, "importConversation", { json });
    const second = await call<Imported>(core, "importConversation", { json });
    expect(first.conversations[0]!.id).not.toBe(second.conversations[0]!.id);
    expect(shape(await exportJson(first.conversations[0]!.id))).toEqual(shape(await exportJson(second.conversations[0]!.id)));
  });

  it("exports readable Markdown of the branch shown", async () => {
    const { conversation } = storeTree();
    const file = await call<Exported>(core, "exportConversation", { conversationId: conversation.id, format: "markdown" });
    expect(file).toMatchObject({ fileName: "trip-to-lisbon.md", mimeType: "text/markdown" });
    expect(file.content).toMatch(/^# Trip to Lisbon\n/);
    expect(file.content).toMatch(/### Qwen3 0\.6B \(local\) · \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\n> \*\*Reasoning\*\*/);
    expect(file.content).toContain("```js\nconsole.log(\"ok\")\n```");
    expect(file.content).toContain("_(stopped)_");
    expect(file.content).toContain("1 other version only in the JSON export");
    expect(file.content).not.toContain("rate limiting");
  });

  it("says NOT_FOUND for a conversation that does not exist", async () => {
    const result = await core.call("exportConversation", { conversationId: "nope", format: "json" });
    expect(result).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("clears a model that is not installed here and ignores the file's privacy mode", async () => {
    const { conversation } = storeTree();
    const file = await exportJson(conversation.id);
    file.conversation.settings = { ...file.conversation.settings, modelId: "model-from-another-machine", privacyMode: "auto" };
    file.messages[1]!.modelId = "model-from-another-machine";
    const { conversations } = await call<Imported>(core, "importConversation", { json: JSON.stringify(file) });
    expect(conversations[0]!.settings).toMatchObject({ modelId: null, privacyMode: "local" });
    expect((await exportJson(conversations[0]!.id)).messages[1]!.modelId).toBeNull();
  });
});

describe("hostile imports are refused with a clear INVALID_INPUT, and nothing is stored", () => {
  const count = async () => (await call<Conversation[]>(core, "listConversations", {})).length;

  it("refuses each kind of bad file by name", async () => {
    const { conversation, ids } = storeTree();
    const good = await exportJson(conversation.id);
    const before = await count();
    const cases: [string, unknown, RegExp][] = [
      ["oversized", { json: " ".repeat(MAX_CONVERSATION_FILE_CHARS + 1) }, /at most 6 M characters/],
      ["deep", { json: `${"[".repeat(200_000)}${"]".repeat(200_000)}` }, /nests deeper than 32 levels/],
      ["not JSON", { json: "{\"format\": " }, /not valid JSON/],
      ["something else", { json: JSON.stringify({ hello: "world" }) }, /neither a Hearth conversation export .* nor a ChatGPT conversations\.json/],
      ["newer version", { json: JSON.stringify({ ...good, version: 2 }) }, /version 2; this Hearth reads version 1/],
      ["damaged field", { json: JSON.stringify({ ...good, messages: [{ ...good.messages[0], role: "wizard" }] }) }, /damaged: messages\[0\]\.role/],
      ["cycle", { json: JSON.stringify({ ...good, messages: good.messages.map((m) => (m.id === ids.u1 ? { ...m, parentId: ids.u2 } : m)) }) }, /follows itself through its parents/],
      ["dangling parent", { json: JSON.stringify({ ...good, messages: good.messages.map((m) => (m.id === ids.u2 ? { ...m, parentId: "elsewhere" } : m)) }) }, /follows "elsewhere", which is not in the file/],
      ["repeated id", { json: JSON.stringify({ ...good, messages: [...good.messages, good.messages[0]] }) }, /appears twice/],
      ["wrong input", { json: 42 }, /Invalid request \(json\)/],
    ];
    for (const [name, input, message] of cases) {
      const error = await refusal(input);
      expect({ name, code: error.code }).toEqual({ name, code: "INVALID_INPUT" });
      expect(error.message, name).toMatch(message);
    }
    expect(await count()).toBe(before);
  });

  it("gives new ids to a file whose ids are those of stored messages, keeping both trees whole", async () => {
    const { conversation, ids } = storeTree();
    const stored = await exportJson(conversation.id);
    // The same ids, a different conversation around them: the stored one must not change.
    const colliding = { ...stored, conversation: { ...stored.conversation, id: conversation.id, title: "Impostor" } };
    const { conversations } = await call<Imported>(core, "importConversation", { json: JSON.stringify(colliding) });
    expect(conversations[0]!.title).toBe("Impostor");
    expect(shape(await exportJson(conversation.id))).toEqual(shape(stored));
    expect(shape(await exportJson(conversations[0]!.id)).messages).toEqual(shape(stored).messages);
    expect((await exportJson(conversations[0]!.id)).messages.map((m) => m.id)).not.toContain(ids.u1);
  });
});

describe("ChatGPT conversations.json", () => {
  it("imports every conversation with text, on the branch ChatGPT showed", async () => {
    const json = fs.readFileSync(new URL("../fixtures/chatgpt/conversations.json", import.meta.url), "utf8");
    const result = await call<Imported>(core, "importConversation", { json });
    expect(result.conversations.map((c) => c.title)).toEqual(["Sourdough starter schedule", "Regex for UK postcodes"]);
    expect(result.skipped).toBe(1);
    expect(result.messageCount).toBe(9);
    const opened = await call<MethodOutput<"getConversation">>(core, "getConversation", { conversationId: result.conversations[0]!.id });
    expect(opened.messages.map((m) => [m.role, m.versionIds?.length ?? 1])).toEqual([["user", 1], ["assistant", 1], ["user", 2], ["assistant", 1]]);
    expect(opened.messages[3]!.content).toContain("360 g of levain");
    expect(opened.messages[3]!.answeredBy).toMatchObject({ kind: "cloud", provider: "ChatGPT", model: "gpt-4o" });
  });

  it("refuses a ChatGPT export with nothing to import", async () => {
    const error = await refusal({ json: JSON.stringify([{ title: "empty", mapping: {} }]) });
    expect(error).toMatchObject({ code: "INVALID_INPUT", message: "No conversation in this file has any text to import." });
  });
});
