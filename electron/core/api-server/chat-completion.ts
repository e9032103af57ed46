import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { defaultSamplingSettings, type SamplingSettings } from "../../contract/index.js";
import type { GenerateResult } from "../engine/engine.js";
import type { ApiEngine, ApiModel } from "./api-engine.js";
import type { ApiGate } from "./api-gate.js";
import { cacheKeyOf, promptOf } from "./api-prompt.js";
import { maxTokensOf, stopsOf, type ChatCompletionRequest } from "./chat-request.js";
import { SseWriter } from "./sse-writer.js";
import { StopSequences } from "./stop-sequences.js";
import { structuredFieldsOf, toolCallsOf, type ApiToolCall } from "./structured-output.js";

/** The context the API asks for when the model is not loaded already (a loaded one's is used as it is). */
export const API_CONTEXT_SIZE = 4096;

export type CompletionOutcome = { inputTokens: number | null; outputTokens: number | null };

type Deps = {
  engine: ApiEngine;
  gate: ApiGate;
  apiKey: string;
  generationTimeoutMs: number;
  /** CORS headers (when an allowed page calls) go on every response. */
  headers: Record<string, string>;
};

/**
 * One chat completion, streamed or not. The request waits its turn at the API gate (so the app's own chats queue
 * behind at most one API answer), then runs through the engine with the same context builder as the app's chats.
 * The client going away aborts the engine; so does a stop string, or running past the generation timeout.
 */
export async function runChatCompletion(
  deps: Deps,
  request: ChatCompletionRequest,
  model: ApiModel,
  client: string,
  response: ServerResponse,
  signal: AbortSignal,
): Promise<CompletionOutcome> {
  const prompt = promptOf(request.messages);
  const structured = structuredFieldsOf(request);
  const release = await deps.gate.acquire(client, signal);
  const id = `chatcmpl-${randomBytes(12).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const stops = new StopSequences(stopsOf(request));
  const stopper = new AbortController();
  const timeout = AbortSignal.timeout(deps.generationTimeoutMs);
  const generationSignal = AbortSignal.any([signal, stopper.signal, timeout]);
  const stream = request.stream === true ? new SseWriter(response, deps.headers) : null;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: model.id,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  let text = "";
  let sentRole = false;
  const emit = (piece: string) => {
    if (!piece) return;
    text += piece;
    if (!stream) return;
    stream.send(chunk(sentRole ? { content: piece } : { role: "assistant", content: piece }, null));
    sentRole = true;
  };

  let result: GenerateResult;
  try {
    // The role comes first, before the model has written anything, so a client sees the stream is alive.
    if (stream) {
      stream.send(chunk({ role: "assistant", content: "" }, null));
      sentRole = true;
    }
    const loaded = deps.engine.loadedInfo();
    result = await deps.engine.generate({
      model: { id: model.id, path: model.path, name: model.name },
      conversationId: cacheKeyOf(deps.apiKey, model.id, request.messages),
      // The loaded model's context when it is this one: asking for another size would reload it under the app.
      contextSize: loaded?.modelId === model.id ? loaded.contextSize : Math.min(API_CONTEXT_SIZE, model.trainContextLength ?? API_CONTEXT_SIZE),
      prompt,
      temperature: request.temperature ?? 1,
      sampling: samplingOf(request),
      maxOutputTokens: maxTokensOf(request),
      signal: generationSignal,
      onTextDelta: (delta) => {
        emit(stops.push(delta));
        if (stops.hit) stopper.abort();
      },
      // Reasoning is not part of OpenAI's chat completion; the answer alone is sent.
      onReasoningDelta: () => {},
      ...structured,
    });
  } finally {
    release();
  }
  emit(stops.flush());

  const toolCalls: ApiToolCall[] = toolCallsOf(result);
  const finishReason =
    toolCalls.length > 0 ? "tool_calls" : stops.hit ? "stop" : result.stopReason === "maxTokens" || timeout.aborted ? "length" : "stop";
  const usage = {
    prompt_tokens: result.context.usedTokens,
    completion_tokens: result.stats.outputTokens,
    total_tokens: result.context.usedTokens + result.stats.outputTokens,
    // A follow-up finds its conversation's opening in the KV cache: only the rest is evaluated again.
    prompt_tokens_details: { cached_tokens: Math.max(0, result.context.usedTokens - result.stats.evaluatedInputTokens) },
  };
  const outcome = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  if (signal.aborted) return outcome;

  if (stream) {
    if (toolCalls.length > 0) {
      stream.send(chunk({ tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }, null));
    }
    stream.send(chunk({}, finishReason));
    if (request.stream_options?.include_usage) {
      stream.send({ id, object: "chat.completion.chunk", created, model: model.id, system_fingerprint: null, choices: [], usage });
    }
    stream.done();
    return outcome;
  }
  const body = {
    id,
    object: "chat.completion",
    created,
    model: model.id,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: toolCalls.length > 0 && text === "" ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage,
  };
  response.writeHead(200, { ...deps.headers, "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
  return outcome;
}

/** OpenAI's sampling knobs onto the engine's; penalties it has no equivalent for are left at their defaults. */
function samplingOf(request: ChatCompletionRequest): SamplingSettings {
  return {
    ...defaultSamplingSettings,
    topP: request.top_p ?? defaultSamplingSettings.topP,
    seed: request.seed == null ? null : ((request.seed % 4_294_967_296) + 4_294_967_296) % 4_294_967_296,
  };
}
