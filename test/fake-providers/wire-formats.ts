/**
 * The streaming wire formats of the providers Hearth talks to, as their servers send them: OpenAI chat completions
 * (also what vLLM, llama.cpp server, Ollama, OpenRouter and Azure speak), Anthropic messages, and Gemini
 * streamGenerateContent with alt=sse. Each wire says which requests it answers, where it reads the key, how a
 * successful answer streams and what its error bodies look like.
 */
export type WireName = "openai" | "anthropic" | "gemini";

export type WireUsage = { input: number; output: number };

export type Wire = {
  name: WireName;
  /** Base URL path the SDK is pointed at (the fake server's URL + this). */
  basePath: string;
  /** Whether a request path (without the query) is this wire's streaming chat endpoint. */
  matches(path: string): boolean;
  /** The key as sent, or null when none was. */
  readKey(headers: Record<string, string | string[] | undefined>, url: URL): string | null;
  /** SSE frames of a successful answer: `text` split into `deltas`. */
  frames(options: { model: string; deltas: string[]; usage: WireUsage; body: Record<string, unknown> }): string[];
  /** A frame that breaks the wire format mid-stream. */
  malformedFrame: string;
  /** Status and body of an error answer, as the real service shapes them. */
  error(kind: "auth" | "rate-limit" | "server", echo: string): { status: number; body: unknown };
  modelOf(path: string, body: Record<string, unknown>): string;
};

const sse = (data: unknown, event?: string, separator = "\n\n") =>
  `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}${separator}`;

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | null => {
  const value = headers[name];
  return typeof value === "string" ? value : null;
};

export const openAiWire: Wire = {
  name: "openai",
  basePath: "/v1",
  matches: (path) => path.endsWith("/chat/completions"),
  readKey(headers) {
    const bearer = /^Bearer (.+)$/.exec(header(headers, "authorization") ?? "")?.[1] ?? null;
    return bearer ?? header(headers, "api-key");
  },
  frames({ model, deltas, usage, body }) {
    const base = { id: "chatcmpl-fake1", object: "chat.completion.chunk", created: 1_750_000_000, model, system_fingerprint: "fp_fake" };
    const frames = [sse({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] })];
    for (const content of deltas) frames.push(sse({ ...base, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] }));
    frames.push(sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] }));
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) {
      frames.push(
        sse({ ...base, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } }),
      );
    }
    frames.push(sse("[DONE]"));
    return frames;
  },
  malformedFrame: 'data: {"id":"chatcmpl-fake1","choices":[{"index":0,"delta":{"content":"broken\n\n',
  error(kind, echo) {
    if (kind === "auth") {
      return { status: 401, body: { error: { message: `Incorrect API key provided: ${echo}.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } } };
    }
    if (kind === "rate-limit") {
      return { status: 429, body: { error: { message: "Rate limit reached for requests", type: "requests", param: null, code: "rate_limit_exceeded" } } };
    }
    return { status: 500, body: { error: { message: `The server had an error while processing your request (key ${echo}).`, type: "server_error", param: null, code: null } } };
  },
  modelOf: (_path, body) => String(body.model ?? "unknown"),
};

export const anthropicWire: Wire = {
  name: "anthropic",
  basePath: "/v1",
  matches: (path) => path.endsWith("/messages"),
  readKey: (headers) => header(headers, "x-api-key"),
  frames({ model, deltas, usage }) {
    const frames = [
      sse(
        {
          type: "message_start",
          message: { id: "msg_fake1", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } },
        },
        "message_start",
      ),
      sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
      sse({ type: "ping" }, "ping"),
    ];
    for (const text of deltas) frames.push(sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, "content_block_delta"));
    frames.push(sse({ type: "content_block_stop", index: 0 }, "content_block_stop"));
    frames.push(sse({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: usage.output } }, "message_delta"));
    frames.push(sse({ type: "message_stop" }, "message_stop"));
    return frames;
  },
  malformedFrame: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\n\n',
  error(kind, echo) {
    if (kind === "auth") return { status: 401, body: { type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${echo}` } } };
    if (kind === "rate-limit") {
      return { status: 429, body: { type: "error", error: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit" } } };
    }
    return { status: 500, body: { type: "error", error: { type: "api_error", message: `Internal server error (${echo})` } } };
  },
  modelOf: (_path, body) => String(body.model ?? "unknown"),
};

export const geminiWire: Wire = {
  name: "gemini",
  basePath: "/v1beta",
  matches: (path) => /\/models\/[^/]+:streamGenerateContent$/.test(path),
  readKey: (headers, url) => header(headers, "x-goog-api-key") ?? url.searchParams.get("key"),
  frames({ model, deltas, usage }) {
    const frames: string[] = [];
    let sent = 0;
    deltas.forEach((text, index) => {
      sent += 1;
      const last = index === deltas.length - 1;
      frames.push(
        sse(
          {
            candidates: [{ content: { parts: [{ text }], role: "model" }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
            usageMetadata: { promptTokenCount: usage.input, candidatesTokenCount: last ? usage.output : sent, totalTokenCount: usage.input + (last ? usage.output : sent) },
            modelVersion: model,
            responseId: "fake-response-1",
          },
          undefined,
          "\r\n\r\n",
        ),
      );
    });
    return frames;
  },
  malformedFrame: 'data: {"candidates":[{"content":{"parts":[{"text":"broken\r\n\r\n',
  error(kind, echo) {
    if (kind === "auth") {
      // Gemini answers a wrong key with 400, not 401.
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            message: `API key not valid. Please pass a valid API key. (${echo})`,
            status: "INVALID_ARGUMENT",
            details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" }],
          },
        },
      };
    }
    if (kind === "rate-limit") return { status: 429, body: { error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" } } };
    return { status: 500, body: { error: { code: 500, message: `An internal error has occurred (${echo}).`, status: "INTERNAL" } } };
  },
  modelOf: (path) => /\/models\/([^/:]+):/.exec(path)?.[1] ?? "unknown",
};

export const wires: Record<WireName, Wire> = { openai: openAiWire, anthropic: anthropicWire, gemini: geminiWire };
