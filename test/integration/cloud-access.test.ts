import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { CloudAccess, EscalationProposal, ModelInfo, Policy, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

/**
 * The core's one decision about a conversation and the cloud (getCloudAccess) is what its own chat flow enforces:
 * whatever the UI is offered ("Ask <cloud>"), the core accepts, and what it is not offered, the core refuses, with
 * the same reason. Every window hears when a provider change may have moved it.
 */

const KEY = "sk-test-Access0123456789abcdefKEYVALUE";
const cores: CoreInternals[] = [];
let server: FakeProviderServer | null = null;

afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await server?.close();
});

async function fakeProvider(): Promise<FakeProviderServer> {
  server ??= await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Noted." });
  return server;
}

async function start(policy?: Partial<Policy>) {
  const dataDir = tempDir();
  const policyFile = path.join(dataDir, "policy.json");
  if (policy) fs.writeFileSync(policyFile, JSON.stringify(policy));
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile });
  cores.push(core);
  const providerEvents: unknown[] = [];
  core.subscribe("providers", (e) => providerEvents.push(e));
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const chat = async (settings: Record<string, unknown>) => {
    const conversation = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
    if (Object.keys(settings).length > 0) await call(core, "updateConversationSettings", { conversationId: conversation.id, settings });
    return conversation.id;
  };
  const access = (conversationId: string) => call<CloudAccess>(core, "getCloudAccess", { conversationId });
  /** What "Ask <cloud>" does in the core: the proposal (Ask mode), or the refusal. */
  const askCloud = async (conversationId: string) => {
    const result = await core.call("sendMessage", { conversationId, text: "Explain step by step why the sky is blue.", escalate: true });
    return result.ok ? { ok: true as const, proposal: (result.value as { proposal: EscalationProposal | null }).proposal } : result;
  };
  return { core, chat, access, askCloud, providerEvents };
}

/** The UI's offer and the core's answer agree, and a refusal gives the reason the UI shows. */
async function expectAgreement(access: CloudAccess, askCloud: () => Promise<Awaited<ReturnType<Awaited<ReturnType<typeof start>>["askCloud"]>>>) {
  const result = await askCloud();
  if (access.offers.escalate.allowed) {
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok) expect(result.proposal?.providerId).toBe(access.provider?.id);
  } else {
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(access.mode === "local" ? "EGRESS_BLOCKED" : "NO_PROVIDER");
      if (result.error.code === "NO_PROVIDER") expect(result.error.message).toBe(access.offers.escalate.reason);
    }
  }
}

describe("cloud access, decided once in the core", () => {
  it("none set up, then a provider, then its removal: every window is told, and the offer follows", async () => {
    const { core, chat, access, askCloud, providerEvents } = await start();
    const fake = await fakeProvider();
    const conversationId = await chat({ privacyMode: "ask" });

    const before = await access(conversationId);
    expect(before.providerProblem?.kind).toBe("none-set-up");
    await expectAgreement(before, () => askCloud(conversationId));

    const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team server", baseUrl: fake.baseUrl, model: "m", apiKey: KEY });
    expect(providerEvents).toEqual([{ type: "providers-changed" }]);
    const chosen = await chat({ privacyMode: "ask", cloudProviderId: saved.id });
    const withProvider = await access(chosen);
    expect(withProvider.provider?.id).toBe(saved.id);
    await expectAgreement(withProvider, () => askCloud(chosen));

    await call(core, "removeProvider", { providerId: saved.id });
    expect(providerEvents).toHaveLength(2);
    const other = await chat({ privacyMode: "ask" });
    const removed = await access(other);
    expect(removed.provider).toBeNull();
    expect(removed.offers.escalate.allowed).toBe(false);
    await expectAgreement(removed, () => askCloud(other));
  });

  it("a chosen vendor provider without its key is not offered, and the core does not propose to it", async () => {
    const { core, chat, access, askCloud } = await start();
    const keyless = await call<Provider>(core, "saveProvider", { kind: "anthropic", name: "Claude", model: "claude-sonnet-4-5" });
    expect(keyless.hasKey).toBe(false);
    const conversationId = await chat({ privacyMode: "ask", cloudProviderId: keyless.id });
    const decided = await access(conversationId);
    expect(decided.providerProblem).toMatchObject({ kind: "no-key", message: expect.stringContaining("Claude has no API key") });
    // Before: the UI hid this provider's problem and the core built a proposal for a provider that cannot send.
    await expectAgreement(decided, () => askCloud(conversationId));
  });

  it("an OpenAI-compatible server without a key is offered and accepted", async () => {
    const { core, chat, access, askCloud } = await start();
    const fake = await fakeProvider();
    const open = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Local vLLM", baseUrl: fake.baseUrl, model: "m" });
    const conversationId = await chat({ privacyMode: "ask" });
    const decided = await access(conversationId);
    expect(decided.provider?.id).toBe(open.id);
    await expectAgreement(decided, () => askCloud(conversationId));
  });

  it("a provider the policy does not allow: marked in Settings, not offered, refused with the same reason", async () => {
    const { core, chat, access, askCloud } = await start({ allowedProviderHosts: ["llm.internal.example.org"] });
    const fake = await fakeProvider();
    const refused = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team server", baseUrl: fake.baseUrl, model: "m", apiKey: KEY });
    expect(refused.policyRefusal).toContain("does not allow sending to");
    expect((await call<Provider[]>(core, "listProviders", {}))[0]?.policyRefusal).toBe(refused.policyRefusal);

    const chosen = await chat({ privacyMode: "ask", cloudProviderId: refused.id });
    const decided = await access(chosen);
    expect(decided.providerProblem?.kind).toBe("not-allowed");
    await expectAgreement(decided, () => askCloud(chosen));

    const byDefault = await chat({ privacyMode: "ask" });
    expect((await access(byDefault)).providerProblem?.kind).toBe("none-allowed");
    await expectAgreement(await access(byDefault), () => askCloud(byDefault));
  });

  it("Local only by the policy's lock: the mode is fixed, nothing cloud is offered, and the core refuses both", async () => {
    const { core, chat, access, askCloud } = await start({ lockedPrivacyMode: "local" });
    const fake = await fakeProvider();
    await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team server", baseUrl: fake.baseUrl, model: "m", apiKey: KEY });
    const conversationId = await chat({});
    const decided = await access(conversationId);
    expect(decided).toMatchObject({ mode: "local", locked: true, modes: ["local"], offers: { changeMode: { allowed: false } } });
    const change = await core.call("updateConversationSettings", { conversationId, settings: { privacyMode: "auto" } });
    expect(change).toMatchObject({ ok: false, error: { code: "POLICY_LOCKED" } });
    await expectAgreement(decided, () => askCloud(conversationId));
  });

  it("Local only by the conversation's choice: nothing cloud is offered, and the core refuses", async () => {
    const { core, chat, access, askCloud } = await start();
    const fake = await fakeProvider();
    await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team server", baseUrl: fake.baseUrl, model: "m", apiKey: KEY });
    const conversationId = await chat({ privacyMode: "local" });
    const decided = await access(conversationId);
    expect(decided).toMatchObject({ mode: "local", locked: false, offers: { escalate: { allowed: false }, retryWithCloud: { allowed: false } } });
    await expectAgreement(decided, () => askCloud(conversationId));
  });
});
