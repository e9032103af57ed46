import type { LanguageModel } from "ai";
import type { ProviderKind } from "../../../contract/index.js";
import { assertMayCarrySecret } from "../../secrets/secret-origin.js";

/** Tokens a provider reports for one request, read from its own stream events. */
export type WireUsage = { input: number | null; output: number | null };

export type ModelOptions = {
  /** The provider's base URL, already resolved (the adapter's default when the user set none). */
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** The egress-bound fetch: the only way out. */
  fetch: typeof fetch;
};

/**
 * One cloud provider behind one interface. Adapters build the AI SDK model with an explicit base URL and key so the
 * SDK never falls back to environment variables (OPENAI_BASE_URL, ANTHROPIC_API_KEY, ...), which would send
 * requests somewhere the user and the policy never saw.
 */
export type ProviderAdapter = {
  kind: ProviderKind;
  /** Shown in Settings, e.g. "Anthropic". */
  label: string;
  /** Used when the provider has no base URL; null where one is required (OpenAI-compatible servers). */
  defaultBaseUrl: string | null;
  createModel(options: ModelOptions): LanguageModel;
  /** Token usage from one decoded `data:` event of this provider's stream, or null when the event has none. */
  readUsage(event: unknown): Partial<WireUsage> | null;
  /** Whether an error answer means the key was refused (most say 401/403; Gemini says 400 API_KEY_INVALID). */
  isAuthFailure(status: number, body: string): boolean;
};

/**
 * Every adapter calls this before it builds a model with a key: refused (INSECURE_ENDPOINT) before any byte leaves
 * when the key would cross a network in clear, rather than sent, or silently left off.
 */
export function checkKeyTransport(options: Pick<ModelOptions, "baseUrl" | "apiKey">): void {
  if (options.apiKey) assertMayCarrySecret(options.baseUrl, "API keys");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-negative integer from an unknown field, or null. */
export function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

export function sumCounts(...values: unknown[]): number | null {
  let total: number | null = null;
  for (const value of values) {
    const n = count(value);
    if (n !== null) total = (total ?? 0) + n;
  }
  return total;
}
