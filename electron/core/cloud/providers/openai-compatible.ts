import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { readOpenAiUsage } from "./openai.js";
import { checkKeyTransport, type ProviderAdapter } from "./provider-adapter.js";

/** Azure OpenAI takes its key in an `api-key` header; every other compatible server takes a Bearer token. */
export function isAzureHost(host: string): boolean {
  return /(^|\.)(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i.test(host);
}

export const openAiCompatibleAdapter: ProviderAdapter = {
  kind: "openai-compatible",
  label: "OpenAI-compatible server",
  defaultBaseUrl: null,
  createModel({ baseUrl, apiKey, model, fetch }) {
    checkKeyTransport({ baseUrl, apiKey });
    const url = new URL(baseUrl);
    // A query in the base URL (Azure's ?api-version=...) is kept on every request.
    const queryParams = Object.fromEntries(url.searchParams);
    url.search = "";
    const azure = isAzureHost(url.hostname);
    return createOpenAICompatible({
      name: "openai-compatible",
      baseURL: url.toString().replace(/\/+$/, ""),
      ...(apiKey && !azure ? { apiKey } : {}),
      ...(apiKey && azure ? { headers: { "api-key": apiKey } } : {}),
      ...(Object.keys(queryParams).length > 0 ? { queryParams } : {}),
      // vLLM, llama.cpp server, Ollama, OpenRouter and Azure all accept stream_options.include_usage.
      includeUsage: true,
      fetch,
    }).chatModel(model);
  },
  readUsage: readOpenAiUsage,
  isAuthFailure: (status) => status === 401 || status === 403,
};
