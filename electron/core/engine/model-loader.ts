import {
  GgmlType,
  GgufInsights,
  readGgufFileInfo,
  resolveChatWrapper,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from "node-llama-cpp";
import os from "node:os";
import { AppError } from "../../contract/index.js";
import { formatMemory } from "../format-memory.js";
import { checkGgufFile } from "../models/inspect-gguf.js";
import type { EngineOptions, KvCacheType, ModelLoadOptions, ModelRef } from "./engine-types.js";
import { fitSequences } from "./pool-size.js";
import { SequencePool } from "./sequence-pool.js";
import { createTokenPredictor, openDraftContext, parseSpeculativeOption, type SpeculativeOption } from "./speculative.js";

export const DEFAULT_MAX_SEQUENCES = 4;

/** A loaded model: weights, one context of `sequences` sequences handed out by cache key, and what it cost. */
export type LoadedState = {
  ref: ModelRef;
  /** The context size asked for (capped at the trained length); the context holds at least this per sequence. */
  contextSize: number;
  /** The load options as asked for (explicit ones only): a later request that sets one differently reloads. */
  options: ModelLoadOptions;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  pool: SequencePool<LlamaContextSequence>;
  /** The weights plus the context as allocated (node-llama-cpp's estimate; the used state grows into it). */
  memoryBytes: number;
  dispose(): Promise<void>;
};

const KV_TYPES: Record<KvCacheType, GgmlType> = { f16: GgmlType.F16, q8_0: GgmlType.Q8_0, q4_0: GgmlType.Q4_0 };

/** Whether the loaded model is this model file (whatever its context and options). */
export function isLoadedModel(loaded: LoadedState | null, ref: ModelRef): loaded is LoadedState {
  return loaded !== null && loaded.ref.id === ref.id && loaded.ref.path === ref.path;
}

/** Whether the loaded model serves a request: same file, a context at least as large, no explicit option differing. */
export function serves(loaded: LoadedState, ref: ModelRef, contextSize: number, options: ModelLoadOptions | undefined): boolean {
  if (!isLoadedModel(loaded, ref)) return false;
  const trained = loaded.model.trainContextSize || contextSize;
  if (Math.min(contextSize, trained) > loaded.contextSize) return false;
  for (const [key, value] of Object.entries(options ?? {}) as [keyof ModelLoadOptions, unknown][]) {
    if (value === undefined) continue;
    const held = loaded.options[key];
    // Speculative decoding "off" is what a load without the option has.
    if (key === "speculative" && (value as SpeculativeOption).mode === "off" && (held == null || (held as SpeculativeOption).mode === "off")) continue;
    if (JSON.stringify(value) !== JSON.stringify(held)) return false;
  }
  return true;
}

/**
 * Loads the model with a context of `contextSize` tokens per sequence and as many sequences as memory allows (up to
 * the asked maximum). Refuses, before loading, a model that does not fit even with one sequence.
 */
export async function loadModel(
  llama: Llama,
  ref: ModelRef,
  contextSize: number,
  options: ModelLoadOptions,
  engine: EngineOptions & { threads: number },
): Promise<LoadedState> {
  const speculative = parseSpeculativeOption(options.speculative);
  const { contextSize: effectiveContextSize, freeRamBytes } = await checkFits(llama, ref, contextSize, engine.memory);
  const kvCacheType = options.kvCacheType ? KV_TYPES[options.kvCacheType] : undefined;
  if (options.kvCacheType && !KV_TYPES[options.kvCacheType]) throw new AppError("INVALID_INPUT", `Unknown KV cache type ${options.kvCacheType}.`);
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: ref.path, gpuLayers: options.gpuLayers ?? "auto" });
  } catch (cause) {
    throw loadError(ref, cause, engine);
  }
  const disposers: (() => Promise<void>)[] = [() => model.dispose()];
  const disposeAll = async () => {
    for (const dispose of disposers.reverse()) await dispose();
  };
  try {
    const fit = await fitSequences({
      model,
      contextSize: effectiveContextSize,
      max: Math.min(16, Math.max(1, options.sequences ?? engine.maxSequences ?? DEFAULT_MAX_SEQUENCES)),
      flashAttention: options.flashAttention,
      kvCacheType,
      freeRamBytes,
      freeVramBytes: model.gpuLayers > 0 ? (await llama.getVramState()).free : null,
    });
    const context = await model
      .createContext({
        contextSize: effectiveContextSize,
        sequences: fit.sequences,
        threads: engine.threads,
        ...(options.flashAttention != null ? { flashAttention: options.flashAttention } : {}),
        ...(kvCacheType != null ? { experimentalKvCacheKeyType: kvCacheType, experimentalKvCacheValueType: kvCacheType } : {}),
      })
      .catch((cause: unknown) => {
        // llama.cpp refuses a quantized KV cache for some models (head sizes) and without flash attention.
        if (options.kvCacheType == null || options.kvCacheType === "f16") throw cause;
        throw new AppError(
          "MODEL_LOAD_FAILED",
          `${ref.name} cannot run with a ${options.kvCacheType} KV cache here` +
            (options.flashAttention ? "" : " (a quantized KV cache needs flash attention)") +
            ". Use the default KV cache type (f16).",
          { cause },
        );
      });
    disposers.push(() => context.dispose());
    const draft = await openDraft(llama, model, speculative, { contextSize: effectiveContextSize, sequences: fit.sequences, threads: engine.threads });
    if (draft) disposers.unshift(draft.dispose); // after the target's context, which holds predictors on its sequences
    const pool = new SequencePool<LlamaContextSequence>(
      fit.sequences,
      () => context.getSequence({ tokenPredictor: createTokenPredictor(speculative, { draftSequence: draft?.context.getSequence() }) }),
      (sequence) => sequence.clearHistory(),
    );
    return {
      ref,
      contextSize: effectiveContextSize,
      options: { ...options },
      model,
      context,
      chatWrapper: resolveChatWrapper(model),
      pool,
      memoryBytes: model.size + fit.contextRam + fit.contextVram,
      dispose: disposeAll,
    };
  } catch (cause) {
    await disposeAll();
    throw loadError(ref, cause, engine);
  }
}

/** A draft model for speculative decoding, with one sequence per target sequence; null unless asked for. */
async function openDraft(
  llama: Llama,
  target: LlamaModel,
  option: SpeculativeOption,
  size: { contextSize: number; sequences: number; threads: number },
): Promise<{ context: LlamaContext; dispose: () => Promise<void> } | null> {
  if (option.mode !== "draft") return null;
  await checkGgufFile(option.modelPath);
  const draft = await openDraftContext(llama, target, option.modelPath, size);
  return { context: draft.context, dispose: draft.dispose };
}

/** node-llama-cpp's own estimate of what the model and one sequence need, against what this machine has. */
async function checkFits(
  llama: Llama,
  ref: ModelRef,
  requestedContextSize: number,
  memory: EngineOptions["memory"],
): Promise<{ contextSize: number; freeRamBytes: number }> {
  // The file may have been replaced since it was imported: the same bounded walk runs before the parser here.
  await checkGgufFile(ref.path);
  let insights: GgufInsights;
  try {
    const info = await readGgufFileInfo(ref.path, { logWarnings: false });
    insights = await GgufInsights.from(info, llama);
  } catch (cause) {
    throw new AppError("MODEL_FILE_MISSING", `The file of ${ref.name} can no longer be read at ${ref.path}.`, { cause });
  }
  // A context longer than the model was trained for only wastes memory and degrades answers: cap it.
  const contextSize = Math.min(requestedContextSize, insights.trainContextSize ?? requestedContextSize);
  const simulated = memory?.freeRamBytes != null || memory?.totalRamBytes != null;
  const ramState = async () => {
    const real = { total: os.totalmem(), free: os.freemem() };
    if (!simulated) return real;
    return { total: memory.totalRamBytes ?? real.total, free: memory.freeRamBytes ?? memory.totalRamBytes ?? real.free };
  };
  const resolved = await insights.configurationResolver.resolveAndScoreConfig(
    { targetContextSize: contextSize },
    simulated ? { getRamState: ramState, getSwapState: async () => ({ total: 0, free: 0 }) } : undefined,
  );
  const free = (await ramState()).free;
  if (resolved.compatibilityScore <= 0) {
    const need = resolved.resolvedValues.totalRamUsage + resolved.resolvedValues.totalVramUsage;
    throw new AppError(
      "INSUFFICIENT_MEMORY",
      `${ref.name} needs about ${formatMemory(need)} of memory with a ${contextSize}-token context` +
        (free > 0 ? `, but only ${formatMemory(free)} is free` : ", more than this machine has free") +
        ". Try a smaller context size or a smaller model.",
    );
  }
  return { contextSize, freeRamBytes: free };
}

export function loadError(ref: ModelRef, cause: unknown, options: Pick<EngineOptions, "logger">): AppError {
  if (cause instanceof AppError) return cause;
  const text = cause instanceof Error ? cause.message : String(cause);
  options.logger?.error("model load failed", { model: ref.name, error: text });
  if (/unknown model architecture|unsupported/i.test(text)) {
    return new AppError("UNSUPPORTED_ARCHITECTURE", `${ref.name} uses an architecture this engine cannot run.`, { cause });
  }
  if (/memory|alloc/i.test(text)) {
    return new AppError("INSUFFICIENT_MEMORY", `Not enough memory to load ${ref.name}.`, { cause, retryable: true });
  }
  return new AppError("MODEL_LOAD_FAILED", `${ref.name} could not be loaded; the file may be damaged.`, { cause });
}
