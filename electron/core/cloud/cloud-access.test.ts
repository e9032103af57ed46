import { describe, expect, it } from "vitest";
import { cloudAccessSchema, defaultConversationSettings, emptyPolicy, type Conversation, type Policy, type PrivacyMode, type Provider } from "../../contract/index.js";
import { cloudAccess, cloudRefusal, providerProblem } from "./cloud-access.js";

function provider(overrides: Partial<Provider> & Pick<Provider, "id">): Provider {
  return {
    kind: "openai",
    name: `Provider ${overrides.id}`,
    baseUrl: null,
    model: "gpt-4.1",
    hasKey: true,
    inputPricePerMTok: null,
    outputPricePerMTok: null,
    createdAt: 1,
    ...overrides,
  };
}

function conversation(privacyMode: PrivacyMode, cloudProviderId: string | null = null): Pick<Conversation, "id" | "settings"> {
  return {
    id: "c1",
    settings: { ...defaultConversationSettings, modelId: null, privacyMode, cloudProviderId },
  };
}

const openai = provider({ id: "oa", name: "OpenAI" });
const keyless = provider({ id: "nokey", name: "Claude", kind: "anthropic", hasKey: false, model: "claude-sonnet-4-5" });
const local = provider({ id: "vllm", name: "Team vLLM", kind: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1", hasKey: false, model: "qwen" });

const access = (mode: PrivacyMode, chosen: string | null, providers: Provider[], policy: Policy = emptyPolicy) => {
  const result = cloudAccess({ conversation: conversation(mode, chosen), policy, providers });
  // What the core computes always fits the contract it is sent under.
  expect(cloudAccessSchema.parse(result)).toEqual(result);
  return result;
};

describe("cloud access: the mode", () => {
  it("uses the conversation's mode, and lets the user choose any mode, when no policy locks it", () => {
    const a = access("ask", null, [openai]);
    expect(a).toMatchObject({ mode: "ask", locked: false, modes: ["local", "ask", "auto"] });
    expect(a.offers.changeMode).toEqual({ allowed: true, reason: null });
  });

  it("the policy's lock wins over the conversation's mode, offers only that mode, and says where the policy is", () => {
    const policy = { ...emptyPolicy, source: "/etc/hearth/policy.json", lockedPrivacyMode: "ask" as const };
    const a = access("auto", null, [openai], policy);
    expect(a).toMatchObject({ mode: "ask", locked: true, modes: ["ask"] });
    expect(a.offers.changeMode.allowed).toBe(false);
    expect(a.offers.changeMode.reason).toContain("/etc/hearth/policy.json");
    expect(a.offers.changeMode.reason).toContain("“Ask”");
    // Locked to Ask, the cloud is still offered (after the preview).
    expect(a.offers.escalate.allowed).toBe(true);
  });

  it("Local only by the conversation's choice: no cloud offers, and the reason says how to change it", () => {
    const a = access("local", "oa", [openai]);
    expect(a.mode).toBe("local");
    // The provider it would use is still known (shown when the user switches the mode).
    expect(a.provider?.id).toBe("oa");
    expect(a.offers.escalate).toEqual({ allowed: false, reason: expect.stringContaining("Switch it to Ask or Auto") });
    expect(a.offers.retryWithCloud.allowed).toBe(false);
    expect(cloudRefusal(a)?.code).toBe("EGRESS_BLOCKED");
  });

  it("Local only by policy: no cloud offers, mode fixed, and the reason names the policy", () => {
    const a = access("auto", "oa", [openai], { ...emptyPolicy, lockedPrivacyMode: "local" });
    expect(a).toMatchObject({ mode: "local", locked: true, modes: ["local"] });
    expect(a.offers.escalate.reason).toContain("organisation's policy");
    expect(a.offers.retryWithCloud.allowed).toBe(false);
    expect(a.offers.changeMode.allowed).toBe(false);
    expect(cloudRefusal(a)?.code).toBe("EGRESS_BLOCKED");
  });
});

describe("cloud access: the provider", () => {
  it("uses the conversation's choice, and offers escalation and retry with it", () => {
    const a = access("auto", "vllm", [openai, local]);
    expect(a.provider).toEqual({ id: "vllm", name: "Team vLLM", model: "qwen" });
    expect(a.providerProblem).toBeNull();
    expect(a.offers.escalate).toEqual({ allowed: true, reason: null });
    expect(a.offers.retryWithCloud).toEqual({ allowed: true, reason: null });
    expect(cloudRefusal(a)).toBeNull();
  });

  it("none set up: no provider, and the reason says to add one", () => {
    const a = access("ask", null, []);
    expect(a.provider).toBeNull();
    expect(a.providerProblem?.kind).toBe("none-set-up");
    expect(a.offers.escalate).toEqual({ allowed: false, reason: expect.stringContaining("Add one in Settings") });
    expect(cloudRefusal(a)?.code).toBe("NO_PROVIDER");
  });

  it("a removed provider: the conversation falls back to the first usable one (as Settings' removal says)", () => {
    const a = access("ask", "gone", [keyless, openai]);
    expect(a.provider?.id).toBe("oa");
    expect(a.offers.escalate.allowed).toBe(true);
    // Removed and nothing else usable: none, and why.
    const b = access("ask", "gone", [keyless]);
    expect(b.provider).toBeNull();
    expect(b.providerProblem?.kind).toBe("no-key");
    expect(b.offers.escalate.allowed).toBe(false);
  });

  it("a chosen provider the policy does not allow: none (never another one behind the user's back), with the policy's reason", () => {
    const policy = { ...emptyPolicy, allowedProviderKinds: ["openai-compatible" as const] };
    const a = access("auto", "oa", [openai, local], policy);
    expect(a.provider).toBeNull();
    expect(a.providerProblem).toEqual({ kind: "not-allowed", message: expect.stringContaining("does not allow") });
    expect(a.offers.escalate.allowed).toBe(false);
    expect(a.offers.retryWithCloud.reason).toContain("does not allow");
    // The picker shows which one it could use instead.
    expect(a.providerChoices.map((c) => [c.id, c.problem?.kind ?? null])).toEqual([
      ["oa", "not-allowed"],
      ["vllm", null],
    ]);
  });

  it("the policy's host rules: a provider whose host is not allowed is refused, the default vendor host too", () => {
    const policy = { ...emptyPolicy, allowedProviderHosts: ["127.0.0.1:8000"] };
    expect(providerProblem(local, policy)).toBeNull();
    expect(providerProblem(local, { ...emptyPolicy, allowedProviderHosts: ["127.0.0.1:9000"] })?.kind).toBe("not-allowed");
    // No base URL: the vendor's own host (api.openai.com) is what the gate checks, and so is it here.
    expect(providerProblem(openai, policy)?.kind).toBe("not-allowed");
    expect(providerProblem(openai, { ...emptyPolicy, allowedProviderHosts: ["api.openai.com"] })).toBeNull();
  });

  it("no allowed provider at all: none-allowed, not 'none set up'", () => {
    const a = access("ask", null, [openai], { ...emptyPolicy, allowedProviderKinds: ["gemini"] });
    expect(a.providerProblem?.kind).toBe("none-allowed");
    expect(a.offers.escalate.reason).toContain("policy allows none");
  });

  it("a chosen vendor provider without its key: none, and the reason says to enter the key", () => {
    const a = access("ask", "nokey", [keyless, openai]);
    expect(a.provider).toBeNull();
    expect(a.providerProblem).toEqual({ kind: "no-key", message: expect.stringContaining("Claude has no API key") });
    expect(a.offers.escalate.allowed).toBe(false);
    expect(cloudRefusal(a)?.code).toBe("NO_PROVIDER");
  });

  it("by default, skips providers without a key for the first one that can send", () => {
    expect(access("ask", null, [keyless, openai]).provider?.id).toBe("oa");
    const none = access("ask", null, [keyless]);
    expect(none.providerProblem?.kind).toBe("no-key");
  });

  it("an OpenAI-compatible server without a key is usable (a local vLLM or Ollama needs none)", () => {
    expect(providerProblem(local, emptyPolicy)).toBeNull();
    expect(access("auto", null, [keyless, local]).provider?.id).toBe("vllm");
    expect(access("auto", "vllm", [local]).offers.escalate.allowed).toBe(true);
  });
});
