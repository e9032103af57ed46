import type { LoadedModel } from "../../contract/index.js";
import type { EmbedRequest, EmbedResult, GenerateRequest, GenerateResult } from "../engine/engine.js";

/**
 * What the API server needs of the engine, and no more: the in-process Engine and the engine host's client
 * (same methods, another process) both satisfy it.
 */
export type ApiEngine = {
  generate(request: GenerateRequest): Promise<GenerateResult>;
  embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResult>;
  loadedInfo(): LoadedModel | null;
};

/** An installed model as the API lists and resolves it. */
export type ApiModel = { id: string; name: string; path: string; available: boolean; addedAt: number; trainContextLength: number | null };
