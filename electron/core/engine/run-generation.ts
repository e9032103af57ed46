import { LlamaChat, type ChatHistoryItem, type ChatModelFunctions, type ChatWrapper, type Llama, type LlamaContextSequence, type LlamaModel } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";
import { budgetFor, build, overBudgetError } from "../chat/context/context-builder.js";
import { reasoningFor, toLlamaChatHistory } from "../chat/context/llama-history.js";
import type { Logger } from "../core-types.js";
import { confidencePlugin } from "./confidence-plugin.js";
import type { ContextUse, EnginePart, GenerateRequest, GenerateResult, StreamRequest } from "./engine-types.js";
import { finishReasonOf } from "./finish-reason.js";
import { forcedCallWrapper } from "./functions.js";
import { constraintOf, promptCounter, resolveShape } from "./generation-options.js";
import { samplingOptions } from "./sampling-options.js";

/** The loaded model a generation runs on, and the one sequence it holds for this generation. */
export type GenerationTarget = {
  llama: Llama;
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  sequence: LlamaContextSequence;
  /** The context the prompt is built for: the request's size, never more than the loaded context. */
  contextSize: number;
  logger?: Logger;
};

/**
 * The prompt, built by the one context builder with this model's tokenizer and chat template, within the requested
 * context less room for the answer. Past the limit, LlamaChat would shift the context without a word; instead the
 * oldest turns are dropped (and the result says so) or the answer fails with CONTEXT_FULL.
 */
function buildPrompt(
  target: GenerationTarget,
  request: StreamRequest,
  functions: ChatModelFunctions | undefined,
): { history: ChatHistoryItem[]; context: ContextUse } {
  const built = build({
    ...request.prompt,
    budget: budgetFor(target.contextSize, request.maxOutputTokens),
    countTokens: promptCounter(target.chatWrapper, target.model.tokenizer, functions),
    overflow: request.prompt.overflow ?? "drop-oldest",
    reasoning: reasoningFor(target.chatWrapper),
  });
  if (built.status === "over-budget") throw overBudgetError(built);
  const { usedTokens, branchTokens, budgetTokens, dropped, notice } = built;
  return { history: toLlamaChatHistory(built.messages), context: { usedTokens, branchTokens, budgetTokens, dropped, notice } };
}

/**
 * One answer on one sequence: deltas go to `emit` as they come, then the calls and the finish. The sequence keeps
 * what it evaluated, so the next generation under the same cache key evaluates only what is new (LlamaChat
 * compares tokens). Shared by `generate` (callbacks) and `stream` (parts).
 */
export async function runGeneration(
  target: GenerationTarget,
  request: StreamRequest,
  loadMs: number | null,
  emit: (part: EnginePart) => void,
): Promise<GenerateResult> {
  const shape = await resolveShape(target.llama, request);
  const { history, context } = buildPrompt(target, request, shape.functions);
  const { sequence } = target;
  const plugin = request.collectConfidence ? confidencePlugin(sequence) : null;
  // LlamaChat is a thin view over the sequence, cheap to make for one answer (a forced call needs its own wrapper).
  const chat = new LlamaChat({
    contextSequence: sequence,
    chatWrapper: shape.forceCall ? forcedCallWrapper(target.chatWrapper) : target.chatWrapper,
  });
  const meterBefore = sequence.tokenMeter.getState();
  const started = performance.now();
  let firstTokenAt: number | null = null;
  let outputTokens = 0;
  let text = "";
  let reasoning = "";
  try {
    const response = await chat.generateResponse(history, {
      ...constraintOf(shape),
      ...(shape.customStopTriggers ? { customStopTriggers: shape.customStopTriggers } : {}),
      signal: request.signal,
      stopOnAbortSignal: true,
      temperature: request.temperature,
      ...samplingOptions(request.sampling),
      maxTokens: request.maxOutputTokens ?? undefined,
      onToken: (tokens) => {
        firstTokenAt ??= performance.now();
        outputTokens += tokens.length;
        plugin?.onToken(tokens);
      },
      onResponseChunk: (chunk) => {
        if (chunk.type === "segment") {
          if (chunk.segmentType === "thought" && chunk.text) {
            reasoning += chunk.text;
            emit({ type: "reasoning", text: chunk.text });
          }
          return;
        }
        if (chunk.text) {
          text += chunk.text;
          emit({ type: "text", text: chunk.text });
        }
      },
    });
    const ended = performance.now();
    const meterAfter = sequence.tokenMeter.getState();
    const decodeMs = firstTokenAt != null ? ended - firstTokenAt : 0;
    const functionCalls = (response.functionCalls ?? []).map((call) => ({ name: call.functionName, params: call.params as unknown }));
    for (const call of functionCalls) emit({ type: "tool-call", ...call });
    const result: GenerateResult = {
      text: response.response.length >= text.length ? response.response : text,
      reasoning,
      stopReason: response.metadata.stopReason,
      loadMs,
      context,
      stats: {
        loadMs,
        timeToFirstTokenMs: firstTokenAt != null ? firstTokenAt - started : null,
        tokensPerSecond: outputTokens > 1 && decodeMs > 0 ? ((outputTokens - 1) * 1000) / decodeMs : null,
        outputTokens,
        evaluatedInputTokens: Math.max(0, meterAfter.usedInputTokens - meterBefore.usedInputTokens),
        finishReason: finishReasonOf(response.metadata.stopReason),
      },
      ...(plugin ? plugin.result() : {}),
      ...(functionCalls.length > 0 ? { functionCalls } : {}),
    };
    emit({ type: "finish", result });
    return result;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    if (request.signal.aborted) {
      // Stopped while the prompt was still being evaluated: there is no answer text yet, which is fine.
      const result: GenerateResult = {
        text,
        reasoning,
        stopReason: "abort",
        loadMs,
        context,
        stats: { loadMs, timeToFirstTokenMs: null, tokensPerSecond: null, outputTokens, evaluatedInputTokens: 0, finishReason: "abort" },
      };
      emit({ type: "finish", result });
      return result;
    }
    target.logger?.error("generation failed", { error: cause instanceof Error ? cause.message : String(cause) });
    throw new AppError("GENERATION_FAILED", "The model stopped with an error while answering.", { cause, retryable: true });
  } finally {
    plugin?.stop();
    chat.dispose({ disposeSequence: false });
  }
}

/** The delta callbacks of `generate` as an emitter of parts: the one code path both APIs share. */
export function callbackEmitter(request: Pick<GenerateRequest, "onTextDelta" | "onReasoningDelta">): (part: EnginePart) => void {
  return (part) => {
    switch (part.type) {
      case "text":
        request.onTextDelta(part.text);
        break;
      case "reasoning":
        request.onReasoningDelta(part.text);
        break;
      case "tool-call":
      case "finish":
        break; // the returned result carries them
      default:
        part satisfies never;
    }
  };
}
