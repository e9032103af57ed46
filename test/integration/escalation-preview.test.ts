import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { requestBodyOf, type AuditEntry, type ChatEvent, type EscalationProposal, type ModelInfo, type Provider, type ProviderKind } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { wireOf } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const KEY = "sk-test-Preview0123456789abcdefKEYVALUE";
const PROMPT = "Email dana.whitfield@example.com and call (217) 555-0143 about the invoice for Acme Corp, step by step.";
const models: Record<ProviderKind, string> = {
  openai: "gpt-4.1-mini",
  "openai-compatible": "llama-3.1-8b-instruct",
  anthropic: "claude-sonnet-4-5",
  gemini: "gemini-2.5-flash",
};
type Finish = Extract<ChatEvent, { type: "message-finish" }>;

const cores: CoreInternals[] = [];
const servers: FakeProviderServer[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(kind: ProviderKind) {
  const server = await startFakeProvider({ wire: wireOf(kind), apiKey: KEY, reply: "Noted." });
  servers.push(server);
  const dataDir = tempDir();
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
  cores.push(core);
  const finishes: Finish[] = [];
  const proposed: EscalationProposal[] = [];
  core.subscribe("chat", (e) => {
    if (e.type === "message-finish") finishes.push(e);
    if (e.type === "escalation-proposed") proposed.push(e.proposal);
  });
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", { kind, name: `Fake ${kind}`, baseUrl: server.baseUrl, model: models[kind], apiKey: KEY });
  const conversation = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
  await call(core, "updateConversationSettings", {
    conversationId: conversation.id,
    settings: { privacyMode: "ask", cloudProviderId: saved.id, maxOutputTokens: 64, temperature: 0.5 },
  });
  const finished = async (messageId: string) => {
    for (;;) {
      const found = finishes.find((e) => e.messageId === messageId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { core, server, conversationId: conversation.id, finished, proposed };
}

describe.each(["openai-compatible", "openai", "anthropic", "gemini"] as ProviderKind[])("Ask preview with %s", (kind) => {
  it("shows the whole request body, and the provider receives exactly those bytes", async () => {
    const { core, server, conversationId, finished } = await setup(kind);
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });
    expect(server.requests).toHaveLength(0);
    // The whole body: parameters and every message as sent, not just the messages' text.
    const body = requestBodyOf(proposal);
    expect(proposal.bytes).toBe(Buffer.byteLength(body, "utf8"));
    expect(proposal.bytes).toBeGreaterThan(proposal.payload.reduce((sum, m) => sum + Buffer.byteLength(m.content, "utf8"), 0));
    for (const message of proposal.payload) expect(body).toContain(JSON.stringify(message.content).slice(1, -1));
    expect(body).toContain("64");
    expect(body).toContain("0.5");
    if (kind !== "gemini") expect(body).toContain(models[kind]);
    expect(body).not.toContain("dana.whitfield@example.com");

    const sent = await call<{ assistantMessageId: string }>(core, "resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    expect((await finished(sent.assistantMessageId)).status).toBe("complete");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toBe(body);
    const [entry] = await call<AuditEntry[]>(core, "listAudit", { conversationId });
    expect(entry!.payload).toBe(body);
    expect(entry!.bytesSent).toBe(proposal.bytes);
  });
});

describe("Ask preview", () => {
  it("a setting changed after the preview: nothing is sent, the proposal is renewed, and the renewed one goes exactly", async () => {
    const { core, server, conversationId, finished, proposed } = await setup("openai-compatible");
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });
    await call(core, "updateConversationSettings", { conversationId, settings: { temperature: 1.25 } });
    const refused = await core.call("resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    expect(refused).toMatchObject({ ok: false, error: { code: "EGRESS_BLOCKED", message: expect.stringMatching(/changed since you reviewed it/) } });
    expect(server.requests).toHaveLength(0);

    const { proposal: renewed } = await call<{ proposal: EscalationProposal }>(core, "getPendingEscalation", { conversationId });
    expect(renewed.id).not.toBe(proposal.id);
    expect(proposed.at(-1)?.id).toBe(renewed.id);
    expect(renewed.payload).toEqual(proposal.payload);
    expect(requestBodyOf(renewed)).toContain("1.25");
    expect(renewed.bytes).toBe(Buffer.byteLength(requestBodyOf(renewed), "utf8"));

    const sent = await call<{ assistantMessageId: string }>(core, "resolveEscalation", { conversationId, proposalId: renewed.id, action: "send" });
    await finished(sent.assistantMessageId);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toBe(requestBodyOf(renewed));
  });

  it("after an Edit, every placeholder in the payload is reported as a hidden value, not only the new ones", async () => {
    const { core, conversationId } = await setup("openai-compatible");
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });
    const before = new Set(proposal.redactions.map((r) => r.placeholder));
    expect(before.size).toBeGreaterThanOrEqual(2);
    const edited = proposal.payload.map((m, i) =>
      i === proposal.payload.length - 1 ? { ...m, content: `${m.content} Also write to bob.marsh@example.org.` } : m,
    );
    const revised = await call<EscalationProposal>(core, "reviseEscalation", { conversationId, proposalId: proposal.id, payload: edited });
    const shown = new Set(revised.payload.flatMap((m) => [...m.content.matchAll(/\[[A-Z][A-Z0-9_]*_\d+\]/g)].map((x) => x[0])));
    const reported = new Set(revised.redactions.map((r) => r.placeholder));
    expect(reported).toEqual(shown);
    expect(reported.size).toBe(before.size + 1);
    // Each report points at its placeholder and names the value it hides.
    for (const r of revised.redactions) {
      expect(revised.payload[r.messageIndex]!.content.slice(r.start, r.end)).toBe(r.placeholder);
      expect(r.original.length).toBeGreaterThan(0);
    }
    expect(revised.redactions.find((r) => r.placeholder === "[EMAIL_1]")?.original).toBe("dana.whitfield@example.com");
  });
});
