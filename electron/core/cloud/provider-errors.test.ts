import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import type { Provider } from "../../contract/index.js";
import { providerDetail, retryAfterSeconds, scrubSecrets, toProviderError } from "./provider-errors.js";

const provider: Provider = { id: "p", kind: "gemini", name: "Gemini", baseUrl: null, model: "gemini-2.5-pro", hasKey: true, inputPricePerMTok: null, outputPricePerMTok: null, createdAt: 0 };
const key = "AIzaSyD-SECRET-0123456789abcdefghij";
const apiError = (statusCode: number, responseBody: string, responseHeaders: Record<string, string> = {}) =>
  new APICallError({ message: "x", url: "https://generativelanguage.googleapis.com/v1beta/models/m", requestBodyValues: {}, statusCode, responseBody, responseHeaders });

describe("toProviderError", () => {
  it("maps Gemini's 400 API_KEY_INVALID to PROVIDER_AUTH", () => {
    const error = toProviderError(apiError(400, `{"error":{"message":"API key not valid ${key}","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}`), { provider, apiKey: key, stallTimeoutMs: 1 });
    expect(error.code).toBe("PROVIDER_AUTH");
    expect(error.message).not.toContain(key);
  });

  it("keeps a useful, scrubbed provider explanation for other 4xx answers", () => {
    const error = toProviderError(apiError(404, '{"error":{"message":"models/gemini-9 is not found for API version v1beta"}}'), { provider, apiKey: key, stallTimeoutMs: 1 });
    expect(error).toMatchObject({ code: "PROVIDER_HTTP", retryable: false });
    expect(error.message).toBe('Gemini refused the request (HTTP 404). Check the base URL and the model name ("gemini-2.5-pro"). models/gemini-9 is not found for API version v1beta.');
    const leaky = toProviderError(apiError(400, `{"error":{"message":"bad request for key ${key.slice(0, 12)}****"}}`), { provider, apiKey: key, stallTimeoutMs: 1 });
    expect(leaky.message).toBe("Gemini refused the request (HTTP 400).");
  });

  it("reads retry-after in seconds, milliseconds or as a date", () => {
    expect(retryAfterSeconds({ "retry-after": "20" })).toBe(20);
    expect(retryAfterSeconds({ "Retry-After-Ms": "1500" })).toBe(2);
    expect(retryAfterSeconds({ "retry-after": new Date(10_000 + 65_000).toUTCString() }, 10_000)).toBe(65);
    expect(retryAfterSeconds({ "retry-after": "soon" })).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
    const limited = toProviderError(apiError(429, "{}", { "retry-after": "120" }), { provider, apiKey: key, stallTimeoutMs: 1 });
    expect(limited).toMatchObject({ code: "PROVIDER_RATE_LIMIT", retryable: true, message: "Gemini is limiting requests right now (HTTP 429). Try again in 2 min." });
  });

  it("scrubs the key and anything key-shaped", () => {
    expect(scrubSecrets(`bad key ${key}!`, key)).toBe("bad key [key]!");
    expect(scrubSecrets("token sk-abcdefghijklmnopqrstuvwxyz0123 here", null)).toBe("token [redacted] here");
    expect(providerDetail("not json", key)).toBe("");
    expect(providerDetail('{"message":"Model is overloaded"}', key)).toBe(" Model is overloaded.");
  });
});
