import { describe, expect, it } from "vitest";
import type { Provider } from "../../api/contract.js";
import { emptyProviderDraft, providerDraft, toSaveProviderInput } from "./provider-form.js";

const stored: Provider = {
  id: "p1",
  kind: "openai-compatible",
  name: "Lab server",
  baseUrl: "http://127.0.0.1:4010/v1",
  model: "acme-large",
  hasKey: true,
  inputPricePerMTok: 2,
  outputPricePerMTok: null,
  createdAt: 1,
};

describe("provider form", () => {
  it("builds a new provider with its key", () => {
    const result = toSaveProviderInput(
      { ...emptyProviderDraft("openai-compatible"), name: " Lab ", baseUrl: "http://127.0.0.1:4010/v1/", model: "m", apiKey: " sk-1 " },
      false,
    );
    expect(result).toEqual({
      ok: true,
      warning: null,
      value: { kind: "openai-compatible", name: "Lab", baseUrl: "http://127.0.0.1:4010/v1", model: "m", apiKey: "sk-1", inputPricePerMTok: null, outputPricePerMTok: null },
    });
  });

  it("requires a base URL for openai-compatible, a model, and a key for the vendors", () => {
    expect(toSaveProviderInput({ ...emptyProviderDraft("openai-compatible"), model: "m" }, false)).toMatchObject({ ok: false, field: "baseUrl" });
    expect(toSaveProviderInput({ ...emptyProviderDraft("openai"), apiKey: "k" }, false)).toMatchObject({ ok: false, field: "model" });
    expect(toSaveProviderInput({ ...emptyProviderDraft("anthropic"), model: "claude" }, false)).toMatchObject({ ok: false, field: "apiKey" });
    expect(toSaveProviderInput({ ...emptyProviderDraft("openai"), model: "gpt", apiKey: "k", baseUrl: "ftp://x" }, false)).toMatchObject({
      ok: false,
      field: "baseUrl",
    });
    expect(toSaveProviderInput({ ...emptyProviderDraft("openai"), model: "gpt", apiKey: "k", inputPrice: "cheap" }, false)).toMatchObject({
      ok: false,
      field: "inputPrice",
    });
  });

  it("names a provider after its kind when the name is left empty", () => {
    const result = toSaveProviderInput({ ...emptyProviderDraft("gemini"), model: "gemini-2.5-pro", apiKey: "k" }, false);
    expect(result.ok && result.value.name).toBe("Gemini");
    expect(result.ok && result.value.baseUrl).toBeNull();
  });

  it("keeps a stored key unless a new one is typed or Remove was pressed", () => {
    const keep = toSaveProviderInput(providerDraft(stored), true);
    expect(keep.ok && "apiKey" in keep.value).toBe(false);
    expect(keep.ok && keep.value.id).toBe("p1");
    expect(keep.ok && keep.value.inputPricePerMTok).toBe(2);
    const replace = toSaveProviderInput({ ...providerDraft(stored), apiKey: "new" }, true);
    expect(replace.ok && replace.value.apiKey).toBe("new");
    const remove = toSaveProviderInput({ ...providerDraft(stored), removeKey: true }, true);
    expect(remove.ok && remove.value.apiKey).toBeNull();
  });

  it("warns about plain http to another machine", () => {
    const result = toSaveProviderInput({ ...emptyProviderDraft("openai-compatible"), baseUrl: "http://llm.lan/v1", model: "m" }, false);
    expect(result.ok && result.warning).toMatch(/unencrypted/);
  });
});
