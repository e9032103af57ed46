import type { GbnfJsonSchema, Llama } from "node-llama-cpp";
import type { LoadedModel } from "../../contract/index.js";
import type { ContextMeter } from "../chat/context/context-meter.js";
import type { EmbedRequest, EmbedResult, GenerateRequest, GenerateResult, ModelLoadOptions, ModelRef } from "../engine/engine.js";

export type MeasureRequest = Pick<GenerateRequest, "model" | "contextSize" | "maxOutputTokens" | "prompt">;

/** The redaction's second check, as plain data: the job runs where the model is (see llm-pass-engine.ts). */
export type LocalCheckRequest = {
  systemPrompt: string;
  text: string;
  /** Lets a model below 1B parameters run the check (tests, a user's override). */
  allowAnyModel?: boolean;
  /** A narrower grammar than the check's own (tests). */
  schema?: GbnfJsonSchema;
};

/**
 * What the core uses of the engine. Two implementations: the engine in this process (tests that build the core
 * from sources) and the engine host client (the built app: llama.cpp in a child process that may die alone).
 */
export interface EnginePort {
  /** Told each time a model is loaded or unloaded, and when the runtime holding it stopped (null). */
  onLoadedChange: ((loaded: LoadedModel | null) => void) | null;
  readonly loadedModelId: string | null;
  loadedInfo(): LoadedModel | null;
  describe(): Promise<{ gpu: string; threads: number }>;
  load(ref: ModelRef, contextSize: number, options?: ModelLoadOptions): Promise<{ loadMs: number | null }>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  measureContext(request: MeasureRequest): Promise<ContextMeter>;
  /** The second redaction check on the loaded model; null when no model is loaded. */
  localCheck(request: LocalCheckRequest, signal?: AbortSignal): Promise<string | null>;
  /** One vector per text from the model (loaded if another is), with the model to itself; chat caches stay. */
  embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResult>;
  unload(): Promise<void>;
  dispose(): Promise<void>;
  /** A Llama in this process for estimates only (the fit of a model found on the hub); never loads weights. */
  getLlama(): Promise<Llama>;
}
