import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { checkKeyTransport, isRecord, sumCounts, type ProviderAdapter } from "./provider-adapter.js";

export const geminiAdapter: ProviderAdapter = {
  kind: "gemini",
  label: "Google Gemini",
  defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",
  createModel({ baseUrl, apiKey, model, fetch }) {
    checkKeyTransport({ baseUrl, apiKey });
    return createGoogleGenerativeAI({ baseURL: baseUrl, apiKey: apiKey ?? "", fetch })(model);
  },
  // usageMetadata is repeated, cumulative, on stream chunks; thinking tokens are billed as output.
  readUsage(event) {
    if (!isRecord(event) || !isRecord(event.usageMetadata)) return null;
    const usage = event.usageMetadata;
    return { input: sumCounts(usage.promptTokenCount), output: sumCounts(usage.candidatesTokenCount, usage.thoughtsTokenCount) };
  },
  // Gemini answers a wrong key with 400 INVALID_ARGUMENT / API_KEY_INVALID rather than 401.
  isAuthFailure: (status, body) => status === 401 || status === 403 || (status === 400 && /API_KEY_INVALID|API key not valid/i.test(body)),
};
