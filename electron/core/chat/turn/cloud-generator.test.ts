import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudHarness, type CloudHarness } from "../../../../test/fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../../../../test/fake-providers/fake-provider-server.js";
import { storiesModel } from "../../../../test/fixtures/paths.js";
import type { Provider } from "../../../contract/index.js";
import { requestBodyFor } from "../../cloud/cloud-chat.js";
import { createStreamingRestorer } from "../../cloud/redact/placeholders.js";
import { Engine } from "../../engine/engine.js";
import { cloudGenerator } from "./cloud-generator.js";
import { engineGenerator, type EngineCall } from "./engine-generator.js";
import { proposal, turnInput } from "../../../../test/fixtures/turn-fixtures.js";
import type { TurnPorts } from "./turn-ports.js";
import { TurnRunner } from "./turn-runner.js";
import type { TurnState } from "./turn-schema.js";

const key = "sk-test-0123456789abcdefghijKLMNOP";
const stories = { id: "stories", path: storiesModel, name: "stories260K" };

/** As in engine-generator.test.ts: both prompt forms while the engine moves to the context builder's. */
function localCall(): EngineCall {
  const prompt = "Once upon a time";
  return {
    model: stories,
    conversationId: "c1",
    contextSize: 512,
    temperature: 0,
    maxOutputTokens: 12,
    prompt: { systemPrompt: "", branch: [{ id: "u1", role: "user", content: prompt, reasoning: "", status: "complete" }] },
    systemPrompt: "",
    turns: [{ role: "user", content: prompt }],
  } as unknown as EngineCall;
}

describe("turn runner with the real cloud path (fake OpenAI server, egress gate) and the real engine", () => {
  let server: FakeProviderServer;
  let h: CloudHarness;
  let engine: Engine;
  let provider: Provider;

  beforeAll(async () => {
    server = await startFakeProvider({ wire: "openai", apiKey: key, reply: "Happy birthday, [PERSON_1]! You are 41." });
    h = createCloudHarness();
    engine = new Engine({ threads: 1 });
    provider = h.providers.save({ kind: "openai", name: "Acme Cloud", baseUrl: server.baseUrl, model: "m-1", apiKey: key });
  });
  afterAll(async () => {
    await engine.dispose();
    await server.close();
    h.close();
  });

  async function runAutoTurn() {
    const payload = [{ role: "user" as const, content: "Write a birthday line for [PERSON_1]" }];
    const body = await requestBodyFor({ provider, payload, temperature: 0, maxOutputTokens: null });
    const made = proposal({ providerId: provider.id, providerName: provider.name, model: provider.model, payload, requestBody: body, bytes: body.length });
    const saves: TurnState[] = [];
    const ports: TurnPorts = {
      save: (state) => saves.push(JSON.parse(JSON.stringify(state)) as TurnState),
      emit: () => {},
      route: () => ({ score: 0.9, threshold: 0.5, target: "cloud", reasons: ["needs the cloud"] }),
      propose: async () => made,
      checkRequest: () => ({ kind: "unchanged" }),
      judge: () => ({ verdict: { escalate: false, reason: null }, cloud: { mode: "auto", provider: null } }),
      generateLocal: engineGenerator(engine, localCall),
      generateCloud: cloudGenerator(
        ({ proposal: p }) => ({
          provider,
          apiKey: key,
          payload: p.payload,
          expectedBody: body,
          temperature: 0,
          maxOutputTokens: null,
          fetch: h.chatFetch(provider, "auto", "c1"),
          stallTimeoutMs: 2_000,
        }),
        () => createStreamingRestorer({ byValue: { Alice: "[PERSON_1]" }, counters: { PERSON: 1 } }),
      ),
    };
    const started = TurnRunner.start(ports, turnInput({ provider: { id: provider.id, name: provider.name, model: provider.model } }), { saveEveryMs: 0 });
    if (!started.ok) throw new Error(started.error.message);
    return { end: await started.runner.settled(), saves };
  }

  it("Auto: the cloud answers through the egress gate; placeholders are restored; usage is kept", async () => {
    server.setFault(null);
    const { end } = await runAutoTurn();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1" });
    expect(end.attempts[0]).toMatchObject({ target: "cloud", status: "complete", text: "Happy birthday, Alice! You are 41.", finish: "stop" });
    expect(end.attempts[0]!.usage).toEqual({ inputTokens: 12, outputTokens: 7 });
    expect(h.audit.list({ limit: 1 })[0]!.payload).toBe(server.requests.at(-1)!.body);
  });

  it("the stream breaks mid-answer: the local model answers; the cloud's partial text stays its own attempt", async () => {
    server.setFault({ kind: "malformed" });
    const { end } = await runAutoTurn();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.2" });
    const [cloud, local] = end.attempts;
    expect(cloud).toMatchObject({ target: "cloud", status: "error", error: { code: "PROVIDER_STREAM" } });
    expect(cloud!.text.length).toBeGreaterThan(0);
    expect("Happy birthday, Alice! You are 41.".startsWith(cloud!.text)).toBe(true);
    expect(local).toMatchObject({ kind: "failover", target: "local", status: "complete", follows: "t1.1" });
    expect(local!.reason.text).toMatch(/^Acme Cloud failed \(.*\) — answered locally$/);
    expect(local!.text.length).toBeGreaterThan(0);
  });
});
