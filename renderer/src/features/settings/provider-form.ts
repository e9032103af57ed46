import type { MethodInput, Provider, ProviderKind } from "../../api/contract.js";
import { originOf } from "./endpoint.js";

export type ProviderKindInfo = {
  kind: ProviderKind;
  label: string;
  defaultName: string;
  modelPlaceholder: string;
  /** Shown in the base URL field; for openai-compatible the field is required. */
  baseUrlPlaceholder: string;
  needsBaseUrl: boolean;
  /** Where requests (and the key) go when the base URL is left empty; null where one is required. */
  defaultBaseUrl: string | null;
};

export const providerKinds: readonly ProviderKindInfo[] = [
  { kind: "openai", label: "OpenAI", defaultName: "OpenAI", modelPlaceholder: "gpt-4.1", baseUrlPlaceholder: "https://api.openai.com/v1 (default)", needsBaseUrl: false, defaultBaseUrl: "https://api.openai.com/v1" },
  {
    kind: "openai-compatible",
    label: "OpenAI-compatible (vLLM, llama.cpp, Ollama, OpenRouter, Azure…)",
    defaultName: "My server",
    modelPlaceholder: "llama-3.3-70b-instruct",
    baseUrlPlaceholder: "https://llm.example.org/v1",
    needsBaseUrl: true,
    defaultBaseUrl: null,
  },
  {
    kind: "anthropic",
    label: "Anthropic",
    defaultName: "Anthropic",
    modelPlaceholder: "claude-sonnet-4-5",
    baseUrlPlaceholder: "https://api.anthropic.com/v1 (default)",
    needsBaseUrl: false,
    defaultBaseUrl: "https://api.anthropic.com/v1",
  },
  {
    kind: "gemini",
    label: "Google Gemini",
    defaultName: "Gemini",
    modelPlaceholder: "gemini-2.5-pro",
    baseUrlPlaceholder: "https://generativelanguage.googleapis.com/v1beta (default)",
    needsBaseUrl: false,
    defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",
  },
];

export function providerKindInfo(kind: ProviderKind): ProviderKindInfo {
  return providerKinds.find((k) => k.kind === kind) ?? providerKinds[0]!;
}

/** The form as typed. The key field is write-only: empty means "keep what is stored". */
export type ProviderDraft = {
  id: string | null;
  kind: ProviderKind;
  name: string;
  baseUrl: string;
  model: string;
  apiKey: string;
  /** The user pressed Remove on the stored key. */
  removeKey: boolean;
  inputPrice: string;
  outputPrice: string;
};

export function emptyProviderDraft(kind: ProviderKind = "openai"): ProviderDraft {
  return { id: null, kind, name: "", baseUrl: "", model: "", apiKey: "", removeKey: false, inputPrice: "", outputPrice: "" };
}

export function providerDraft(provider: Provider): ProviderDraft {
  return {
    id: provider.id,
    kind: provider.kind,
    name: provider.name,
    baseUrl: provider.baseUrl ?? "",
    model: provider.model,
    apiKey: "",
    removeKey: false,
    inputPrice: provider.inputPricePerMTok === null ? "" : String(provider.inputPricePerMTok),
    outputPrice: provider.outputPricePerMTok === null ? "" : String(provider.outputPricePerMTok),
  };
}

export type ProviderField = "name" | "baseUrl" | "model" | "apiKey" | "inputPrice" | "outputPrice";
export type ProviderFormResult =
  | {
      ok: true;
      value: MethodInput<"saveProvider">;
      warning: string | null;
      /** Saving removes the stored key (the base URL moves to another host): said before Save. */
      keyWarning: string | null;
    }
  | { ok: false; field: ProviderField; message: string };

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\./.test(hostname);
}

function parsePrice(text: string): number | null | undefined {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Checks the form and builds what saveProvider takes; the key is sent only when typed (or null to remove it).
 * `storedKeyOrigin` is where the stored key is bound (Provider.keyOrigin): a base URL on another origin removes it.
 */
export function toSaveProviderInput(draft: ProviderDraft, hasStoredKey: boolean, storedKeyOrigin: string | null = null): ProviderFormResult {
  const info = providerKindInfo(draft.kind);
  const name = draft.name.trim() || info.defaultName;
  const model = draft.model.trim();
  if (model === "") return { ok: false, field: "model", message: `Enter the model to use, e.g. ${info.modelPlaceholder}.` };

  let baseUrl: string | null = null;
  let warning: string | null = null;
  let insecure = false;
  const typedUrl = draft.baseUrl.trim();
  if (typedUrl === "") {
    if (info.needsBaseUrl) return { ok: false, field: "baseUrl", message: "An OpenAI-compatible server needs its base URL, e.g. https://llm.example.org/v1." };
  } else {
    let url: URL;
    try {
      url = new URL(typedUrl);
    } catch {
      return { ok: false, field: "baseUrl", message: "Enter a full address starting with https://." };
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, field: "baseUrl", message: "The address must start with https:// (or http://)." };
    if (url.username || url.password) return { ok: false, field: "baseUrl", message: "Leave credentials out of the address; put the key in the API key field." };
    baseUrl = typedUrl.replace(/\/+$/, "");
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
      insecure = true;
      warning = "This address uses plain http: your messages would cross the network unencrypted, and Hearth will not send a key to it.";
    }
  }

  const key = draft.apiKey.trim();
  if (!hasStoredKey && key === "" && draft.kind !== "openai-compatible") {
    return { ok: false, field: "apiKey", message: `${info.label} needs an API key.` };
  }
  if (key !== "" && insecure) {
    return { ok: false, field: "apiKey", message: "Hearth sends keys only over https (or to this computer). Use the server's https:// address." };
  }
  const newOrigin = originOf(baseUrl ?? info.defaultBaseUrl ?? "");
  const keyWarning =
    hasStoredKey && key === "" && !draft.removeKey && storedKeyOrigin !== null && newOrigin !== storedKeyOrigin
      ? `Saving removes the stored key: it was entered for ${storedKeyOrigin}, and ${newOrigin ?? "the new base URL"} is another host. Enter the key again for the new host.`
      : null;
  const inputPrice = parsePrice(draft.inputPrice);
  if (inputPrice === undefined) return { ok: false, field: "inputPrice", message: "Prices are numbers, in US dollars per million tokens." };
  const outputPrice = parsePrice(draft.outputPrice);
  if (outputPrice === undefined) return { ok: false, field: "outputPrice", message: "Prices are numbers, in US dollars per million tokens." };

  const value: MethodInput<"saveProvider"> = {
    ...(draft.id ? { id: draft.id } : {}),
    kind: draft.kind,
    name,
    baseUrl,
    model,
    inputPricePerMTok: inputPrice,
    outputPricePerMTok: outputPrice,
  };
  if (key !== "") value.apiKey = key;
  else if (draft.removeKey && hasStoredKey) value.apiKey = null;
  return { ok: true, value, warning, keyWarning };
}

/** Whether a key is stored and where it goes, for the providers list (the key itself is never shown). */
export function keyStatus(provider: Pick<Provider, "hasKey" | "keyOrigin">): string {
  if (!provider.hasKey) return "None stored";
  return provider.keyOrigin ? `Stored, sent only to ${provider.keyOrigin}` : "Stored";
}
