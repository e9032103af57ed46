import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent, EscalationProposal, Message, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";

// Versions with the cloud in Ask mode: regenerating an older answer proposes only that point's history, and the
// answer lands beside it whichever branch the user looked at meanwhile; deleting the message drops the proposal.

const KEY = "sk-test-Hearth0123456789abcdefKEYVALUE";
type Finish = Extract<ChatEvent, { type: "message-finish" }>;
type Proposed = { assistantMessageId: string | null; proposal: EscalationProposal | null };

let provider: FakeProviderServer;
const cores: CoreInternals[] = [];
const events = new WeakMap<CoreInternals, ChatEvent[]>();

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "A cloud answer." });
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => provider.close());

async function finished(core: CoreInternals, messageId: string): Promise<Finish> {
  for (;;) {
    const found = events.get(core)?.find((e): e is Finish => e.type === "message-finish" && e.messageId === messageId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function setUp() {
  const dataDir = tempDir();
  const core = await createCore({
    dataDir,
    shell: "browser",
    threads: 1,
    logger: createStderrLogger("error"),
    policyFile: path.join(dataDir, "no-policy.json"),
  });
  cores.push(core);
  const recorded: ChatEvent[] = [];
  events.set(core, recorded);
  core.subscribe("chat", (e) => recorded.push(e));
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", {
    kind: "openai-compatible",
    name: "Team vLLM",
    baseUrl: provider.baseUrl,
    model: "big-model",
    apiKey: KEY,
  });
  const { id } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
  // The first turns are local (no router in the way), then the chat is switched to Ask.
  await call(core, "updateConversationSettings", {
    conversationId: id,
    settings: { privacyMode: "local", cloudProviderId: saved.id, maxOutputTokens: 6, temperature: 0 },
  });
  const turns: { userMessage: Message; assistantMessageId: string }[] = [];
  for (const text of ["Once upon a time", "The fox ran to the river"]) {
    const sent = await call<{ userMessage: Message; assistantMessageId: string }>(core, "sendMessage", { conversationId: id, text });
    await finished(core, sent.assistantMessageId);
    turns.push(sent);
  }
  await call(core, "updateConversationSettings", { conversationId: id, settings: { privacyMode: "ask" } });
  return { core, conversationId: id, turns };
}

const branchIds = async (core: CoreInternals, conversationId: string) =>
  (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages.map((m) => m.id);

describe("versions in Ask mode", () => {
  it("regenerating an older answer proposes that point's history; Keep local answers beside it after a flip", async () => {
    const { core, conversationId, turns } = await setUp();
    const [first, second] = turns as [(typeof turns)[0], (typeof turns)[0]];
    const before = provider.requests.length;

    const retried = await call<Proposed>(core, "regenerateMessage", {
      conversationId,
      messageId: first.assistantMessageId,
      target: "cloud",
    });
    expect(retried.assistantMessageId).toBeNull();
    const payload = JSON.stringify(retried.proposal?.payload);
    expect(payload).toContain("Once upon a time");
    // The later turns are on another branch: they are not part of what would be sent.
    expect(payload).not.toContain("The fox ran");
    expect(await branchIds(core, conversationId)).toEqual([first.userMessage.id]);

    // The user looks at the old branch, then keeps the answer local: it goes beside the old answer all the same.
    await call(core, "selectVersion", { conversationId, messageId: first.assistantMessageId });
    expect(await branchIds(core, conversationId)).toHaveLength(4);
    const kept = await call<{ assistantMessageId: string }>(core, "resolveEscalation", {
      conversationId,
      proposalId: retried.proposal!.id,
      action: "keep-local",
    });
    expect((await finished(core, kept.assistantMessageId)).status).toBe("complete");
    const shown = (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages;
    expect(shown.map((m) => m.id)).toEqual([first.userMessage.id, kept.assistantMessageId]);
    expect(shown[1]!.versionIds).toEqual([first.assistantMessageId, kept.assistantMessageId]);
    expect(provider.requests.length).toBe(before);

    // A proposal about a message that is deleted goes with it.
    const again = await call<Proposed>(core, "regenerateMessage", { conversationId, messageId: second.assistantMessageId, target: "cloud" });
    expect(again.proposal).not.toBeNull();
    await call(core, "deleteMessage", { conversationId, messageId: second.userMessage.id });
    expect((await call<{ proposal: EscalationProposal | null }>(core, "getPendingEscalation", { conversationId })).proposal).toBeNull();
    expect(events.get(core)!.some((e) => e.type === "escalation-resolved" && e.proposalId === again.proposal!.id)).toBe(true);
    expect(provider.requests.length).toBe(before);

    // A conversation deleted while a proposal waits takes its turn with it: nothing is left to send or to resume.
    const waiting = await call<Proposed>(core, "regenerateMessage", { conversationId, messageId: kept.assistantMessageId, target: "cloud" });
    expect(waiting.proposal).not.toBeNull();
    expect(core.store.db.prepare("SELECT COUNT(*) AS n FROM turns").get()).toEqual({ n: 1 });
    await call(core, "deleteConversation", { conversationId });
    expect(core.store.db.prepare("SELECT COUNT(*) AS n FROM turns").get()).toEqual({ n: 0 });
    expect(provider.requests.length).toBe(before);
  });
});
