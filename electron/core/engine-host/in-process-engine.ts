import type { Llama } from "node-llama-cpp";
import type { LoadedModel } from "../../contract/index.js";
import type { ContextMeter } from "../chat/context/context-meter.js";
import { askLoadedModel } from "../cloud/redact/llm-pass-engine.js";
import type { EmbedRequest, EmbedResult, Engine, GenerateRequest, GenerateResult, ModelLoadOptions, ModelRef } from "../engine/engine.js";
import type { EnginePort, LocalCheckRequest, MeasureRequest } from "./engine-port.js";

/**
 * The engine in this process, behind the port: for tests and scripts that build the core from its sources (no
 * built host script), and the benchmark's baseline. A crash of llama.cpp here takes the whole process down.
 */
export class InProcessEngine implements EnginePort {
  constructor(readonly engine: Engine) {}

  get onLoadedChange(): ((loaded: LoadedModel | null) => void) | null {
    return this.engine.onLoadedChange;
  }

  set onLoadedChange(listener: ((loaded: LoadedModel | null) => void) | null) {
    this.engine.onLoadedChange = listener;
  }

  get loadedModelId(): string | null {
    return this.engine.loadedModelId;
  }

  loadedInfo(): LoadedModel | null {
    return this.engine.loadedInfo();
  }

  describe(): Promise<{ gpu: string; threads: number }> {
    return this.engine.describe();
  }

  load(ref: ModelRef, contextSize: number, options?: ModelLoadOptions): Promise<{ loadMs: number | null }> {
    return this.engine.load(ref, contextSize, options);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.engine.generate(request);
  }

  measureContext(request: MeasureRequest): Promise<ContextMeter> {
    return this.engine.measureContext(request);
  }

  localCheck(request: LocalCheckRequest, signal?: AbortSignal): Promise<string | null> {
    return askLoadedModel(this.engine, request, signal);
  }

  embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResult> {
    return this.engine.embed(request, signal);
  }

  unload(): Promise<void> {
    return this.engine.unload();
  }

  dispose(): Promise<void> {
    return this.engine.dispose();
  }

  getLlama(): Promise<Llama> {
    return this.engine.getLlama();
  }
}
