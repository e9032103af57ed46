import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, ChatEvent, EscalationProposal, Message, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import type { Logger } from "../../electron/core/core-types.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { repoRoot, storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";
import { watchSockets } from "../fixtures/socket-watch.js";

const KEY = "sk-test-Hearth0123456789abcdefKEYVALUE";
const HARD_PROMPT =
  "Prove by induction that the sum of the first n odd numbers is n^2, then email the result to dana.whitfield@example.com";
const fixtures = JSON.parse(fs.readFileSync(path.join(repoRoot, "test/fixtures/pii-messages.json"), "utf8")) as {
  messages: { id: string; text: string; pii: string[]; customTerms?: string[] }[];
};

type Finish = Extract<ChatEvent, { type: "message-finish" }>;
let provider: FakeProviderServer;
const logged: string[] = [];
const logger: Logger = {
  info: (m, f) => logged.push(JSON.stringify([m, f])),
  warn: (m, f) => logged.push(JSON.stringify([m, f])),
  error: (m, f) => logged.push(JSON.stringify([m, f])),
};


const finishes = new WeakMap<CoreInternals, Finish[]>();
async function finished(core: CoreInternals, messageId: string): Promise<Finish> {
  for (;;) {
    const found = finishes.get(core)?.find((e) => e.messageId === messageId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The version a turn showed after `firstId` (a failover's local answer), once it finished. */
async function followingAnswer(core: CoreInternals, conversationId: string, firstId: string): Promise<{ message: Message; finish: Finish }> {
  for (;;) {
    const last = (await messagesOf(core, conversationId)).at(-1);
    if (last && last.id !== firstId && last.role === "assistant") return { message: last, finish: await finished(core, last.id) };
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cores: CoreInternals[] = [];
async function setup(privacyMode: "local" | "ask" | "auto", options: { cloudStallTimeoutMs?: number } = {}) {
  const dataDir = tempDir();
  const core = await createCore({
    dataDir,
    shell: "browser",
    threads: 1,
    logger,
    policyFile: path.join(dataDir, "no-policy.json"),
    ...options,
  });
  cores.push(core);
  const recorded: Finish[] = [];
  finishes.set(core, recorded);
  core.subscribe("chat", (e) => {
    if (e.type === "message-finish") recorded.push(e);
  });
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", {
    kind: "openai-compatible",
    name: "Team vLLM",
    baseUrl: provider.baseUrl,
    model: "big-model",
    apiKey: KEY,
  });
  const conversation = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
  await call(core, "updateConversationSettings", {
    conversationId: conversation.id,
    settings: { privacyMode, cloudProviderId: saved.id, maxOutputTokens: 6 },
  });
  return { core, dataDir, conversationId: conversation.id, model, saved };
}

const messagesOf = async (core: CoreInternals, conversationId: string) =>
  (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages;

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Sure. I will write to [EMAIL_1] once done." });
});
afterEach(async () => {
  provider.setFault(null);
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => provider.close());

describe("privacy modes", () => {
  it("Local only: a whole conversation, hard prompt included, opens no outbound socket at all", async () => {
    const { core, conversationId } = await setup("local");
    const before = provider.requests.length;
    const watch = await watchSockets();
    try {
      for (const text of [HARD_PROMPT, "Now do the same for even numbers, step by step."]) {
        const sent = await call<{ assistantMessageId: string; proposal: null }>(core, "sendMessage", { conversationId, text });
        expect(sent.proposal).toBeNull();
        expect((await finished(core, sent.assistantMessageId)).status).toBe("complete");
      }
      const manual = await core.call("sendMessage", { conversationId, text: "Ask the cloud", escalate: true });
      expect(manual).toMatchObject({ ok: false, error: { code: "EGRESS_BLOCKED" } });
    } finally {
      watch.restore();
    }
    expect(watch.connections).toEqual([]);
    expect(provider.requests.length).toBe(before);
    const messages = await messagesOf(core, conversationId);
    expect(messages.filter((m) => m.role === "assistant").every((m) => m.answeredBy?.kind === "local")).toBe(true);
    expect(await call<AuditEntry[]>(core, "listAudit", {})).toEqual([]);
  });

  it("Ask: nothing is sent until Send; Keep local sends nothing; Send sends exactly the preview", async () => {
    const { core, conversationId } = await setup("ask");
    const before = provider.requests.length;
    const first = await call<{ assistantMessageId: string | null; proposal: EscalationProposal }>(core, "sendMessage", {
      conversationId,
      text: HARD_PROMPT,
      escalate: true,
    });
    expect(first.assistantMessageId).toBeNull();
    const proposal = first.proposal;
    const userText = proposal.payload.at(-1)!.content;
    expect(userText).toContain("[EMAIL_1]");
    expect(userText).not.toContain("dana.whitfield@example.com");
    expect(proposal.redactions).toContainEqual(expect.objectContaining({ type: "EMAIL", original: "dana.whitfield@example.com" }));
    expect(provider.requests.length).toBe(before);
    // Still pending after a "reload".
    expect((await call<{ proposal: EscalationProposal }>(core, "getPendingEscalation", { conversationId })).proposal.id).toBe(proposal.id);

    const kept = await call<{ assistantMessageId: string }>(core, "resolveEscalation", {
      conversationId,
      proposalId: proposal.id,
      action: "keep-local",
    });
    await finished(core, kept.assistantMessageId);
    expect(provider.requests.length).toBe(before);
    expect((await messagesOf(core, conversationId)).at(-1)?.answeredBy).toMatchObject({ kind: "local" });

    const again = await call<{ proposal: EscalationProposal }>(core, "sendMessage", {
      conversationId,
      text: "Then send that summary to dana.whitfield@example.com too",
      escalate: true,
    });
    // Same value, same placeholder, within the conversation.
    expect(again.proposal.payload.at(-1)!.content).toContain("[EMAIL_1]");
    const watch = await watchSockets();
    try {
      const sent = await call<{ assistantMessageId: string }>(core, "resolveEscalation", {
        conversationId,
        proposalId: again.proposal.id,
        action: "send",
      });
      expect((await finished(core, sent.assistantMessageId)).status).toBe("complete");
    } finally {
      watch.restore();
    }
    // The provider's connection was opened by the egress gate, and nothing else connected anywhere.
    expect(watch.connections.some((c) => c.via === "net" && c.byGate)).toBe(true);
    expect(watch.connections.every((c) => c.byGate)).toBe(true);
    expect(provider.requests.length).toBe(before + 1);
    const received = provider.requests.at(-1)!.json as { messages: { role: string; content: string }[] };
    expect(received.messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(again.proposal.payload);
    expect(provider.requests.at(-1)!.body).not.toContain("dana.whitfield@example.com");

    const answer = (await messagesOf(core, conversationId)).at(-1)!;
    expect(answer.answeredBy).toMatchObject({ kind: "cloud", provider: "Team vLLM", model: "big-model", failover: false });
    // Placeholders are put back on this machine only.
    expect(answer.content).toBe("Sure. I will write to dana.whitfield@example.com once done.");

    const audit = await call<AuditEntry[]>(core, "listAudit", { conversationId });
    // Newest first: what was sent, then the refusal before it (a decision with no payload: nothing left).
    expect(audit).toHaveLength(2);
    expect(audit[1]).toMatchObject({ outcome: "declined", destination: "cloud", payload: "", bytesSent: 0, review: { heldBecause: "ask-mode", decision: "kept-local" } });
    expect(audit[0]).toMatchObject({ purpose: "chat", outcome: "ok", model: "big-model", review: { heldBecause: "ask-mode", decision: "sent" } });
    expect(audit[0]!.payload).toBe(provider.requests.at(-1)!.body);
    expect(audit[0]!.bytesSent).toBe(Buffer.byteLength(provider.requests.at(-1)!.body));
    expect(audit[0]!.bytesReceived).toBeGreaterThan(0);
  });

  it("Ask: an edited payload is redacted again before it can be sent", async () => {
    const { core, conversationId } = await setup("ask");
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: HARD_PROMPT, escalate: true });
    const edited = proposal.payload.map((m, i) =>
      i === proposal.payload.length - 1 ? { ...m, content: `${m.content} Also call me on (217) 555-0143.` } : m,
    );
    const revised = await call<EscalationProposal>(core, "reviseEscalation", { conversationId, proposalId: proposal.id, payload: edited });
    expect(revised.payload.at(-1)!.content).not.toContain("555-0143");
    expect(revised.payload.at(-1)!.content).toContain("[EMAIL_1]");
    const stale = await core.call("resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    expect(stale).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("Auto: sends without asking, redacted, and no fixture PII reaches the provider", async () => {
    const { core, conversationId } = await setup("auto");
    // The user's own terms (client and project code names) are part of the redaction settings.
    await call(core, "updateSettings", { redactionTerms: fixtures.messages.flatMap((m) => m.customTerms ?? []) });
    const before = provider.requests.length;
    for (const message of fixtures.messages.slice(0, 8)) {
      const sent = await call<{ assistantMessageId: string; proposal: null }>(core, "sendMessage", {
        conversationId,
        text: message.text,
        escalate: true,
      });
      expect(sent.proposal).toBeNull();
      expect((await finished(core, sent.assistantMessageId)).status).toBe("complete");
    }
    const bodies = provider.requests.slice(before).map((r) => r.body);
    expect(bodies).toHaveLength(8);
    for (const message of fixtures.messages.slice(0, 8)) {
      for (const value of message.pii) {
        for (const body of bodies) expect(body, `${message.id}: ${value}`).not.toContain(JSON.stringify(value).slice(1, -1));
      }
    }
    const audit = await call<AuditEntry[]>(core, "listAudit", {});
    expect(audit.map((a) => a.payload).sort()).toEqual([...bodies].sort());
    // The title is the start of the first message; the log keeps it redacted, with the payload's placeholders.
    const first = fixtures.messages[0]!;
    expect(audit[0]!.conversationTitle).toMatch(/\[PERSON_\d+\]/);
    for (const entry of audit) {
      for (const value of first.pii) expect(entry.conversationTitle, value).not.toContain(value);
    }
  });
});

describe("failover", () => {
  for (const fault of [
    { kind: "auth" },
    { kind: "rate-limit", retryAfterSeconds: 3 },
    { kind: "server" },
    { kind: "malformed" },
    { kind: "reset" },
  ] as const) {
    it(`${fault.kind}: the local model answers, says why, keeps the user's message, and Retry sends again`, async () => {
      const { core, conversationId, model } = await setup("auto");
      provider.setFault(fault);
      const sent = await call<{ assistantMessageId: string }>(core, "sendMessage", { conversationId, text: HARD_PROMPT, escalate: true });
      // The cloud attempt ends with its error and stays as a version; the local model answers in a new one.
      const cloud = await finished(core, sent.assistantMessageId);
      expect(cloud).toMatchObject({ status: "error", error: { code: expect.stringMatching(/^PROVIDER_|^NETWORK$/) } });
      const local = await followingAnswer(core, conversationId, sent.assistantMessageId);
      expect(local.finish.status).toBe("complete");
      const messages = await messagesOf(core, conversationId);
      expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
      expect(messages[0]!.content).toBe(HARD_PROMPT);
      expect(messages[1]!.versionIds).toEqual([sent.assistantMessageId, messages[1]!.id]);
      expect(messages[1]!.answeredBy).toMatchObject({ kind: "local", failover: true });
      expect(messages[1]!.modelName).toBe(model.name);
      expect(messages[1]!.answeredBy!.reason).toMatch(/Team vLLM failed .* answered locally/);
      expect(messages[1]!.content.length).toBeGreaterThan(0);
      expect(JSON.stringify(messages)).not.toContain(KEY);

      provider.setFault(null);
      const retried = await call<{ assistantMessageId: string }>(core, "regenerateMessage", { conversationId, target: "cloud" });
      expect((await finished(core, retried.assistantMessageId)).status).toBe("complete");
      expect((await messagesOf(core, conversationId)).at(-1)!.answeredBy).toMatchObject({ kind: "cloud", failover: false });
    });
  }

  it("stall: a cloud answer that stops arriving times out and the local model answers", async () => {
    const { core, conversationId } = await setup("auto", { cloudStallTimeoutMs: 500 });
    provider.setFault({ kind: "stall" });
    const sent = await call<{ assistantMessageId: string }>(core, "sendMessage", { conversationId, text: HARD_PROMPT, escalate: true });
    expect(await finished(core, sent.assistantMessageId)).toMatchObject({ status: "error", error: { code: "PROVIDER_TIMEOUT" } });
    expect((await followingAnswer(core, conversationId, sent.assistantMessageId)).finish.status).toBe("complete");
    const messages = await messagesOf(core, conversationId);
    expect(messages[0]!.content).toBe(HARD_PROMPT);
    expect(messages[1]!.answeredBy).toMatchObject({ kind: "local", failover: true });
    expect(messages[1]!.answeredBy!.reason).toMatch(/Team vLLM failed .* answered locally/);
    expect((await call<AuditEntry[]>(core, "listAudit", {})).at(-1)).toMatchObject({ outcome: "error" });
  });

  it("stopping a stalled cloud answer ends it as stopped, and the audit log says aborted", async () => {
    // Stall detection has the default 30 s timer here; the user stops the answer first.
    const { core, conversationId } = await setup("auto");
    provider.setFault({ kind: "stall" });
    const sent = await call<{ assistantMessageId: string }>(core, "sendMessage", { conversationId, text: "Hello", escalate: true });
    await new Promise((r) => setTimeout(r, 300));
    await call(core, "stopGeneration", { conversationId });
    expect((await finished(core, sent.assistantMessageId)).status).toBe("stopped");
    const audit = await call<AuditEntry[]>(core, "listAudit", {});
    expect(audit.at(-1)).toMatchObject({ outcome: "aborted" });
  });
});

describe("keys", () => {
  it("never appear in what the UI gets, the logs, the database or error texts", async () => {
    const { core, dataDir, conversationId } = await setup("auto");
    provider.setFault({ kind: "auth" });
    const sent = await call<{ assistantMessageId: string }>(core, "sendMessage", { conversationId, text: "hello", escalate: true });
    await finished(core, sent.assistantMessageId);
    provider.setFault(null);
    const everything = JSON.stringify([
      await core.call("listProviders", {}),
      await core.call("getSettings", {}),
      await core.call("listAudit", {}),
      await core.call("getConversation", { conversationId }),
      await core.call("exportAudit", { format: "csv" }),
      await core.call("testProvider", { providerId: (await call<Provider[]>(core, "listProviders", {}))[0]!.id }),
    ]);
    expect(everything).not.toContain(KEY);
    expect(logged.join("\n")).not.toContain(KEY);
    await core.dispose();
    cores.splice(cores.indexOf(core), 1);
    for (const file of fs.readdirSync(dataDir, { recursive: true }) as string[]) {
      const full = path.join(dataDir, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(KEY), file).toBe(false);
    }
  });
});
