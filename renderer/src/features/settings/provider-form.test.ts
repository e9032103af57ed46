import { describe, expect, it } from "vitest";
import type { Provider } from "../../api/contract.js";
import { emptyProviderDraft, keyStatus, providerDraft, toSaveProviderInput } from "./provider-form.js";

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
      keyWarning: null,
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

  it("says before saving that a base URL on another host removes the stored key", () => {
    const origin = "http://127.0.0.1:4010";
    const moved = toSaveProviderInput({ ...providerDraft(stored), baseUrl: "http://localhost:4010/v1" }, true, origin);
    expect(moved.ok && moved.keyWarning).toBe(
      "Saving removes the stored key: it was entered for http://127.0.0.1:4010, and http://localhost:4010 is another host. Enter the key again for the new host.",
    );
    // Same origin (another path), a new key typed, or Remove pressed: nothing to warn about.
    expect(toSaveProviderInput({ ...providerDraft(stored), baseUrl: "http://127.0.0.1:4010/v2" }, true, origin)).toMatchObject({ ok: true, keyWarning: null });
    expect(toSaveProviderInput({ ...providerDraft(stored), baseUrl: "http://localhost:4010/v1", apiKey: "k2" }, true, origin)).toMatchObject({ ok: true, keyWarning: null });
    expect(toSaveProviderInput({ ...providerDraft(stored), baseUrl: "http://localhost:4010/v1", removeKey: true }, true, origin)).toMatchObject({ ok: true, keyWarning: null });
    // An emptied base URL means the kind's public endpoint, another host too.
    const openai = { ...stored, kind: "openai" as const, baseUrl: "https://proxy.example.org/v1" };
    const reset = toSaveProviderInput({ ...providerDraft(openai), baseUrl: "" }, true, "https://proxy.example.org");
    expect(reset.ok && reset.keyWarning).toMatch(/entered for https:\/\/proxy\.example\.org, and https:\/\/api\.openai\.com is another host/);
  });

  it("refuses a typed key for plain http to another machine", () => {
    const result = toSaveProviderInput({ ...emptyProviderDraft("openai-compatible"), baseUrl: "http://llm.lan/v1", model: "m", apiKey: "sk-1" }, false);
    expect(result).toMatchObject({ ok: false, field: "apiKey", message: expect.stringMatching(/only over https/) });
    expect(toSaveProviderInput({ ...emptyProviderDraft("openai-compatible"), baseUrl: "http://[::1]:8000/v1", model: "m", apiKey: "sk-1" }, false)).toMatchObject({ ok: true });
  });

  it("says where a stored key is sent", () => {
    expect(keyStatus({ hasKey: true, keyOrigin: "https://api.openai.com" })).toBe("Stored, sent only to https://api.openai.com");
    expect(keyStatus({ hasKey: false, keyOrigin: null })).toBe("None stored");
  });
});
