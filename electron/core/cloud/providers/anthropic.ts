import { createAnthropic } from "@ai-sdk/anthropic";
import { checkKeyTransport, count, isRecord, sumCounts, type ProviderAdapter, type WireUsage } from "./provider-adapter.js";

/** `message_start` carries the input tokens, `message_delta` the (cumulative) output tokens. */
function readAnthropicUsage(event: unknown): Partial<WireUsage> | null {
  if (!isRecord(event)) return null;
  const usage = event.type === "message_start" && isRecord(event.message) ? event.message.usage : event.usage;
  if (!isRecord(usage)) return null;
  const result: Partial<WireUsage> = {};
  const input = sumCounts(usage.input_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens);
  if (input !== null) result.input = input;
  const output = count(usage.output_tokens);
  if (output !== null) result.output = output;
  return result;
}

export const anthropicAdapter: ProviderAdapter = {
  kind: "anthropic",
  label: "Anthropic",
  defaultBaseUrl: "https://api.anthropic.com/v1",
  createModel({ baseUrl, apiKey, model, fetch }) {
    checkKeyTransport({ baseUrl, apiKey });
    return createAnthropic({ baseURL: baseUrl, apiKey: apiKey ?? "", fetch })(model);
  },
  readUsage: readAnthropicUsage,
  isAuthFailure: (status) => status === 401 || status === 403,
};
