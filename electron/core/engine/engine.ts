import {
  getLlama,
  GgufInsights,
  LlamaChat,
  readGgufFileInfo,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import os from "node:os";
import { AppError, type LoadedModel, type MessageStats, type SamplingSettings } from "../../contract/index.js";
import { budgetFor, build, overBudgetError } from "../chat/context/context-builder.js";
import { contextMeter, type ContextMeter } from "../chat/context/context-meter.js";
import { llamaPromptCounter, reasoningFor, toLlamaChatHistory } from "../chat/context/llama-history.js";
import type { BranchMessage, BuildResult, ContextExtra, OverflowChoice } from "../chat/context/prompt-message.js";
import type { Logger } from "../core-types.js";
import { formatMemory } from "../format-memory.js";
import { checkGgufFile } from "../models/inspect-gguf.js";
import { finishReasonOf } from "./finish-reason.js";
import { forcedCallWrapper, type EngineFunctionCall, type EngineFunctions } from "./functions.js";
import { constraintOf, promptCounter, resolveShape } from "./generation-options.js";
import type { JsonSchema } from "./json-schema.js";
import { llamaOptions } from "./llama-options.js";
import { Mutex } from "./mutex.js";
import { samplingOptions } from "./sampling-options.js";

export type EngineOptions = {
  threads?: number;
  /** "auto" picks Metal/CUDA/Vulkan when present; false forces the CPU. */
  gpu?: "auto" | false;
  /** Simulated machine, for tests and for a user-set memory cap. */
  memory?: { totalRamBytes?: number; freeRamBytes?: number };
  logger?: Logger;
};

export type ModelRef = { id: string; path: string; name: string };

/**
 * What the prompt is built from; the context builder makes it fit this model's context with its own tokenizer.
 * To continue a cut-off answer, end the branch with that answer (its text and reasoning so far): the model goes on
 * writing it, with no new turn, and the result's text and reasoning are only what came after.
 */
export type PromptSource = {
  systemPrompt: string;
  /** The active branch, root first, ending with the user's new message (or with the answer being continued). */
  branch: readonly BranchMessage[];
  extras?: readonly ContextExtra[];
  /** At the limit: drop the oldest turns (the default), or stop and ask (the answer fails with CONTEXT_FULL). */
  overflow?: OverflowChoice;
  /** The previous answer's first kept message and the room to free at a cut (see BuildInput): keeps the KV cache. */
  keptFrom?: string | null;
  headroom?: number;
};

/** How the prompt used the context: what the conversation must tell the user when older messages were dropped. */
export type ContextUse = Pick<BuildResult, "usedTokens" | "branchTokens" | "budgetTokens" | "dropped" | "notice">;

export type GenerateRequest = {
  model: ModelRef;
  /** Which conversation the turns belong to: its KV cache is kept between turns, another one's is cleared. */
  conversationId: string;
  contextSize: number;
  prompt: PromptSource;
  temperature: number;
  /** Top-p, top-k, min-p, repeat penalty and seed; absent uses node-llama-cpp's defaults. */
  sampling?: SamplingSettings;
  maxOutputTokens: number | null;
  signal: AbortSignal;
  onTextDelta: (text: string) => void;
  onReasoningDelta: (text: string) => void;
  /** Called once the model is loaded and evaluation starts. */
  onStart?: () => void;
  /** Record the model's probability of each token it generates (for the cascade); off unless asked for. */
  collectConfidence?: boolean;
  /**
   * Functions the model may call (name -> description and JSON schema of its params), rendered by the model's chat
   * wrapper. A call ends the generation with stopReason "functionCalls" and the result's `functionCalls`; nothing
   * runs them here.
   */
  functions?: EngineFunctions;
  /** "required": the answer must start with a call to one of `functions` (default "auto": the model chooses). */
  functionCall?: "auto" | "required";
  /** The answer is JSON matching this schema (a grammar constrains every token); not with `functions`. */
  jsonSchema?: JsonSchema;
  /** Strings that end the answer when written (not included in it): stopReason "customStopTrigger". */
  stop?: readonly string[];
};

export type GenerateResult = {
  /** The answer's text and reasoning; when continuing an answer, only what was written after it. */
  text: string;
  reasoning: string;
  stopReason: "eogToken" | "stopGenerationTrigger" | "functionCalls" | "maxTokens" | "abort" | "customStopTrigger";
  stats: MessageStats;
  /** How long loading the model took, when this call had to load it. */
  loadMs: number | null;
  context: ContextUse;
  /**
   * With `collectConfidence`: for each output token (as counted in stats.outputTokens), the probability the model
   * gave it when it was chosen, in (0, 1], under the sampling settings in force (temperature, top-k, top-p).
   */
  confidences?: number[];
  /** The calls the model wrote, when stopReason is "functionCalls". */
  functionCalls?: EngineFunctionCall[];
};

type Loaded = {
  ref: ModelRef;
  contextSize: number;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  /** The conversation whose tokens the sequence holds now. */
  conversationId: string | null;
  /** The weights plus the context as allocated (node-llama-cpp's estimate; the used state grows into it). */
  memoryBytes: number;
};

/**
 * The only owner of native inference resources: one Llama, at most one loaded model with one context and one
 * sequence. Loads, generations and unloads run one at a time under one lock. Consecutive turns of a conversation
 * reuse the sequence's evaluated prefix (node-llama-cpp compares tokens), so a follow-up only evaluates what is new.
 */
export class Engine {
  /** Told each time a model is loaded or unloaded (the model indicator follows it). */
  onLoadedChange: ((loaded: LoadedModel | null) => void) | null = null;
  private llamaPromise: Promise<Llama> | null = null;
  private loaded: Loaded | null = null;
  private readonly lock = new Mutex();
  private readonly options: EngineOptions;
  private disposed = false;

  constructor(options: EngineOptions = {}) {
    this.options = options;
  }

  getLlama(): Promise<Llama> {
    this.llamaPromise ??= getLlama(llamaOptions({ gpu: this.options.gpu, logger: this.options.logger }));
    return this.llamaPromise;
  }

  async describe(): Promise<{ gpu: string; threads: number }> {
    const llama = await this.getLlama();
    return { gpu: llama.gpu === false ? "cpu" : llama.gpu, threads: this.threads(llama) };
  }

  get loadedModelId(): string | null {
    return this.loaded?.ref.id ?? null;
  }

  /** What is loaded and the memory it holds (weights plus the allocated context), or null. */
  loadedInfo(): LoadedModel | null {
    const loaded = this.loaded;
    if (!loaded) return null;
    return {
      modelId: loaded.ref.id,
      name: loaded.ref.name,
      contextSize: loaded.context.contextSize,
      memoryBytes: loaded.memoryBytes,
      gpuLayers: loaded.model.gpuLayers,
    };
  }

  private announceLoaded(): void {
    try {
      this.onLoadedChange?.(this.loadedInfo());
    } catch (error) {
      this.options.logger?.error("loaded-model listener failed", { error: String((error as Error)?.name) });
    }
  }

  /** The live sequence, for tests and the benchmark (token meter, evaluated tokens). */
  get currentSequence(): LlamaContextSequence | null {
    return this.loaded?.sequence ?? null;
  }

  get currentModel(): LlamaModel | null {
    return this.loaded?.model ?? null;
  }

  private threads(llama: Llama): number {
    return this.options.threads ?? Math.max(1, llama.cpuMathCores);
  }

  /** Loads (or keeps) the model with a context of the given size. */
  load(ref: ModelRef, contextSize: number): Promise<{ loadMs: number | null }> {
    return this.lock.run(() => this.loadUnlocked(ref, contextSize));
  }

  private async loadUnlocked(ref: ModelRef, contextSize: number): Promise<{ loadMs: number | null }> {
    if (this.disposed) throw new AppError("MODEL_LOAD_FAILED", "Hearth is shutting down.");
    const current = this.loaded;
    if (current && current.ref.id === ref.id && current.ref.path === ref.path && current.contextSize === contextSize) {
      return { loadMs: null };
    }
    await this.unloadUnlocked();
    const started = performance.now();
    const llama = await this.getLlama();
    // A context longer than the model was trained for only wastes memory and degrades answers: cap it.
    const effectiveContextSize = await this.checkFits(llama, ref, contextSize);

    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: ref.path, gpuLayers: "auto" });
    } catch (cause) {
      throw this.loadError(ref, cause);
    }
    try {
      const context = await model.createContext({
        contextSize: effectiveContextSize,
        sequences: 1,
        threads: this.threads(llama),
      });
      const sequence = context.getSequence();
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: "auto" });
      const contextNeeds = await model.fileInsights
        .estimateContextResourceRequirementsV2({ contextSize: context.contextSize, modelGpuLayers: model.gpuLayers, sequences: 1 })
        .catch(() => ({ cpuRam: context.stateSize, gpuVram: 0 }));
      const memoryBytes = model.size + contextNeeds.cpuRam + contextNeeds.gpuVram;
      this.loaded = { ref, contextSize, model, context, sequence, chat, conversationId: null, memoryBytes };
      this.announceLoaded();
    } catch (cause) {
      await model.dispose();
      throw this.loadError(ref, cause);
    }
    return { loadMs: performance.now() - started };
  }

  /** node-llama-cpp's own estimate of what the model and context need, against what this machine has. */
  private async checkFits(llama: Llama, ref: ModelRef, requestedContextSize: number): Promise<number> {
    // The file may have been replaced since it was imported: the same bounded walk runs before the parser here.
    await checkGgufFile(ref.path);
    let insights: GgufInsights;
    try {
      const info = await readGgufFileInfo(ref.path, { logWarnings: false });
      insights = await GgufInsights.from(info, llama);
    } catch (cause) {
      throw new AppError("MODEL_FILE_MISSING", `The file of ${ref.name} can no longer be read at ${ref.path}.`, {
        cause,
      });
    }
    const contextSize = Math.min(requestedContextSize, insights.trainContextSize ?? requestedContextSize);
    const memory = this.options.memory;
    const ramOverride =
      memory?.freeRamBytes != null || memory?.totalRamBytes != null
        ? async () => {
            const real = { total: os.totalmem(), free: os.freemem() };
            return {
              total: memory.totalRamBytes ?? real.total,
              free: memory.freeRamBytes ?? memory.totalRamBytes ?? real.free,
            };
          }
        : undefined;
    const resolved = await insights.configurationResolver.resolveAndScoreConfig(
      { targetContextSize: contextSize },
      ramOverride ? { getRamState: ramOverride, getSwapState: async () => ({ total: 0, free: 0 }) } : undefined,
    );
    if (resolved.compatibilityScore <= 0) {
      const need = resolved.resolvedValues.totalRamUsage + resolved.resolvedValues.totalVramUsage;
      const free = ramOverride ? (await ramOverride()).free : os.freemem();
      throw new AppError(
        "INSUFFICIENT_MEMORY",
        `${ref.name} needs about ${formatMemory(need)} of memory with a ${contextSize}-token context` +
          (free > 0 ? `, but only ${formatMemory(free)} is free` : ", more than this machine has free") +
          ". Try a smaller context size or a smaller model.",
      );
    }
    return contextSize;
  }

  private loadError(ref: ModelRef, cause: unknown): AppError {
    if (cause instanceof AppError) return cause;
    const text = cause instanceof Error ? cause.message : String(cause);
    this.options.logger?.error("model load failed", { model: ref.name, error: text });
    if (/unknown model architecture|unsupported/i.test(text)) {
      return new AppError("UNSUPPORTED_ARCHITECTURE", `${ref.name} uses an architecture this engine cannot run.`, {
        cause,
      });
    }
    if (/memory|alloc/i.test(text)) {
      return new AppError("INSUFFICIENT_MEMORY", `Not enough memory to load ${ref.name}.`, { cause, retryable: true });
    }
    return new AppError("MODEL_LOAD_FAILED", `${ref.name} could not be loaded; the file may be damaged.`, { cause });
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.lock.run(async () => {
      if (request.signal.aborted) throw new AppError("ABORTED", "Stopped before the answer started.");
      const { loadMs } = await this.loadUnlocked(request.model, request.contextSize);
      const loaded = this.loaded!;
      request.onStart?.();
      return await this.generateUnlocked(loaded, request, loadMs);
    });
  }

  /**
   * The prompt, built by the one context builder with this model's tokenizer and chat template, within the context
   * the model was loaded with, less room for the answer. Past the limit, LlamaChat would shift the context without
   * a word; instead the oldest turns are dropped (and the result says so) or the answer fails with CONTEXT_FULL.
   */
  private buildPrompt(
    loaded: Loaded,
    request: GenerateRequest,
    functions: ChatModelFunctions | undefined,
  ): { history: ChatHistoryItem[]; context: ContextUse } {
    const { chatWrapper } = loaded.chat;
    const built = build({
      ...request.prompt,
      budget: budgetFor(loaded.context.contextSize, request.maxOutputTokens),
      countTokens: promptCounter(chatWrapper, loaded.model.tokenizer, functions),
      overflow: request.prompt.overflow ?? "drop-oldest",
      reasoning: reasoningFor(chatWrapper),
    });
    if (built.status === "over-budget") throw overBudgetError(built);
    const { usedTokens, branchTokens, budgetTokens, dropped, notice } = built;
    return { history: toLlamaChatHistory(built.messages), context: { usedTokens, branchTokens, budgetTokens, dropped, notice } };
  }

  private async generateUnlocked(loaded: Loaded, request: GenerateRequest, loadMs: number | null) {
    const shape = await resolveShape(await this.getLlama(), request);
    const { history, context } = this.buildPrompt(loaded, request, shape.functions);

    if (loaded.conversationId !== request.conversationId) {
      // Another conversation's tokens share at most a short prefix with this one; erasing them token range by
      // token range costs more than starting from an empty cache (measured: prefill 2-4% slower).
      await loaded.sequence.clearHistory();
      loaded.conversationId = request.conversationId;
    }
    const confidence = request.collectConfidence ? recordConfidence(loaded.sequence) : null;
    const meterBefore = loaded.sequence.tokenMeter.getState();
    const started = performance.now();
    let firstTokenAt: number | null = null;
    let outputTokens = 0;
    let text = "";
    let reasoning = "";
    // A forced call needs the wrapper told so; LlamaChat is a thin view over the sequence, cheap to make for one answer.
    const chat = shape.forceCall
      ? new LlamaChat({ contextSequence: loaded.sequence, chatWrapper: forcedCallWrapper(loaded.chat.chatWrapper) })
      : loaded.chat;
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
          confidence?.take(tokens);
        },
        onResponseChunk: (chunk) => {
          if (chunk.type === "segment") {
            if (chunk.segmentType === "thought" && chunk.text) {
              reasoning += chunk.text;
              request.onReasoningDelta(chunk.text);
            }
            return;
          }
          if (chunk.text) {
            text += chunk.text;
            request.onTextDelta(chunk.text);
          }
        },
      });
      const ended = performance.now();
      const meterAfter = loaded.sequence.tokenMeter.getState();
      const decodeMs = firstTokenAt != null ? ended - firstTokenAt : 0;
      return {
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
        ...(confidence ? { confidences: confidence.values } : {}),
        ...(response.functionCalls?.length
          ? { functionCalls: response.functionCalls.map((call) => ({ name: call.functionName, params: call.params as unknown })) }
          : {}),
      };
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      if (request.signal.aborted) {
        // Stopped while the prompt was still being evaluated: there is no answer text yet, which is fine.
        return {
          text,
          reasoning,
          stopReason: "abort" as const,
          loadMs,
          context,
          stats: { loadMs, timeToFirstTokenMs: null, tokensPerSecond: null, outputTokens, evaluatedInputTokens: 0, finishReason: "abort" as const },
        };
      }
      this.options.logger?.error("generation failed", { error: cause instanceof Error ? cause.message : String(cause) });
      throw new AppError("GENERATION_FAILED", "The model stopped with an error while answering.", {
        cause,
        retryable: true,
      });
    } finally {
      confidence?.stop();
      if (chat !== loaded.chat) chat.dispose({ disposeSequence: false });
    }
  }

  /**
   * The context meter of a branch for a model, counted with its own tokenizer and chat template: with the loaded
   * model when it is this one, else with only its vocabulary, loaded for the count and freed right after (no
   * weights, so the header can show the meter before the first answer loads the model).
   */
  measureContext(request: Pick<GenerateRequest, "model" | "contextSize" | "maxOutputTokens" | "prompt">): Promise<ContextMeter> {
    return this.lock.run(async () => {
      const loaded = this.loaded;
      const measure = (chatWrapper: LlamaChat["chatWrapper"], model: LlamaModel, contextSize: number) =>
        contextMeter({
          ...request.prompt,
          budget: budgetFor(contextSize, request.maxOutputTokens),
          countTokens: llamaPromptCounter(chatWrapper, model.tokenizer),
          reasoning: reasoningFor(chatWrapper),
        });
      if (loaded && loaded.ref.id === request.model.id && loaded.ref.path === request.model.path) {
        return measure(loaded.chat.chatWrapper, loaded.model, loaded.context.contextSize);
      }
      await checkGgufFile(request.model.path);
      const llama = await this.getLlama();
      let vocab: LlamaModel;
      try {
        vocab = await llama.loadModel({ modelPath: request.model.path, vocabOnly: true });
      } catch (cause) {
        throw this.loadError(request.model, cause);
      }
      try {
        // The same cap a load applies: a context longer than the model was trained for is never used.
        return measure(resolveChatWrapper(vocab), vocab, Math.min(request.contextSize, vocab.trainContextSize || request.contextSize));
      } finally {
        await vocab.dispose();
      }
    });
  }

  /**
   * Runs a short side job (the redaction's second check) on the loaded model under the engine's lock, so never
   * alongside a load or a generation. The job makes and disposes its own context: the conversation's cached tokens
   * stay. Null when no model is loaded; a job whose signal fired while it waited for the lock does not start.
   */
  withLoadedModel<T>(
    job: (loaded: { model: LlamaModel; llama: Llama; threads: number; ref: ModelRef }) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T | null> {
    return this.lock.run(async () => {
      if (signal?.aborted) throw new AppError("ABORTED", "Stopped before it started.");
      const loaded = this.loaded;
      if (!loaded) return null;
      const llama = await this.getLlama();
      return job({ model: loaded.model, llama, threads: this.threads(llama), ref: loaded.ref });
    });
  }

  /** Frees the model, its context and sequence. */
  unload(): Promise<void> {
    return this.lock.run(() => this.unloadUnlocked());
  }

  private async unloadUnlocked(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (!loaded) return;
    try {
      loaded.chat.dispose({ disposeSequence: true });
      await loaded.context.dispose();
      await loaded.model.dispose();
    } finally {
      this.announceLoaded();
    }
  }

  async dispose(): Promise<void> {
    await this.unload();
    this.disposed = true;
    if (this.llamaPromise) {
      const llama = await this.llamaPromise.catch(() => null);
      await llama?.dispose();
    }
  }
}

/**
 * Makes the sequence's `evaluate` (the generator LlamaChat samples through) ask for each sampled token's confidence.
 * In node-llama-cpp 3.21 `evaluate` is exactly `evaluateWithMetadata(tokens, {}, options)` minus the metadata, so
 * this changes nothing but one softmax over the sampler's candidates per token, done natively. LlamaChat exposes no
 * hook with probabilities, and scoring the answer again afterwards (controlledEvaluate) would re-decode every
 * token and only report the probability of the token it samples itself, not of the one that was generated.
 *
 * Not every sampled token reaches the answer (end of generation, stop triggers, a token LlamaChat replaces), so
 * confidences are queued by token and taken in order as `onToken` releases tokens: one value per output token.
 * Should a later node-llama-cpp stop sampling through `evaluate`, this yields no values (and the cascade, having
 * too few to judge, keeps the local answer); the integration test's count check would say so.
 */
function recordConfidence(sequence: LlamaContextSequence) {
  const pending: { token: Token; confidence: number }[] = [];
  const values: number[] = [];
  const instrumented: LlamaContextSequence["evaluate"] = async function* (tokens, options) {
    const iterator = sequence.evaluateWithMetadata(tokens, { confidence: true }, options);
    let input: void | Token | Token[] = undefined;
    try {
      for (;;) {
        const step = await iterator.next(input);
        if (step.done) return;
        pending.push({ token: step.value.token, confidence: step.value.confidence });
        input = yield step.value.token;
      }
    } finally {
      await iterator.return();
    }
  };
  // An own property shadows the prototype's method for this generation only (the engine lock is held).
  Object.defineProperty(sequence, "evaluate", { value: instrumented, configurable: true, writable: true });
  return {
    values,
    take(tokens: readonly Token[]) {
      for (const token of tokens) {
        const at = pending.findIndex((p) => p.token === token);
        // A token that was never sampled (none is expected) gets no value rather than another token's.
        if (at < 0) continue;
        values.push(pending[at]!.confidence);
        pending.splice(0, at + 1);
      }
    },
    stop() {
      Reflect.deleteProperty(sequence, "evaluate");
    },
  };
}
