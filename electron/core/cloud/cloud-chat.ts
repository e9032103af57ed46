import { streamText, type ModelMessage } from "ai";
import type { PayloadMessage, Provider } from "../../contract/index.js";
import { AppError, isAppError } from "../../contract/index.js";
import { toProviderError } from "./provider-errors.js";
import { effectiveBaseUrl, providerAdapter } from "./providers/registry.js";

export type CloudChatRequest = {
  provider: Provider;
  apiKey: string | null;
  /** Exactly what is sent (already redacted): system first if any, then the turns. */
  payload: PayloadMessage[];
  temperature: number;
  maxOutputTokens: number | null;
  signal: AbortSignal;
  /** The egress-bound fetch from EgressGate.chatFetch: the only way out. */
  fetch: typeof fetch;
  onTextDelta: (text: string) => void;
  /** No byte for this long ends the request with PROVIDER_TIMEOUT. */
  stallTimeoutMs?: number;
  /**
   * The body the user saw in the preview (requestBodyFor). When set, a request whose body differs by one byte is
   * refused before it reaches the egress gate, so nothing leaves that the user did not see.
   */
  expectedBody?: string;
};

/** What decides the request body: the provider (kind, base URL, model), the redacted payload and the parameters. */
export type CloudBodyRequest = Pick<CloudChatRequest, "provider" | "payload" | "temperature" | "maxOutputTokens">;

export type CloudChatResult = { text: string; tokensIn: number | null; tokensOut: number | null; finishReason: string };

export const defaultStallTimeoutMs = 30_000;

/** Streams one answer from a provider through the AI SDK; failures become AppErrors (PROVIDER_AUTH, …_RATE_LIMIT, …). */
export async function streamCloudChat(request: CloudChatRequest): Promise<CloudChatResult> {
  return run(request, { temperature: request.temperature, maxOutputTokens: request.maxOutputTokens });
}

/**
 * The exact request body a send with these inputs puts on the wire, built by the same adapter and SDK call as the
 * send itself against a fetch that records the body and answers nothing, so no byte leaves and the preview cannot
 * drift from what the gate later sends.
 */
export async function requestBodyFor(request: CloudBodyRequest): Promise<string> {
  let captured: string | null = null;
  const capture: typeof fetch = async (_input, init) => {
    captured = bodyText(init?.body);
    throw new AppError("ABORTED", "Preview only: nothing is sent.");
  };
  const controller = new AbortController();
  try {
    await run(
      { provider: request.provider, apiKey: null, payload: request.payload, signal: controller.signal, fetch: capture, onTextDelta: () => {} },
      { temperature: request.temperature, maxOutputTokens: request.maxOutputTokens },
    );
  } catch (error) {
    if (captured === null) throw error;
  }
  if (captured === null) throw new AppError("INTERNAL", "The request body could not be built for the preview.");
  return captured;
}

/** A tiny request to check key and base URL. */
export async function testProviderConnection(
  request: Omit<CloudChatRequest, "payload" | "onTextDelta" | "temperature" | "maxOutputTokens">,
): Promise<{ ok: boolean; message: string; latencyMs: number | null }> {
  const started = performance.now();
  try {
    await run(
      { ...request, payload: [{ role: "user", content: "Reply with the single word: ok" }], onTextDelta: () => {} },
      // No temperature: reasoning models refuse one. A few tokens prove the key, the URL and the model name.
      { temperature: null, maxOutputTokens: 16 },
    );
    const latencyMs = Math.round(performance.now() - started);
    return { ok: true, message: `Connected to ${request.provider.name} (${request.provider.model}) in ${latencyMs} ms.`, latencyMs };
  } catch (error) {
    const appError = isAppError(error) ? error : toProviderError(error, { provider: request.provider, apiKey: request.apiKey, stallTimeoutMs: 0 });
    return { ok: false, message: appError.message, latencyMs: null };
  }
}

async function run(
  request: Omit<CloudChatRequest, "temperature" | "maxOutputTokens">,
  settings: { temperature: number | null; maxOutputTokens: number | null },
): Promise<CloudChatResult> {
  const { provider, apiKey } = request;
  const stallTimeoutMs = request.stallTimeoutMs ?? defaultStallTimeoutMs;
  const errorContext = { provider, apiKey, stallTimeoutMs };
  if (request.signal.aborted) throw new AppError("ABORTED", "Stopped.");

  // One controller for the SDK call: the user's Stop and the stall timer both end it, each with its own reason,
  // and the egress gate reads that reason to close the audit entry as "aborted" or as the error it was.
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(new AppError("ABORTED", "Stopped."));
  request.signal.addEventListener("abort", onUserAbort, { once: true });
  let stallTimer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      controller.abort(
        new AppError("PROVIDER_TIMEOUT", `${provider.name} stopped answering for ${formatSeconds(stallTimeoutMs)}; the request was ended.`, {
          retryable: true,
        }),
      );
    }, stallTimeoutMs);
  };

  const model = providerAdapter(provider.kind).createModel({
    baseUrl: effectiveBaseUrl(provider),
    apiKey,
    model: provider.model,
    fetch: watchForStalls(request.expectedBody === undefined ? request.fetch : onlyExpectedBody(request.fetch, request.expectedBody, provider), touch),
  });
  const { system, messages } = splitSystem(request.payload);

  let text = "";
  let tokensIn: number | null = null;
  let tokensOut: number | null = null;
  let finishReason = "unknown";
  let failure: AppError | null = null;
  touch();
  try {
    const result = streamText({
      model,
      ...(system === undefined ? {} : { system }),
      messages,
      allowSystemInMessages: true,
      ...(settings.temperature === null ? {} : { temperature: settings.temperature }),
      ...(settings.maxOutputTokens === null ? {} : { maxOutputTokens: settings.maxOutputTokens }),
      abortSignal: controller.signal,
      // No retries: the chat flow fails over to the local model, so a retry loop here would only delay the answer.
      // A 429 is reported at once with the provider's retry-after instead.
      maxRetries: 0,
      // The SDK's default logs the whole error (request body included) to the console.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        text += part.text;
        request.onTextDelta(part.text);
      } else if (part.type === "finish") {
        finishReason = part.finishReason;
        tokensIn = part.totalUsage.inputTokens ?? null;
        tokensOut = part.totalUsage.outputTokens ?? null;
      } else if (part.type === "error") {
        // After our own abort (Stop, stall) the SDK reports whatever the cut connection threw; the reason is the truth.
        failure = toProviderError(controller.signal.aborted ? controller.signal.reason : part.error, errorContext);
        break;
      } else if (part.type === "abort") {
        break;
      }
    }
  } catch (error) {
    failure = toProviderError(controller.signal.aborted ? controller.signal.reason : error, errorContext);
  } finally {
    clearTimeout(stallTimer);
    request.signal.removeEventListener("abort", onUserAbort);
  }
  if (!failure && controller.signal.aborted) failure = toProviderError(controller.signal.reason, errorContext);
  if (!failure && finishReason === "error") failure = new AppError("PROVIDER_STREAM", `${provider.name} ended the answer with an error.`, { retryable: true });
  if (failure) {
    // Ends the request (if still open) with the failure as its reason, which the egress gate records.
    if (!controller.signal.aborted) controller.abort(failure);
    throw failure;
  }
  return { text, tokensIn, tokensOut, finishReason };
}

/** Leading system messages become the SDK's `system` (each provider's own field for it); the rest are turns. */
function splitSystem(payload: readonly PayloadMessage[]): { system: string | undefined; messages: ModelMessage[] } {
  let first = 0;
  while (first < payload.length && payload[first]!.role === "system") first++;
  const system = first === 0 ? undefined : payload.slice(0, first).map((m) => m.content).join("\n\n");
  const messages = payload.slice(first).map((m): ModelMessage => ({ role: m.role, content: m.content }));
  return { system, messages };
}

/** The SDK sends its JSON body as a string; anything else would not be what a preview can show. */
function bodyText(body: RequestInit["body"]): string | null {
  return typeof body === "string" ? body : null;
}

/** Refuses (before the egress gate, so nothing leaves) a request whose body is not byte for byte the previewed one. */
function onlyExpectedBody(fetchImpl: typeof fetch, expected: string, provider: Provider): typeof fetch {
  return async (input, init) => {
    if (bodyText(init?.body) !== expected) {
      throw new AppError(
        "EGRESS_BLOCKED",
        `What would be sent to ${provider.name} is no longer what you reviewed (a setting or the provider changed). Nothing was sent.`,
      );
    }
    return fetchImpl(input, init);
  };
}

/** Wraps the egress fetch so every byte that arrives (and the request itself) restarts the stall timer. */
function watchForStalls(fetchImpl: typeof fetch, touch: () => void): typeof fetch {
  return async (input, init) => {
    touch();
    const response = await fetchImpl(input, init);
    touch();
    if (!response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          touch();
          controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
