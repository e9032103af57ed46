import { APICallError, RetryError } from "ai";
import type { Provider } from "../../contract/index.js";
import { AppError, isAppError } from "../../contract/index.js";
import { networkCode } from "./egress.js";
import { providerAdapter } from "./providers/registry.js";

export type ErrorContext = { provider: Provider; apiKey: string | null; stallTimeoutMs: number };

/**
 * Turns whatever the SDK or the network threw into an AppError the user can act on. Messages are built from the
 * status code, the provider's name and host, and at most a short, scrubbed extract of the provider's own
 * explanation; they never include the key (some servers echo it back in their error bodies).
 */
export function toProviderError(error: unknown, context: ErrorContext): AppError {
  if (isAppError(error)) return error;
  const name = context.provider.name;
  const cause = RetryError.isInstance(error) && error.lastError !== undefined ? error.lastError : error;

  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    if (status === undefined) return networkError(cause, name, false);
    // A 2xx whose body failed while streaming: the connection, or the data, broke mid-answer.
    if (status >= 200 && status < 300) {
      const inner = cause.cause;
      if (inner instanceof TypeError || networkCode(inner) !== "network error") return networkError(inner, name, true);
      return new AppError("PROVIDER_STREAM", `${name} sent an answer Hearth could not read. Try again.`, { retryable: true });
    }
    const body = cause.responseBody ?? "";
    const adapter = providerAdapter(context.provider.kind);
    if (adapter.isAuthFailure(status, body)) {
      return new AppError(
        "PROVIDER_AUTH",
        context.apiKey
          ? `${name} did not accept the API key (HTTP ${status}). Check the key in Settings → Cloud providers.`
          : `${name} needs an API key (HTTP ${status}). Add one in Settings → Cloud providers.`,
        { cause: new Error(`HTTP ${status}`) },
      );
    }
    if (status === 429) {
      const wait = retryAfterSeconds(cause.responseHeaders);
      return new AppError(
        "PROVIDER_RATE_LIMIT",
        `${name} is limiting requests right now (HTTP 429).${wait === null ? " Try again in a minute." : ` Try again in ${formatWait(wait)}.`}`,
        { retryable: true, cause: new Error(`HTTP 429`) },
      );
    }
    if (status === 408 || status === 504) {
      return new AppError("PROVIDER_TIMEOUT", `${name} took too long to answer (HTTP ${status}). Try again.`, { retryable: true });
    }
    const detail = providerDetail(body, context.apiKey);
    if (status >= 500) {
      return new AppError("PROVIDER_HTTP", `${name} had a server error (HTTP ${status}). Try again later.${detail}`, { retryable: true });
    }
    if (status >= 300 && status < 400) {
      return new AppError("PROVIDER_HTTP", `${name} answered with a redirect (HTTP ${status}), which Hearth does not follow. Check the base URL.`);
    }
    const hint = status === 404 ? ` Check the base URL and the model name ("${context.provider.model}").` : "";
    return new AppError("PROVIDER_HTTP", `${name} refused the request (HTTP ${status}).${hint}${detail}`);
  }

  if (isNamed(cause, "AI_JSONParseError") || isNamed(cause, "AI_TypeValidationError") || isNamed(cause, "AI_InvalidResponseDataError")) {
    return new AppError("PROVIDER_STREAM", `${name} sent an answer Hearth could not read (malformed stream data). Try again.`, {
      retryable: true,
    });
  }
  if (isNamed(cause, "AI_NoOutputGeneratedError") || isNamed(cause, "AI_EmptyResponseBodyError")) {
    return new AppError("PROVIDER_STREAM", `${name} ended the answer without sending anything.`, { retryable: true });
  }
  if (cause instanceof TypeError || networkCode(cause) !== "network error") return networkError(cause, name, true);
  return new AppError("PROVIDER_STREAM", `The request to ${name} failed unexpectedly.`, { retryable: true });
}

function networkError(error: unknown, name: string, midStream: boolean): AppError {
  const code = networkCode(error);
  const why =
    code === "ECONNREFUSED" ? "the connection was refused"
    : code === "ENOTFOUND" || code === "EAI_AGAIN" ? "its host name could not be resolved"
    : code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE" ? "the connection was reset"
    : code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" ? "the connection timed out"
    : code.startsWith("ERR_TLS") || code.includes("CERT") ? "its certificate was not accepted"
    : `a network error (${code})`;
  return new AppError("NETWORK", midStream ? `The connection to ${name} was lost mid-answer: ${why}.` : `Could not reach ${name}: ${why}.`, {
    retryable: true,
  });
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

/** Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(headers: Record<string, string> | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number.parseFloat(lower["retry-after-ms"] ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const value = lower["retry-after"];
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : null;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/** A short extract of the provider's own error message, with the key and anything key-shaped removed. */
export function providerDetail(body: string, apiKey: string | null): string {
  let message: string | null = null;
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate = typeof json.error === "object" ? json.error?.message : (json.error ?? json.message);
    if (typeof candidate === "string") message = candidate;
  } catch {
    message = null;
  }
  if (!message) return "";
  // A server that quotes part of the key ("sk-abcd…") loses its explanation rather than risk showing the key.
  if (apiKey && sharesRun(message, apiKey, 8)) return "";
  const clean = scrubSecrets(message, apiKey).replace(/\s+/g, " ").trim().slice(0, 200);
  return clean ? ` ${/[.!?]$/.test(clean) ? clean : `${clean}.`}` : "";
}

/** Removes the key (and any long token-like run that could be part of one) from text shown to the user. */
export function scrubSecrets(text: string, apiKey: string | null): string {
  let out = apiKey && apiKey.length >= 4 ? text.split(apiKey).join("[key]") : text;
  out = out.replace(/[A-Za-z0-9_\-*.]*[A-Za-z0-9]{20,}[A-Za-z0-9_\-*.]*/g, "[redacted]");
  return out;
}

function sharesRun(text: string, secret: string, length: number): boolean {
  if (secret.length < length) return text.includes(secret);
  for (let i = 0; i + length <= secret.length; i++) if (text.includes(secret.slice(i, i + length))) return true;
  return false;
}
