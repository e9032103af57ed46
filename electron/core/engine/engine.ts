import { getLlama, resolveChatWrapper, type Llama, type LlamaContextSequence, type LlamaModel } from "node-llama-cpp";
import { AppError, type LoadedModel } from "../../contract/index.js";
import { budgetFor } from "../chat/context/context-builder.js";
import { contextMeter, type ContextMeter } from "../chat/context/context-meter.js";
import { llamaPromptCounter, reasoningFor } from "../chat/context/llama-history.js";
import { pushStream } from "../chat/turn/push-stream.js";
import { checkGgufFile } from "../models/inspect-gguf.js";
import { checkEmbedTexts, embedTexts, type EmbedRequest, type EmbedResult } from "./embed.js";
import type { EngineOptions, EnginePart, GenerateRequest, GenerateResult, ModelLoadOptions, ModelRef, StreamRequest } from "./engine-types.js";
import { llamaOptions } from "./llama-options.js";
import { isLoadedModel, loadError, loadModel, serves, type LoadedState } from "./model-loader.js";
import { callbackEmitter, runGeneration } from "./run-generation.js";
import { RwLock } from "./rw-lock.js";

export type {
  ContextUse,
  EngineOptions,
  EnginePart,
  GenerateRequest,
  GenerateResult,
  KvCacheType,
  ModelLoadOptions,
  ModelRef,
  PromptSource,
  StreamRequest,
} from "./engine-types.js";
export type { EmbedRequest, EmbedResult } from "./embed.js";

/** The context an embedding call loads its model with when that model is not loaded already. */
const EMBED_LOAD_CONTEXT = 2048;

/**
 * The only owner of native inference resources: one Llama, at most one loaded model with one context of a few
 * sequences. Each sequence keeps one cache key's tokens (a conversation's branch, an API client's session), so
 * switching between conversations leaves each one's cache warm, and a follow-up only evaluates what is new.
 *
 * Generations hold the read side of a lock and one sequence each: on distinct sequences they run at once (the
 * context batches them); loads, unloads and side jobs that need the model to themselves hold the write side.
 */
export class Engine {
  /** Told each time a model is loaded or unloaded (the model indicator follows it). */
  onLoadedChange: ((loaded: LoadedModel | null) => void) | null = null;
  private llamaPromise: Promise<Llama> | null = null;
  private loaded: LoadedState | null = null;
  private readonly lock = new RwLock();
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
      sequences: loaded.pool.size,
    };
  }

  private announceLoaded(): void {
    try {
      this.onLoadedChange?.(this.loadedInfo());
    } catch (error) {
      this.options.logger?.error("loaded-model listener failed", { error: String((error as Error)?.name) });
    }
  }

  /** The sequence used last, for tests and the benchmark (token meter, evaluated tokens). */
  get currentSequence(): LlamaContextSequence | null {
    return this.loaded?.pool.lastUsed ?? null;
  }

  get currentModel(): LlamaModel | null {
    return this.loaded?.model ?? null;
  }

  /** The cache keys whose tokens the loaded model's sequences hold, least recently used first. */
  cachedKeys(): string[] {
    return this.loaded?.pool.keys() ?? [];
  }

  private threads(llama: Llama): number {
    return this.options.threads ?? Math.max(1, llama.cpuMathCores);
  }

  /** Loads the model with a context of at least the given size (keeping a loaded one that serves it). */
  load(ref: ModelRef, contextSize: number, options: ModelLoadOptions = {}): Promise<{ loadMs: number | null }> {
    return this.lock.runWrite(() => this.loadUnlocked(ref, contextSize, options));
  }

  private async loadUnlocked(ref: ModelRef, contextSize: number, options: ModelLoadOptions): Promise<{ loadMs: number | null }> {
    if (this.disposed) throw new AppError("MODEL_LOAD_FAILED", "Hearth is shutting down.");
    if (this.loaded && serves(this.loaded, ref, contextSize, options)) return { loadMs: null };
    await this.unloadUnlocked();
    const started = performance.now();
    const llama = await this.getLlama();
    this.loaded = await loadModel(llama, ref, contextSize, options, { ...this.options, threads: this.threads(llama) });
    this.announceLoaded();
    return { loadMs: performance.now() - started };
  }

  /**
   * Holds the read side of the lock with the request's model loaded: loads it (alone) first when the loaded one
   * does not serve the request, then reads. Another load may slip in between; then it goes round again.
   */
  private async readLoaded(request: StreamRequest): Promise<{ loaded: LoadedState; loadMs: number | null; release: () => void }> {
    let loadMs: number | null = null;
    for (let round = 0; ; round++) {
      if (request.signal.aborted) throw new AppError("ABORTED", "Stopped before the answer started.");
      const release = await this.lock.read();
      const loaded = this.loaded;
      if (loaded && serves(loaded, request.model, request.contextSize, request.loadOptions)) return { loaded, loadMs, release };
      release();
      if (round >= 3) throw new AppError("BUSY", "The model is being switched by another request; try again.", { retryable: true });
      const result = await this.lock.runWrite(() => this.loadUnlocked(request.model, request.contextSize, request.loadOptions ?? {}));
      loadMs ??= result.loadMs;
    }
  }

  /** The one code path of `generate` and `stream`: a sequence for the request's cache key, then the answer. */
  private async run(request: StreamRequest, emit: (part: EnginePart) => void): Promise<GenerateResult> {
    const { loaded, loadMs, release } = await this.readLoaded(request);
    try {
      const lease = await loaded.pool.acquire(request.cacheKey ?? request.conversationId, request.signal);
      try {
        request.onStart?.();
        const llama = await this.getLlama();
        const trained = loaded.model.trainContextSize || request.contextSize;
        return await runGeneration(
          {
            llama,
            model: loaded.model,
            chatWrapper: loaded.chatWrapper,
            sequence: lease.value,
            contextSize: Math.min(request.contextSize, trained, loaded.context.contextSize),
            ...(this.options.logger ? { logger: this.options.logger } : {}),
          },
          request,
          loadMs,
          emit,
        );
      } finally {
        lease.release();
      }
    } finally {
      release();
    }
  }

  /** One answer, its deltas through the request's callbacks; resolves with the result (stopReason "abort" when stopped). */
  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.run(request, callbackEmitter(request));
  }

  /**
   * One answer as parts: text and reasoning deltas, the function calls, then the finish with the result. A failure
   * is thrown by the iteration; leaving the loop early stops the generation (as the request's signal would).
   */
  async *stream(request: StreamRequest): AsyncIterable<EnginePart> {
    const controller = new AbortController();
    const forward = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) forward();
    else request.signal.addEventListener("abort", forward, { once: true });
    const parts = pushStream<EnginePart>();
    let failure: { error: unknown } | null = null;
    let finished = false;
    const done = this.run({ ...request, signal: controller.signal }, (part) => parts.push(part)).then(
      () => {
        finished = true;
      },
      (error: unknown) => {
        failure = { error };
      },
    );
    void done.finally(() => parts.end());
    try {
      for await (const part of parts.iterable) yield part;
      await done;
      if (failure) throw (failure as { error: unknown }).error;
    } finally {
      if (!finished) controller.abort();
      request.signal.removeEventListener("abort", forward);
      await done;
    }
  }

  /**
   * The context meter of a branch for a model, counted with its own tokenizer and chat template: with the loaded
   * model when it is this one, else with only its vocabulary, loaded for the count and freed right after (no
   * weights, so the header can show the meter before the first answer loads the model).
   */
  measureContext(request: Pick<GenerateRequest, "model" | "contextSize" | "maxOutputTokens" | "prompt">): Promise<ContextMeter> {
    return this.lock.runRead(async () => {
      const loaded = this.loaded;
      const measure = (chatWrapper: LoadedState["chatWrapper"], model: LlamaModel, contextSize: number) =>
        contextMeter({
          ...request.prompt,
          budget: budgetFor(contextSize, request.maxOutputTokens),
          countTokens: llamaPromptCounter(chatWrapper, model.tokenizer),
          reasoning: reasoningFor(chatWrapper),
        });
      // The same cap a load applies: a context longer than the model was trained for is never used.
      const capped = (model: LlamaModel) => Math.min(request.contextSize, model.trainContextSize || request.contextSize);
      if (isLoadedModel(loaded, request.model)) {
        return measure(loaded.chatWrapper, loaded.model, capped(loaded.model));
      }
      await checkGgufFile(request.model.path);
      const llama = await this.getLlama();
      let vocab: LlamaModel;
      try {
        vocab = await llama.loadModel({ modelPath: request.model.path, vocabOnly: true });
      } catch (cause) {
        throw loadError(request.model, cause, this.options);
      }
      try {
        return measure(resolveChatWrapper(vocab), vocab, capped(vocab));
      } finally {
        await vocab.dispose();
      }
    });
  }

  /**
   * Runs a short side job (the redaction's second check) on the loaded model with the model to itself, so never
   * alongside a load or a generation. The job makes and disposes its own context: the cached sequences stay. Null
   * when no model is loaded; a job whose signal fired while it waited for the lock does not start.
   */
  withLoadedModel<T>(
    job: (loaded: { model: LlamaModel; llama: Llama; threads: number; ref: ModelRef }) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T | null> {
    return this.lock.runWrite(async () => {
      if (signal?.aborted) throw new AppError("ABORTED", "Stopped before it started.");
      const loaded = this.loaded;
      if (!loaded) return null;
      const llama = await this.getLlama();
      return job({ model: loaded.model, llama, threads: this.threads(llama), ref: loaded.ref });
    });
  }

  /**
   * One vector per text from the request's model, with the model to itself (never alongside a load or a
   * generation): the loaded model when it is this one, whatever its context; else it is loaded as `load` would.
   * The embedding context is its own, made and disposed here, so the chat sequences' caches stay warm.
   */
  async embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResult> {
    checkEmbedTexts(request.texts);
    return await this.lock.runWrite(async () => {
      if (signal?.aborted) throw new AppError("ABORTED", "Stopped before it started.");
      const loaded = this.loaded;
      if (!isLoadedModel(loaded, request.model)) {
        await this.loadUnlocked(request.model, request.contextSize ?? EMBED_LOAD_CONTEXT, {});
      }
      const current = this.loaded!;
      const llama = await this.getLlama();
      return embedTexts(current.model, current.ref, request.texts, this.threads(llama), signal);
    });
  }

  /** Frees the model, its context and sequences. */
  unload(): Promise<void> {
    return this.lock.runWrite(() => this.unloadUnlocked());
  }

  private async unloadUnlocked(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (!loaded) return;
    try {
      await loaded.dispose();
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
