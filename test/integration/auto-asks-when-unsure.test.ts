import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  requestBodyOf,
  type AppSettings,
  type ChatEvent,
  type Conversation,
  type EscalationProposal,
  type Message,
  type ModelInfo,
  type Provider,
} from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const KEY = "sk-test-Unsure0123456789abcdefKEYVALUE";
/** The leak: a password no detector hid reached the provider verbatim in Auto mode. */
const MISSED_PASSWORD = "Winter2025!Clinic";
const CREDENTIAL_MESSAGE = `The clinic's Wi-Fi password ${MISSED_PASSWORD} stopped working after the router update. How do I reset it?`;
/** A password the detectors do hide: with the setting off it goes, redacted. */
const HIDDEN_PASSWORD = "Tr0ub4dor&3";
const REDACTED_CREDENTIAL_MESSAGE = `Email dana.whitfield@example.com that the database rejects password: ${HIDDEN_PASSWORD} for user admin.`;
const PROSE = [
  "Explain the difference between a Type I and a Type II error, with an example from a drug trial.",
  "What are the main risks of a variable-rate mortgage when central banks raise interest rates?",
  "Summarise how a court decides whether a contract term is unfair under consumer protection law.",
  "Wie funktioniert die Abschreibung von Anlagevermögen in der Bilanz?",
  "Quels sont les effets secondaires fréquents des inhibiteurs de la pompe à protons ?",
];

type Finish = Extract<ChatEvent, { type: "message-finish" }>;
let provider: FakeProviderServer;
const cores: CoreInternals[] = [];

async function open(dataDir: string, policy?: object) {
  const policyFile = path.join(dataDir, "policy.json");
  if (policy) fs.writeFileSync(policyFile, JSON.stringify(policy));
  else fs.rmSync(policyFile, { force: true });
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile });
  cores.push(core);
  const finishes: Finish[] = [];
  const proposed: EscalationProposal[] = [];
  core.subscribe("chat", (e) => {
    if (e.type === "message-finish") finishes.push(e);
    if (e.type === "escalation-proposed") proposed.push(e.proposal);
  });
  const finished = async (messageId: string): Promise<Finish> => {
    for (;;) {
      const found = finishes.find((e) => e.messageId === messageId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { core, finished, proposed };
}

async function setup(options: { policy?: object } = {}) {
  const dataDir = tempDir();
  const opened = await open(dataDir, options.policy);
  const { core } = opened;
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team vLLM", baseUrl: provider.baseUrl, model: "big-model", apiKey: KEY });
  const conversation = await call<Conversation>(core, "createConversation", { modelId: model.id });
  await call(core, "updateConversationSettings", {
    conversationId: conversation.id,
    settings: { privacyMode: "auto", cloudProviderId: saved.id, maxOutputTokens: 6 },
  });
  return { ...opened, dataDir, conversationId: conversation.id };
}

type Sent = { assistantMessageId: string | null; proposal: EscalationProposal | null };
const send = (core: CoreInternals, conversationId: string, text: string) =>
  call<Sent>(core, "sendMessage", { conversationId, text, escalate: true });

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Done." });
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => provider.close());

describe("Auto mode asks when the redactor is unsure", () => {
  it("a credential-like message is not sent: it becomes a proposal with the reason, and the conversation stays in Auto", async () => {
    const { core, conversationId, proposed, finished } = await setup();
    const before = provider.requests.length;
    const sent = await send(core, conversationId, CREDENTIAL_MESSAGE);
    expect(sent.assistantMessageId).toBeNull();
    const proposal = sent.proposal!;
    expect(proposal.askedBecauseUnsure).toBe(true);
    // "a password-like value", or "a password, key or token" where a detector hid it too.
    expect(proposal.doubts).toContainEqual(expect.objectContaining({ reason: "credential", note: expect.stringMatching(/^a password/), messageIndex: proposal.payload.length - 1 }));
    // The notes never quote the value.
    expect(JSON.stringify(proposal.doubts)).not.toContain(MISSED_PASSWORD);
    expect(proposed.at(-1)?.id).toBe(proposal.id);
    expect(provider.requests.length).toBe(before);
    expect((await call<{ proposal: EscalationProposal }>(core, "getPendingEscalation", { conversationId })).proposal.id).toBe(proposal.id);
    const { conversation } = await call<{ conversation: Conversation }>(core, "getConversation", { conversationId });
    expect(conversation.settings.privacyMode).toBe("auto");

    // Edit (as in Ask): the user takes the password out; the revised proposal is still the answer to Auto's question.
    const edited = proposal.payload.map((m, i) => (i === proposal.payload.length - 1 ? { ...m, content: m.content.replace(/password \S+/, "network") } : m));
    const revised = await call<EscalationProposal>(core, "reviseEscalation", { conversationId, proposalId: proposal.id, payload: edited });
    expect(revised.askedBecauseUnsure).toBe(true);
    expect(revised.doubts ?? []).toEqual([]);
    const approved = await call<{ assistantMessageId: string }>(core, "resolveEscalation", { conversationId, proposalId: revised.id, action: "send" });
    expect((await finished(approved.assistantMessageId)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 1);
    expect(provider.requests.at(-1)!.body).toBe(requestBodyOf(revised));
    expect(provider.requests.at(-1)!.body).not.toContain(MISSED_PASSWORD);
    const messages = (await call<{ messages: Message[] }>(core, "getConversation", { conversationId })).messages;
    expect(messages.at(-1)!.answeredBy).toMatchObject({ kind: "cloud", reason: expect.stringMatching(/approved after Hearth asked: it was not sure it hid everything/) });

    // The next message has nothing doubtful, and the earlier one already left: Auto sends without asking again.
    const next = await send(core, conversationId, "Thanks. And how often should the router firmware be updated?");
    expect(next.proposal).toBeNull();
    expect((await finished(next.assistantMessageId!)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 2);
  });

  it("Keep local answers here and sends nothing", async () => {
    const { core, conversationId, finished } = await setup();
    const before = provider.requests.length;
    const { proposal } = await send(core, conversationId, CREDENTIAL_MESSAGE);
    const kept = await call<{ assistantMessageId: string }>(core, "resolveEscalation", { conversationId, proposalId: proposal!.id, action: "keep-local" });
    expect((await finished(kept.assistantMessageId)).status).toBe("complete");
    expect(provider.requests.length).toBe(before);
  });

  it("with the setting off, Auto sends the message redacted without asking", async () => {
    const { core, conversationId, finished } = await setup();
    const settings = await call<AppSettings>(core, "getSettings", {});
    expect(settings.askWhenUnsure).toBe(true);
    expect((await call<AppSettings>(core, "updateSettings", { askWhenUnsure: false })).askWhenUnsure).toBe(false);
    const before = provider.requests.length;
    const sent = await send(core, conversationId, REDACTED_CREDENTIAL_MESSAGE);
    expect(sent.proposal).toBeNull();
    expect((await finished(sent.assistantMessageId!)).status).toBe("complete");
    expect(provider.requests.length).toBe(before + 1);
    const body = provider.requests.at(-1)!.body;
    expect(body).not.toContain(HIDDEN_PASSWORD);
    expect(body).not.toContain("dana.whitfield@example.com");
    expect(body).toContain("[SECRET_1]");
  });

  it("an organisation policy forces it on: asked even though the user turned it off, and the setting is locked", async () => {
    const { core, dataDir } = await setup();
    await call(core, "updateSettings", { askWhenUnsure: false });
    await core.dispose();
    cores.splice(cores.indexOf(core), 1);

    const { core: locked } = await open(dataDir, { forceAskWhenUnsure: true });
    const settings = await call<AppSettings>(locked, "getSettings", {});
    expect(settings.policy.forceAskWhenUnsure).toBe(true);
    expect(settings.askWhenUnsure).toBe(true);
    const refused = await locked.call("updateSettings", { askWhenUnsure: false });
    expect(refused).toMatchObject({ ok: false, error: { code: "POLICY_LOCKED", message: expect.stringMatching(/Ask when unsure/) } });

    const [conversation] = await call<Conversation[]>(locked, "listConversations", {});
    const before = provider.requests.length;
    const sent = await send(locked, conversation!.id, REDACTED_CREDENTIAL_MESSAGE);
    expect(sent.proposal?.askedBecauseUnsure).toBe(true);
    expect(provider.requests.length).toBe(before);
  });

  it("PII-free prose is sent without asking", async () => {
    const { core, conversationId, finished } = await setup();
    const before = provider.requests.length;
    for (const text of PROSE) {
      const sent = await send(core, conversationId, text);
      expect(sent.proposal, text).toBeNull();
      expect((await finished(sent.assistantMessageId!)).status).toBe("complete");
    }
    expect(provider.requests.length).toBe(before + PROSE.length);
  });
});
