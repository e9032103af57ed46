import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, ChatEvent, Conversation, EscalationProposal, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { verifyAuditChain } from "../../electron/core/cloud/audit-chain.js";
import { openDatabase } from "../../electron/core/store/database.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const KEY = "sk-test-Review0123456789abcdefKEYVALUE";
const MISSED_PASSWORD = "Winter2025!Clinic";
const CREDENTIAL_MESSAGE = `The clinic's Wi-Fi password ${MISSED_PASSWORD} stopped working after the router update. How do I reset it?`;

type Finish = Extract<ChatEvent, { type: "message-finish" }>;
type Sent = { assistantMessageId: string | null; proposal: EscalationProposal | null };
let provider: FakeProviderServer;
const cores: CoreInternals[] = [];

async function setup(privacyMode: "auto" | "ask") {
  const dataDir = tempDir();
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
  cores.push(core);
  const finishes: Finish[] = [];
  const audited: AuditEntry[] = [];
  core.subscribe("chat", (e) => {
    if (e.type === "message-finish") finishes.push(e);
  });
  core.subscribe("audit", (e) => {
    if (e.type === "audit-appended") audited.push(e.entry);
  });
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team vLLM", baseUrl: provider.baseUrl, model: "big-model", apiKey: KEY });
  const conversation = await call<Conversation>(core, "createConversation", { modelId: model.id });
  const conversationId = conversation.id;
  await call(core, "updateConversationSettings", { conversationId, settings: { privacyMode, cloudProviderId: saved.id, maxOutputTokens: 6 } });
  const finished = async (messageId: string): Promise<Finish> => {
    for (;;) {
      const found = finishes.find((e) => e.messageId === messageId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const send = (text: string) => call<Sent>(core, "sendMessage", { conversationId, text, escalate: true });
  const resolve = (proposalId: string, action: "send" | "keep-local") =>
    call<{ assistantMessageId: string }>(core, "resolveEscalation", { conversationId, proposalId, action });
  const audit = () => call<AuditEntry[]>(core, "listAudit", { conversationId });
  return { core, dataDir, conversationId, finished, send, resolve, audit, audited };
}

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Done." });
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => provider.close());

describe("the audit log says why a request was held for approval, and what the user decided", () => {
  it("Auto asked because it was unsure: the entry of what left says so, with the kinds of doubt; chained, exported", async () => {
    const s = await setup("auto");
    const { proposal } = await s.send(CREDENTIAL_MESSAGE);
    expect(proposal?.askedBecauseUnsure).toBe(true);
    const sent = await s.resolve(proposal!.id, "send");
    expect((await s.finished(sent.assistantMessageId)).status).toBe("complete");

    const [entry] = await s.audit();
    expect(entry!.outcome).toBe("ok");
    expect(entry!.review).toEqual({
      heldBecause: "unsure",
      doubts: [expect.objectContaining({ reason: "credential", count: expect.any(Number) })],
      decision: "sent",
      edited: false,
      bytes: proposal!.bytes,
    });
    // Counts and types, never the value.
    expect(JSON.stringify(entry!.review)).not.toContain(MISSED_PASSWORD);
    // The live event carries it too (the viewer updates without a reload).
    expect(s.audited.at(-1)?.review).toEqual(entry!.review);

    const json = JSON.parse((await call<{ content: string }>(s.core, "exportAudit", { format: "json" })).content) as AuditEntry[];
    expect(json[0]!.review).toEqual(entry!.review);
    const csv = (await call<{ content: string }>(s.core, "exportAudit", { format: "csv" })).content;
    const [header, row] = csv.split("\r\n");
    expect(header).toContain(",review,payload");
    expect(row).toContain('""heldBecause"":""unsure""');

    // The review is in the hash chain: changing it in the database file is found.
    expect(await call<{ ok: boolean }>(s.core, "verifyAudit", {})).toMatchObject({ ok: true });
    await s.core.dispose();
    const db = openDatabase(path.join(s.dataDir, "hearth.db"));
    try {
      db.prepare(`UPDATE audit_log SET review = ? WHERE id = ?`).run(JSON.stringify({ ...entry!.review, heldBecause: "ask-mode", doubts: [] }), entry!.id);
      expect(verifyAuditChain(db).firstBroken).toMatchObject({ entryId: entry!.id, reason: "The entry was changed after it was chained." });
    } finally {
      db.close();
    }
  });

  it("edited after Auto asked: the entry keeps why it asked (the edit took the doubt out) and that it was edited", async () => {
    const s = await setup("auto");
    const { proposal } = await s.send(CREDENTIAL_MESSAGE);
    const edited = proposal!.payload.map((m, i) => (i === proposal!.payload.length - 1 ? { ...m, content: m.content.replace(/password \S+/, "network") } : m));
    const revised = await call<EscalationProposal>(s.core, "reviseEscalation", { conversationId: s.conversationId, proposalId: proposal!.id, payload: edited });
    expect(revised.doubts ?? []).toEqual([]);
    await s.finished((await s.resolve(revised.id, "send")).assistantMessageId);
    const [entry] = await s.audit();
    expect(entry!.review).toMatchObject({ heldBecause: "unsure", decision: "sent", edited: true, bytes: revised.bytes });
    expect(entry!.review!.doubts.map((d) => d.reason)).toContain("credential");
  });

  it("refused: one entry records the decision with no payload and nothing sent; the chain still verifies", async () => {
    const s = await setup("auto");
    const before = provider.requests.length;
    const { proposal } = await s.send(CREDENTIAL_MESSAGE);
    const kept = await s.resolve(proposal!.id, "keep-local");
    await s.finished(kept.assistantMessageId);
    expect(provider.requests.length).toBe(before);
    const entries = await s.audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      outcome: "declined",
      payload: "",
      bytesSent: 0,
      bytesReceived: 0,
      host: new URL(provider.baseUrl).host,
      providerName: "Team vLLM",
      model: "big-model",
      review: { heldBecause: "unsure", decision: "kept-local", edited: false, bytes: proposal!.bytes },
    });
    expect(JSON.stringify(entries[0])).not.toContain(MISSED_PASSWORD);
    expect(JSON.stringify(entries[0])).not.toContain("router update");
    expect(await call<{ ok: boolean; entries: number }>(s.core, "verifyAudit", {})).toMatchObject({ ok: true, entries: 1 });
  });

  it("Ask mode: held because of Ask mode, approved or refused; Auto with nothing unsure: no review", async () => {
    const ask = await setup("ask");
    const first = await ask.send("What is the capital of France?");
    await ask.finished((await ask.resolve(first.proposal!.id, "send")).assistantMessageId);
    const second = await ask.send("And of Italy?");
    await ask.finished((await ask.resolve(second.proposal!.id, "keep-local")).assistantMessageId);
    const [declined, approved] = await ask.audit();
    expect(approved!.review).toEqual({ heldBecause: "ask-mode", doubts: [], decision: "sent", edited: false, bytes: first.proposal!.bytes });
    expect(declined).toMatchObject({ outcome: "declined", review: { heldBecause: "ask-mode", decision: "kept-local" } });

    const auto = await setup("auto");
    const sent = await auto.send("Explain the difference between a Type I and a Type II error, with an example from a drug trial.");
    expect(sent.proposal).toBeNull();
    await auto.finished(sent.assistantMessageId!);
    const [plain] = await auto.audit();
    expect(plain!.outcome).toBe("ok");
    expect(plain!.review).toBeUndefined();
  });
});
