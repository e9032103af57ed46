import type { MessageStats, SamplingSettings } from "../../contract/index.js";
import type { BranchMessage, BuildResult, ContextExtra, OverflowChoice } from "../chat/context/prompt-message.js";
import type { Logger } from "../core-types.js";
import type { EngineFunctionCall, EngineFunctions } from "./functions.js";
import type { JsonSchema } from "./json-schema.js";
import type { SpeculativeOption } from "./speculative.js";

export type EngineOptions = {
  threads?: number;
  /** "auto" picks Metal/CUDA/Vulkan when present; false forces the CPU. */
  gpu?: "auto" | false;
  /** Simulated machine, for tests and for a user-set memory cap. */
  memory?: { totalRamBytes?: number; freeRamBytes?: number };
  /** The most sequences (cached conversations) a loaded model keeps; fewer when memory is short. Default 4. */
  maxSequences?: number;
  logger?: Logger;
};

export type ModelRef = { id: string; path: string; name: string };

/** The KV cache's element type: f16 is llama.cpp's default; q8_0 and q4_0 halve and quarter it (flash attention). */
export type KvCacheType = "f16" | "q8_0" | "q4_0";

/**
 * How a model is loaded, besides its context size. Each is optional: left out, it is node-llama-cpp's default at
 * a load (GPU layers "auto", flash attention and KV cache as the model's defaults) and, for a model already loaded,
 * whatever it was loaded with; set to something else than the loaded model's, it reloads.
 */
export type ModelLoadOptions = {
  gpuLayers?: "auto" | "max" | number;
  flashAttention?: boolean;
  kvCacheType?: KvCacheType;
  /** The most sequences to keep (fewer when memory is short); default the engine's `maxSequences`. */
  sequences?: number;
  /** A token predictor for each sequence (prompt lookup or a draft model); off by default. Same output, maybe faster. */
  speculative?: SpeculativeOption;
};

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
  /** Which conversation the turns belong to; also the cache key when `cacheKey` is not given. */
  conversationId: string;
  /**
   * The KV cache this generation uses and keeps for the next one under the same key (a conversation's branch, an
   * API client's session). Default: `conversationId`. The engine keeps a few keys warm and evicts the least
   * recently used.
   */
  cacheKey?: string;
  /**
   * The context the prompt must fit in. A loaded model with at least this context is used as it is (the prompt is
   * still built for this size); a larger one reloads it.
   */
  contextSize: number;
  /** How to load the model when this generation loads it (see ModelLoadOptions: an explicit difference reloads). */
  loadOptions?: ModelLoadOptions;
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

/** A request for `stream`: the parts replace the delta callbacks. */
export type StreamRequest = Omit<GenerateRequest, "onTextDelta" | "onReasoningDelta">;

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

/** What `stream` yields: deltas as they are written, the calls the model made, then the finish with the result. */
export type EnginePart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool-call"; name: string; params: unknown }
  | { type: "finish"; result: GenerateResult };
