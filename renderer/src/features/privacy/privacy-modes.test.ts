import { describe, expect, it } from "vitest";
import type { Policy, Provider } from "../../api/contract.js";
import {
  answeredByLabel,
  canRetryCloud,
  conversationProvider,
  effectivePrivacy,
  privacyModeOptions,
  providerAllowed,
  providerLabel,
} from "./privacy-modes.js";

const noPolicy: Policy = {
  source: null,
  lockedPrivacyMode: null,
  allowedProviderKinds: null,
  allowedProviderHosts: null,
  huggingFaceEndpoint: null,
  requireDatabaseEncryption: false,
};

function provider(overrides: Partial<Provider> & Pick<Provider, "id">): Provider {
  return {
    kind: "openai-compatible",
    name: "Acme",
    baseUrl: "http://127.0.0.1:4010/v1",
    model: "acme-large",
    hasKey: true,
    inputPricePerMTok: null,
    outputPricePerMTok: null,
    createdAt: 1,
    ...overrides,
  };
}

const settings = (privacyMode: "local" | "ask" | "auto", cloudProviderId: string | null = null) => ({
  settings: {
    modelId: null,
    systemPrompt: "",
    temperature: 0.7,
    contextSize: 4096,
    maxOutputTokens: null,
    privacyMode,
    cloudProviderId,
  },
});

describe("privacy modes", () => {
  it("lists the three modes, local first, each with a one-line explanation", () => {
    expect(privacyModeOptions.map((o) => o.mode)).toEqual(["local", "ask", "auto"]);
    for (const option of privacyModeOptions) expect(option.description).not.toContain("\n");
  });

  it("uses the conversation's mode unless the organisation locks it", () => {
    expect(effectivePrivacy(settings("ask"), noPolicy)).toEqual({ mode: "ask", locked: false, reason: null });
    expect(effectivePrivacy(settings("ask"), null)).toMatchObject({ mode: "ask", locked: false });
    const locked = effectivePrivacy(settings("auto"), { ...noPolicy, source: "/etc/hearth/policy.json", lockedPrivacyMode: "local" });
    expect(locked.mode).toBe("local");
    expect(locked.locked).toBe(true);
    expect(locked.reason).toContain("/etc/hearth/policy.json");
    expect(locked.reason).toContain("Local only");
  });
});

describe("providers", () => {
  const a = provider({ id: "a", kind: "openai", baseUrl: null, name: "OpenAI", model: "gpt-4.1" });
  const b = provider({ id: "b" });

  it("checks a provider against the policy's kinds and hosts", () => {
    expect(providerAllowed(b, noPolicy)).toBe(true);
    expect(providerAllowed(b, { ...noPolicy, allowedProviderKinds: ["anthropic"] })).toBe(false);
    expect(providerAllowed(b, { ...noPolicy, allowedProviderHosts: ["127.0.0.1"] })).toBe(true);
    expect(providerAllowed(b, { ...noPolicy, allowedProviderHosts: ["llm.example.org"] })).toBe(false);
    expect(providerAllowed(b, { ...noPolicy, allowedProviderHosts: ["127.0.0.1:4010"] })).toBe(true);
    expect(providerAllowed(b, { ...noPolicy, allowedProviderHosts: ["127.0.0.1:8000"] })).toBe(false);
    const azure = provider({ id: "z", baseUrl: "https://team.openai.azure.com/openai" });
    expect(providerAllowed(azure, { ...noPolicy, allowedProviderHosts: ["*.openai.azure.com"] })).toBe(true);
    expect(providerAllowed(azure, { ...noPolicy, allowedProviderHosts: ["*.example.org"] })).toBe(false);
    // Default vendor address: the core decides.
    expect(providerAllowed(a, { ...noPolicy, allowedProviderHosts: ["llm.example.org"] })).toBe(true);
  });

  it("picks the conversation's provider, else the first allowed one", () => {
    expect(conversationProvider(settings("ask", "b"), [a, b], noPolicy)?.id).toBe("b");
    expect(conversationProvider(settings("ask", "gone"), [a, b], noPolicy)?.id).toBe("a");
    expect(conversationProvider(settings("ask", "b"), [a, b], { ...noPolicy, allowedProviderKinds: ["openai"] })?.id).toBe("a");
    expect(conversationProvider(settings("ask"), [], noPolicy)).toBeNull();
  });

  it("names providers and answers", () => {
    expect(providerLabel(b)).toBe("Acme acme-large");
    expect(providerLabel({ name: "gpt-4.1 (work)", model: "gpt-4.1" })).toBe("gpt-4.1 (work)");
    expect(answeredByLabel({ kind: "local", provider: null, model: "stories260K", reason: "", failover: false })).toBe("Local · stories260K");
    expect(answeredByLabel({ kind: "cloud", provider: "Acme", model: "acme-large", reason: "", failover: false })).toBe(
      "Cloud · Acme acme-large",
    );
  });

  it("offers a cloud retry after a failover or a failed cloud answer only", () => {
    const by = { kind: "local" as const, provider: null, model: "m", reason: "Cloud failed", failover: true };
    expect(canRetryCloud({ role: "assistant", status: "complete", answeredBy: by })).toBe(true);
    expect(canRetryCloud({ role: "assistant", status: "streaming", answeredBy: by })).toBe(false);
    expect(canRetryCloud({ role: "assistant", status: "complete", answeredBy: { ...by, failover: false } })).toBe(false);
    expect(canRetryCloud({ role: "assistant", status: "error", answeredBy: { ...by, kind: "cloud", failover: false } })).toBe(true);
    expect(canRetryCloud({ role: "assistant", status: "complete", answeredBy: null })).toBe(false);
  });
});
