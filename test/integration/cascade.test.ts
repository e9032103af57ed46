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


async function until<T>(find: () => T | undefined): Promise<T> {
  for (;;) {
    const found = find();
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
    /** Waits for the `n`th message-finish of a message (a cascade restarts the same message). */
    finished: (messageId: string, n = 1) => until(() => finishes(messageId)[n - 1]),
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
    expect(sent.assistantMessageId).toBe(second.assistantMessageId);
    // The same message finishes twice: first the local answer, then the cloud answer that replaced it.
    expect((await t.finished(sent.assistantMessageId, 2)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 1);
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(messages[1]).toEqual(local);
    expect(messages[3]).toMatchObject({ content: CLOUD_REPLY, answeredBy: { kind: "cloud", failover: false } });
  });

  it("Auto: an unsure answer is replaced by the cloud's right away, which says why", async () => {
    const t = await setup("auto");
    t.state.unsure = true;
    const before = provider.requests.length;
    const sent = await t.send(EASY_PROMPT);
    expect(sent.proposal).toBeNull();
    expect((await t.finished(sent.assistantMessageId)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 1);
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[0]!.content).toBe(EASY_PROMPT);
    expect(messages[1]).toMatchObject({ id: sent.assistantMessageId, content: CLOUD_REPLY, answeredBy: { kind: "cloud" } });
    expect(messages[1]!.answeredBy!.reason).toMatch(/unsure/);
    // One finish for the message: the local phase ended in the cloud answer, not in a finished local one.
    expect(t.events.filter((e) => e.type === "message-finish")).toHaveLength(1);
  });

  it("Auto: when the cloud fails, the local answer comes back unchanged", async () => {
    const t = await setup("auto");
    t.state.unsure = true;
    provider.setFault({ kind: "server" });
    const sent = await t.send(EASY_PROMPT);
    expect((await t.finished(sent.assistantMessageId)).status).toBe("complete");
    // What the local model streamed before the cloud was asked.
    const firstRestart = t.events.findIndex((e, i) => i > 0 && e.type === "message-start");
    const localText = t.events
      .slice(0, firstRestart)
      .map((e) => (e.type === "text-delta" ? e.text : ""))
      .join("");
    expect(localText.length).toBeGreaterThan(0);
    const messages = await t.messages();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1]).toMatchObject({ content: localText, answeredBy: { kind: "local", failover: true } });
    expect(messages[1]!.answeredBy!.reason).toMatch(/Team vLLM failed .*kept the local answer/);
    expect(messages[1]!.stats?.outputTokens).toBeGreaterThan(0);
  });
});
