import { getLlama, type Llama } from "node-llama-cpp";
import { z } from "zod";
import { AppError, type LoadedModel } from "../../contract/index.js";
import type { ContextMeter } from "../chat/context/context-meter.js";
import type { Logger } from "../core-types.js";
import { checkEmbedTexts } from "../engine/embed.js";
import type { EmbedRequest, EmbedResult, GenerateRequest, GenerateResult, ModelLoadOptions, ModelRef } from "../engine/engine.js";
import { llamaOptions } from "../engine/llama-options.js";
import type { EnginePort, LocalCheckRequest, MeasureRequest } from "./engine-port.js";
import { crashError, fromHostError, protocolError, quickRestartsError } from "./host-errors.js";
import { forkHost, hostScript, type HostProcess, type SpawnHost } from "./host-spawn.js";
import { fromHostSchema, hostLimits, type DeltaPart, type FromHost, type HostMethod } from "./protocol.js";
import { embedResultSchema, generateResultSchema, meterSchema } from "./result-schemas.js";

export type EngineHostOptions = {
  /** Browser mode and tests: Node's fork (the default); the desktop app: Electron's utilityProcess. */
  spawn?: SpawnHost;
  /** The compiled host script (default: beside this module once built; see hostScript). */
  script?: string;
  threads?: number;
  gpu?: "auto" | false;
  memory?: { totalRamBytes?: number; freeRamBytes?: number };
  logger?: Logger;
  /** V8 heap of the host, MB; the model's weights and KV cache are native memory and not counted here. */
  maxHeapMb?: number;
  /** How long a new host may take to say it is ready. */
  startTimeoutMs?: number;
  /**
   * Restarts after a crash wait `baseDelayMs`, doubling up to `maxDelayMs`; after `maxCrashes` crashes within
   * `windowMs` calls fail at once (a model that kills the runtime on load is not retried forever).
   */
  restart?: { baseDelayMs?: number; maxDelayMs?: number; maxCrashes?: number; windowMs?: number };
};

type Pending = {
  method: HostMethod;
  schema: z.ZodType<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onDelta?: (part: DeltaPart) => void;
  onStarted?: () => void;
  streamed: number;
};

type Host = { process: HostProcess; ready: boolean; pid: number | null };

const describeSchema = z.object({ gpu: z.string().max(100), threads: z.number().int().positive() });
const loadSchema = z.object({ loadMs: z.number().nonnegative().nullable() });
const nothingSchema = z.null();
const answerSchema = z.string().max(hostLimits.maxStreamChars).nullable();

/** Top-level fields of a request that can cross: callbacks and the AbortSignal stay on this side. */
function plainFields(request: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => typeof value !== "function" && !(value instanceof AbortSignal)));
}

/**
 * The engine in a child process, behind the same port as the engine in-process. If the host dies (llama.cpp's
 * abort, a kill, out of memory), the calls in flight reject with ENGINE_CRASHED, the loaded model goes back to none,
 * and the next call starts a new host (after a back-off, and not after too many quick crashes).
 */
export class EngineHostClient implements EnginePort {
  onLoadedChange: ((loaded: LoadedModel | null) => void) | null = null;
  private loaded: LoadedModel | null = null;
  private host: Host | null = null;
  private starting: Promise<Host> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private crashes: number[] = [];
  private disposed = false;
  private llamaPromise: Promise<Llama> | null = null;
  private described: { gpu: string; threads: number } | null = null;
  private rate = { since: 0, count: 0 };
  private readonly restart: Required<NonNullable<EngineHostOptions["restart"]>>;

  constructor(private readonly options: EngineHostOptions = {}) {
    this.restart = { baseDelayMs: 250, maxDelayMs: 5_000, maxCrashes: 3, windowMs: 60_000, ...options.restart };
  }

  /** The host's process id while one runs (diagnostics and the crash tests). */
  get hostPid(): number | null {
    return this.host?.pid ?? null;
  }

  get loadedModelId(): string | null {
    return this.loaded?.modelId ?? null;
  }

  loadedInfo(): LoadedModel | null {
    return this.loaded;
  }

  /** Asked of the first host only: the backend does not change, and the app's info must not need a live host. */
  async describe(): Promise<{ gpu: string; threads: number }> {
    this.described ??= await this.call("describe", {}, describeSchema);
    return this.described;
  }

  load(ref: ModelRef, contextSize: number, options?: ModelLoadOptions): Promise<{ loadMs: number | null }> {
    return this.call("load", { ref, contextSize, ...(options ? { options } : {}) }, loadSchema);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { onTextDelta, onReasoningDelta, onStart } = request;
    const result = await this.call("generate", plainFields(request), generateResultSchema, {
      signal: request.signal,
      onDelta: (part) => (part.kind === "text" ? onTextDelta(part.text) : onReasoningDelta(part.text)),
      onStarted: onStart,
    });
    return result as unknown as GenerateResult;
  }

  async measureContext(request: MeasureRequest): Promise<ContextMeter> {
    return (await this.call("measureContext", plainFields(request), meterSchema)) as unknown as ContextMeter;
  }

  async localCheck(request: LocalCheckRequest, signal?: AbortSignal): Promise<string | null> {
    // No model loaded (no host, or one that just died): nothing to ask, and no host to start for it.
    if (!this.loaded || !this.host) return null;
    return this.call("localCheck", plainFields(request), answerSchema, { signal });
  }

  async embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResult> {
    // Refused here too, so a hostile batch never crosses; the host checks again.
    checkEmbedTexts(request.texts);
    // A host that answers for other texts than were sent is broken (stopped, as for any invalid result).
    const schema = embedResultSchema.refine((result) => result.vectors.length === request.texts.length);
    return await this.call("embed", plainFields(request), schema, { signal });
  }

  async unload(): Promise<void> {
    if (!this.host) return;
    await this.call("unload", {}, nothingSchema);
  }

  getLlama(): Promise<Llama> {
    this.llamaPromise ??= getLlama(llamaOptions({ gpu: this.options.gpu, logger: this.options.logger }));
    return this.llamaPromise;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    const host = this.host?.ready ? this.host : ((await this.starting?.catch(() => null)) ?? null);
    // From here no host starts again.
    this.disposed = true;
    if (host && this.host === host) {
      const exited = new Promise<void>((resolve) => host.process.onExit(() => resolve()));
      const id = this.nextId++;
      this.pending.set(id, { method: "dispose", schema: nothingSchema, resolve: () => {}, reject: () => {}, streamed: 0 });
      host.process.send({ type: "call", id, method: "dispose", body: {} });
      // The host frees the model and exits; one that does not within the time is killed.
      const timer = setTimeout(() => host.process.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.detach(new AppError("ABORTED", "Hearth is shutting down."), false);
    const llama = await this.llamaPromise?.catch(() => null);
    await llama?.dispose();
  }

  private async call<T>(
    method: HostMethod,
    body: Record<string, unknown>,
    schema: z.ZodType<T>,
    stream: { signal?: AbortSignal; onDelta?: (part: DeltaPart) => void; onStarted?: () => void } = {},
  ): Promise<T> {
    const { signal } = stream;
    if (signal?.aborted) {
      throw new AppError("ABORTED", method === "generate" ? "Stopped before the answer started." : "Stopped before it started.");
    }
    if (JSON.stringify(body).length > hostLimits.maxBodyChars) {
      throw new AppError("INVALID_INPUT", "This request is too large for the model runtime.");
    }
    const host = await this.connection();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => host.process.send({ type: "abort", id });
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        method,
        schema,
        resolve: (value) => {
          settle();
          resolve(value as T);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onDelta: stream.onDelta,
        onStarted: stream.onStarted,
        streamed: 0,
      });
      host.process.send({ type: "call", id, method, body });
    });
  }

  /** The running host, or a new one (after the back-off; refused after too many quick crashes). */
  private connection(): Promise<Host> {
    if (this.disposed) return Promise.reject(new AppError("MODEL_LOAD_FAILED", "Hearth is shutting down."));
    if (this.host?.ready) return Promise.resolve(this.host);
    this.starting ??= this.start().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async start(): Promise<Host> {
    const { baseDelayMs, maxDelayMs, maxCrashes, windowMs } = this.restart;
    const now = Date.now();
    this.crashes = this.crashes.filter((at) => now - at < windowMs);
    if (this.crashes.length >= maxCrashes) throw quickRestartsError(this.crashes.length, windowMs);
    if (this.crashes.length > 0) {
      const wait = Math.min(maxDelayMs, baseDelayMs * 2 ** (this.crashes.length - 1));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const { threads, gpu, memory } = this.options;
    const args = [
      ...(threads != null ? ["--threads", String(threads)] : []),
      ...(gpu === false ? ["--gpu", "off"] : []),
      ...(memory?.totalRamBytes != null ? ["--total-ram", String(memory.totalRamBytes)] : []),
      ...(memory?.freeRamBytes != null ? ["--free-ram", String(memory.freeRamBytes)] : []),
    ];
    const spawn = this.options.spawn ?? forkHost;
    const child = spawn(this.options.script ?? hostScript(), args, { execArgv: [`--max-old-space-size=${this.options.maxHeapMb ?? 2048}`] });
    const host: Host = { process: child, ready: false, pid: child.pid ?? null };
    this.host = host;
    this.rate = { since: Date.now(), count: 0 };
    return new Promise<Host>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (host.ready) return;
        this.options.logger?.error("engine host did not start in time");
        this.detach(crashError(), true, host);
        child.kill();
        reject(crashError());
      }, this.options.startTimeoutMs ?? 30_000);
      child.onMessage((raw) => {
        if (this.host !== host) return;
        if (!host.ready) {
          const parsed = fromHostSchema.safeParse(raw);
          if (parsed.success && parsed.data.type === "ready") {
            clearTimeout(timer);
            host.ready = true;
            host.pid = parsed.data.pid;
            resolve(host);
            return;
          }
        }
        this.receive(host, raw);
      });
      child.onExit((code, signal) => {
        clearTimeout(timer);
        if (this.host !== host) return;
        if (!this.disposed) this.options.logger?.error("engine host stopped unexpectedly", { code, signal });
        this.detach(crashError(), !this.disposed, host);
        if (!host.ready) reject(crashError());
      });
    });
  }

  private receive(host: Host, raw: unknown): void {
    const now = Date.now();
    if (now - this.rate.since >= 1000) this.rate = { since: now, count: 0 };
    if (++this.rate.count > hostLimits.maxMessagesPerSecond) return this.violation(host, "too many messages");
    const parsed = fromHostSchema.safeParse(raw);
    if (!parsed.success) return this.violation(host, "malformed message");
    const message: FromHost = parsed.data;
    switch (message.type) {
      case "ready":
        return this.violation(host, "second ready");
      case "loaded":
        return this.setLoaded(message.loaded);
      case "log": {
        const { logger } = this.options;
        logger?.[message.level](`engine host: ${message.message}`, message.fields);
        return;
      }
      case "started":
        this.guard(() => this.pending.get(message.id)?.onStarted?.());
        return;
      case "deltas": {
        const pending = this.pending.get(message.id);
        if (!pending) return; // a call already rejected (a crash of an earlier host cannot reach here)
        if (!pending.onDelta) return this.violation(host, "deltas for a call that streams none");
        for (const part of message.parts) pending.streamed += part.text.length;
        if (pending.streamed > hostLimits.maxStreamChars) return this.violation(host, "answer too long");
        for (const part of message.parts) this.guard(() => pending.onDelta!(part));
        return;
      }
      case "result": {
        const pending = this.pending.get(message.id);
        if (!pending) return this.violation(host, "result of an unknown call");
        const value = pending.schema.safeParse(message.value);
        if (!value.success) return this.violation(host, `invalid ${pending.method} result`);
        this.pending.delete(message.id);
        pending.resolve(value.data);
        return;
      }
      case "error": {
        const pending = this.pending.get(message.id);
        if (!pending) return this.violation(host, "error of an unknown call");
        this.pending.delete(message.id);
        pending.reject(fromHostError(message.error));
        return;
      }
      default:
        message satisfies never;
    }
  }

  /** A listener of the caller failed: logged; the answer goes on, as an in-process callback's failure would not. */
  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.logger?.error("engine listener failed", { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The host broke the protocol: it is stopped at once, its calls fail with a clear error, and it counts as a crash. */
  private violation(host: Host, what: string): void {
    this.options.logger?.error("engine host broke the protocol; stopping it", { what });
    this.detach(protocolError(what), true, host);
    host.process.kill();
  }

  /** Forgets the host: its calls reject with `error`, the loaded model goes back to none. */
  private detach(error: unknown, crashed: boolean, host: Host | null = this.host): void {
    if (host && this.host !== host) return;
    this.host = null;
    if (crashed) this.crashes.push(Date.now());
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const call of pending) call.reject(error);
    this.setLoaded(null);
  }

  private setLoaded(loaded: LoadedModel | null): void {
    if (loaded === null && this.loaded === null) return;
    this.loaded = loaded;
    this.guard(() => this.onLoadedChange?.(loaded));
  }
}
