import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { requestBodyOf, type AppSettings, type EscalationProposal, type ModelInfo, type Provider } from "../../electron/contract/index.js";
import type { LocalModelCheckOptions } from "../../electron/core/cloud/redact/llm-pass-engine.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { wireOf } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir, tinyLlamaModel } from "../fixtures/paths.js";

const KEY = "sk-test-SecondPass0123456789abcdefKEY";
const PROMPT = "Please ask the front desk to reset the locker code KX-77Q for the night shift, step by step.";

const cores: CoreInternals[] = [];
let server: FakeProviderServer | null = null;
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await server?.close();
});

/** A grammar narrower than the check's own: the tiny model can only name this value (a valid answer of the real schema). */
const namingLockerCode = {
  type: "object" as const,
  properties: {
    items: {
      type: "array" as const,
      prefixItems: [{ type: "object" as const, properties: { type: { const: "SECRET" }, value: { const: "KX-77Q" } } }],
      minItems: 1,
      maxItems: 1,
    },
  },
};

async function setup(modelPath: string, check: Pick<LocalModelCheckOptions, "timeoutMs" | "allowAnyModel" | "schema">) {
  server ??= await startFakeProvider({ wire: wireOf("openai-compatible"), apiKey: KEY, reply: "Noted." });
  const dataDir = tempDir();
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json"), localModelCheck: check });
  cores.push(core);
  const model = await call<ModelInfo>(core, "importModel", { path: modelPath });
  const provider = await call<Provider>(core, "saveProvider", {
    kind: "openai-compatible",
    name: "Fake",
    baseUrl: server.baseUrl,
    model: "llama-3.1-8b-instruct",
    apiKey: KEY,
  });
  const conversation = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
  await call(core, "updateConversationSettings", {
    conversationId: conversation.id,
    settings: { privacyMode: "ask", cloudProviderId: provider.id, maxOutputTokens: 16 },
  });
  await core.engine.load({ id: model.id, path: modelPath, name: model.name }, 512);
  return { core, conversationId: conversation.id };
}

describe("Ask preview with the local model's second check", () => {
  it("is off by default: no second check, the value the first pass missed is in the preview", async () => {
    const { core, conversationId } = await setup(storiesModel, { allowAnyModel: true, schema: namingLockerCode });
    expect((await call<AppSettings>(core, "getSettings", {})).localModelCheck).toBe(false);
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });
    expect(proposal.secondPass).toBeUndefined();
    expect(proposal.payload.at(-1)!.content).toContain("KX-77Q");
  }, 60_000);

  it("when on, hides what the model names, labels it as the model's find, and the provider never sees it", async () => {
    const { core, conversationId } = await setup(storiesModel, { allowAnyModel: true, schema: namingLockerCode });
    expect((await call<AppSettings>(core, "updateSettings", { localModelCheck: true })).localModelCheck).toBe(true);
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });
    expect(proposal.secondPass).toMatchObject({ status: "done", found: 1 });
    const last = proposal.payload.at(-1)!.content;
    expect(last).not.toContain("KX-77Q");
    const found = proposal.redactions.filter((r) => r.foundByLocalModel);
    expect(found.map((r) => [r.original, r.placeholder])).toEqual([["KX-77Q", "[SECRET_1]"]]);
    expect(last.slice(found[0]!.start, found[0]!.end)).toBe("[SECRET_1]");

    const before = server!.requests.length;
    await call(core, "resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    for (let i = 0; i < 500 && server!.requests.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server!.requests.at(-1)!.body).toBe(requestBodyOf(proposal));
    expect(server!.requests.at(-1)!.body).not.toContain("KX-77Q");
  }, 60_000);

  it("a check that runs out of time does not hold up the preview: the first pass stands and it says so", async () => {
    const { core, conversationId } = await setup(tinyLlamaModel, { allowAnyModel: true, timeoutMs: 200 });
    await call(core, "updateSettings", { localModelCheck: true });
    const started = Date.now();
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(proposal.secondPass?.status).toBe("timeout");
    expect(proposal.secondPass?.message).toMatch(/did not finish/);
    expect(proposal.redactions.some((r) => r.foundByLocalModel)).toBe(false);
  }, 60_000);
});
