import { describe, expect, it } from "vitest";
import { providerKindSchema } from "../../../contract/index.js";
import { effectiveBaseUrl, providerAdapters } from "./registry.js";
import { isAzureHost } from "./openai-compatible.js";

describe("provider registry", () => {
  it("has exactly one adapter per provider kind of the contract", () => {
    expect(Object.keys(providerAdapters).sort()).toEqual([...providerKindSchema.options].sort());
    for (const [kind, adapter] of Object.entries(providerAdapters)) expect(adapter.kind).toBe(kind);
  });

  it("builds every model with the given base URL and fetch (no environment fallbacks)", () => {
    for (const adapter of Object.values(providerAdapters)) {
      const model = adapter.createModel({ baseUrl: "http://127.0.0.1:9/v1", apiKey: null, model: "m", fetch: globalThis.fetch });
      expect(typeof model).toBe("object");
    }
  });

  it("resolves base URLs and requires one for OpenAI-compatible servers", () => {
    expect(effectiveBaseUrl({ kind: "openai", baseUrl: null, name: "OpenAI" })).toBe("https://api.openai.com/v1");
    expect(effectiveBaseUrl({ kind: "anthropic", baseUrl: null, name: "A" })).toBe("https://api.anthropic.com/v1");
    expect(effectiveBaseUrl({ kind: "gemini", baseUrl: null, name: "G" })).toBe("https://generativelanguage.googleapis.com/v1beta");
    expect(() => effectiveBaseUrl({ kind: "openai-compatible", baseUrl: null, name: "vLLM" })).toThrow(/needs a base URL/);
  });

  it("recognises Azure hosts", () => {
    expect(isAzureHost("acme.openai.azure.com")).toBe(true);
    expect(isAzureHost("acme.cognitiveservices.azure.com")).toBe(true);
    expect(isAzureHost("openai.azure.com.evil.org")).toBe(false);
  });
});
