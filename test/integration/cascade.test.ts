import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent, EscalationProposal, Message, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import type { CascadeVerdict } from "../../electron/core/router/cascade.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";

/**
 * Cascade in Ask and Auto: the local model answers a prompt the router kept local, then the answer's token
 * confidences decide whether to propose the cloud. The test models are not chat models, so what their confidence
 * means is decided here, through the core's cascadeDecision option; the confidences themselves are the engine's.
 */

const KEY = "sk-test-Cascade0123456789abcdefKEY";
const CLOUD_REPLY = "The cloud's careful answer.";
// Plain and short: the router keeps it local even for a tiny local model.
const EASY_PROMPT = "Hi";

type Finish = Extract<ChatEvent, { type: "message-finish" }>;
let provider: FakeProviderServer;


async function until<T>(find: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cores: CoreInternals[] = [];

async function setup(privacyMode: "local" | "ask" | "auto") {
  const dataDir = tempDir();
  const judged: number[][] = [];
  const state = { unsure: false };
  const core = await createCore({
    dataDir,
    shell: "browser",
    threads: 1,
    policyFile: path.join(dataDir, "no-policy.json"),
    cascadeDecision: (confidences): CascadeVerdict => {
      judged.push(confidences);
      return state.unsure ? { escalate: true, reason: "the local answer looks unsure (test)" } : { escalate: false, reason: null };
    },
  });
  cores.push(core);
  const events: ChatEvent[] = [];
  core.subscribe("chat", (e) => events.push(e));
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", {
    kind: "openai-compatible",
    name: "Team vLLM",
    baseUrl: provider.baseUrl,
    model: "big-model",
    apiKey: KEY,
  });
  const { id: conversationId } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
  await call(core, "updateConversationSettings", {
    conversationId,
    settings: { privacyMode, cloudProviderId: saved.id, maxOutputTokens: 8 },
  });
  await call(core, "updateSettings", { escalationLevel: "rarely" });

  const finishes = (messageId: string) => events.filter((e): e is Finish => e.type === "message-finish" && e.messageId === messageId);
  return {
    core,
    conversationId,
    judged,
    state,
    events,
    /** Waits for the message-finish of a message. */
    finished: (messageId: string) => until(() => finishes(messageId)[0]),
    /** The next attempt of the turn after `messageId` (a cascade's cloud answer): a new version, announced in its place. */
    nextAttempt: (messageId: string) =>
      until(() => {
        const started = events.find((e): e is Extract<ChatEvent, { type: "attempt-started" }> => e.type === "attempt-started" && e.replaces === messageId);
        return started ? (expect(started.kind).toBe("cascade"), started.message.id) : undefined;
      }),
    proposed: () => until(() => events.find((e) => e.type === "escalation-proposed")?.proposal as EscalationProposal | undefined),
    messages: async () => (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages,
    send: (text: string) => call<{ assistantMessageId: string; proposal: EscalationProposal | null }>(core, "sendMessage", { conversationId, text }),
  };
}

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: CLOUD_REPLY });
});
afterEach(async () => {
  provider.setFault(null);
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => provider.close());

describe("cascade", () => {
  it("a confident local answer stays: no proposal, nothing sent; confidences are one real probability per token", async () => {
    const t = await setup("ask");
    const before = provider.requests.length;
    const sent = await t.send(EASY_PROMPT);
    expect(sent.proposal).toBeNull();
    const finish = await t.finished(sent.assistantMessageId);
    expect(finish.status).toBe("complete");

    expect(t.judged).toHaveLength(1);
    const confidences = t.judged[0]!;
    expect(confidences).toHaveLength(finish.stats!.outputTokens);
    expect(confidences.length).toBeGreaterThan(0);
    for (const p of confidences) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(t.events.some((e) => e.type === "escalation-proposed")).toBe(false);
    expect((await call<{ proposal: EscalationProposal | null }>(t.core, "getPendingEscalation", { conversationId: t.conversationId })).proposal).toBeNull();
    expect(provider.requests.length).toBe(before);
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1]!.answeredBy).toMatchObject({ kind: "local" });

    // An answer the user kept local is never judged (and the engine records no confidences for it).
    const kept = await call<{ assistantMessageId: string }>(t.core, "regenerateMessage", { conversationId: t.conversationId, target: "local" });
    await t.finished(kept.assistantMessageId);
    expect(t.judged).toHaveLength(1);
  });

  it("Local only: answers are never judged and nothing is sent", async () => {
    const t = await setup("local");
    t.state.unsure = true;
    const before = provider.requests.length;
    const sent = await t.send(EASY_PROMPT);
    expect((await t.finished(sent.assistantMessageId)).status).toBe("complete");
    expect(t.judged).toEqual([]);
    expect(provider.requests.length).toBe(before);
  });

  it("Ask: an unsure answer is kept and proposed for the cloud; Keep local changes nothing; Send replaces it", async () => {
    const t = await setup("ask");
    t.state.unsure = true;
    const before = provider.requests.length;

    const first = await t.send(EASY_PROMPT);
    await t.finished(first.assistantMessageId);
    const proposal = await t.proposed();
    expect(proposal.replacesMessageId).toBe(first.assistantMessageId);
    expect(proposal.router?.reasons.join(" ")).toMatch(/unsure/);
    // The proposal is the history up to the user's message: the unsure answer itself is not sent.
    expect(proposal.payload.at(-1)).toEqual({ role: "user", content: EASY_PROMPT });
    expect(provider.requests.length).toBe(before);
    const local = (await t.messages()).at(-1)!;
    expect(local).toMatchObject({ id: first.assistantMessageId, status: "complete", answeredBy: { kind: "local" } });

    const keptLocal = await call<{ assistantMessageId: string }>(t.core, "resolveEscalation", {
      conversationId: t.conversationId,
      proposalId: proposal.id,
      action: "keep-local",
    });
    expect(keptLocal.assistantMessageId).toBe(local.id);
    expect(await t.messages()).toEqual([expect.objectContaining({ role: "user" }), local]);
    expect(provider.requests.length).toBe(before);

    t.events.length = 0;
    const second = await t.send("Hello");
    await t.finished(second.assistantMessageId);
    const again = await t.proposed();
    expect(provider.requests.length).toBe(before);
    const sent = await call<{ assistantMessageId: string }>(t.core, "resolveEscalation", {
      conversationId: t.conversationId,
      proposalId: again.id,
      action: "send",
    });
    // The cloud answer is a new version beside the local one, which stays: nothing is overwritten.
    expect(sent.assistantMessageId).not.toBe(second.assistantMessageId);
    expect((await t.finished(sent.assistantMessageId)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 1);
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(messages[1]).toEqual(local);
    expect(messages[3]).toMatchObject({
      id: sent.assistantMessageId,
      content: CLOUD_REPLY,
      answeredBy: { kind: "cloud", failover: false },
      versionIds: [second.assistantMessageId, sent.assistantMessageId],
    });
    const kept = (await t.finished(second.assistantMessageId)).content;
    expect(kept!.length).toBeGreaterThan(0);
    // Flipping back shows the local answer exactly as it was.
    const { messages: flipped } = await call<{ messages: Message[] }>(t.core, "selectVersion", { conversationId: t.conversationId, messageId: second.assistantMessageId });
    expect(flipped[3]).toMatchObject({ id: second.assistantMessageId, content: kept, answeredBy: { kind: "local" } });
  });

  it("Auto: an unsure answer is followed by the cloud's right away, as a new version that says why", async () => {
    const t = await setup("auto");
    t.state.unsure = true;
    const before = provider.requests.length;
    const sent = await t.send(EASY_PROMPT);
    expect(sent.proposal).toBeNull();
    const localFinish = await t.finished(sent.assistantMessageId);
    expect(localFinish.status).toBe("complete");
    const cloudId = await t.nextAttempt(sent.assistantMessageId);
    expect((await t.finished(cloudId)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 1);
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[0]!.content).toBe(EASY_PROMPT);
    expect(messages[1]).toMatchObject({ id: cloudId, content: CLOUD_REPLY, answeredBy: { kind: "cloud" }, versionIds: [sent.assistantMessageId, cloudId] });
    expect(messages[1]!.answeredBy!.reason).toMatch(/unsure/);
    // The local answer is kept as the other version, complete.
    expect(localFinish.content!.length).toBeGreaterThan(0);
    const { messages: flipped } = await call<{ messages: Message[] }>(t.core, "selectVersion", { conversationId: t.conversationId, messageId: sent.assistantMessageId });
    expect(flipped[1]).toMatchObject({ content: localFinish.content, status: "complete", answeredBy: { kind: "local" } });
  });

  it("Auto: when the cloud fails, the local answer stays the one shown, and the failed attempt is kept beside it", async () => {
    const t = await setup("auto");
    t.state.unsure = true;
    provider.setFault({ kind: "server" });
    const sent = await t.send(EASY_PROMPT);
    const localFinish = await t.finished(sent.assistantMessageId);
    expect(localFinish.status).toBe("complete");
    const cloudId = await t.nextAttempt(sent.assistantMessageId);
    const cloudFinish = await t.finished(cloudId);
    expect(cloudFinish).toMatchObject({ status: "error", error: { code: expect.stringMatching(/^PROVIDER_/) } });
    // The turn ends showing the local answer again.
    await until(async () => ((await t.messages())[1]?.id === sent.assistantMessageId ? true : undefined));
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1]).toMatchObject({ content: localFinish.content, answeredBy: { kind: "local" }, versionIds: [sent.assistantMessageId, cloudId] });
    expect(messages[1]!.stats?.outputTokens).toBeGreaterThan(0);
    expect(localFinish.content!.length).toBeGreaterThan(0);
  });
});
