import type { Provider, ProviderKind } from "../../../contract/index.js";
import { AppError } from "../../../contract/index.js";
import { anthropicAdapter } from "./anthropic.js";
import { geminiAdapter } from "./gemini.js";
import { openAiCompatibleAdapter } from "./openai-compatible.js";
import { openAiAdapter } from "./openai.js";
import type { ProviderAdapter } from "./provider-adapter.js";

/** Every provider kind of the contract has exactly one adapter (the registry test checks it). */
export const providerAdapters: Readonly<Record<ProviderKind, ProviderAdapter>> = {
  openai: openAiAdapter,
  "openai-compatible": openAiCompatibleAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export function providerAdapter(kind: ProviderKind): ProviderAdapter {
  return providerAdapters[kind];
}

/** The base URL requests go to: the provider's own, or its kind's public endpoint. */
export function effectiveBaseUrl(provider: Pick<Provider, "kind" | "baseUrl" | "name">): string {
  const url = provider.baseUrl ?? providerAdapter(provider.kind).defaultBaseUrl;
  if (!url) throw new AppError("INVALID_INPUT", `${provider.name} needs a base URL (the server's address, e.g. http://localhost:8000/v1).`);
  return url;
}
