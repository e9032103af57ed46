import { createOpenAI } from "@ai-sdk/openai";
import { checkKeyTransport, count, isRecord, type ProviderAdapter } from "./provider-adapter.js";

/** `usage` as OpenAI's chat completions stream sends it in its last chunk (stream_options.include_usage). */
export function readOpenAiUsage(event: unknown): { input: number | null; output: number | null } | null {
  if (!isRecord(event) || !isRecord(event.usage)) return null;
  return { input: count(event.usage.prompt_tokens), output: count(event.usage.completion_tokens) };
}

export const openAiAdapter: ProviderAdapter = {
  kind: "openai",
  label: "OpenAI",
  defaultBaseUrl: "https://api.openai.com/v1",
  createModel({ baseUrl, apiKey, model, fetch }) {
    checkKeyTransport({ baseUrl, apiKey });
    // Chat Completions rather than the SDK's default Responses API: the same wire format as every
    // OpenAI-compatible server and Azure, and no server-side conversation state is kept.
    return createOpenAI({ baseURL: baseUrl, apiKey: apiKey ?? "", fetch }).chat(model);
  },
  readUsage: readOpenAiUsage,
  isAuthFailure: (status) => status === 401 || status === 403,
};
