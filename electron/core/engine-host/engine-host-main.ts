/**
 * The engine host: a process of its own that holds llama.cpp (node-llama-cpp's Engine) and serves the engine's
 * methods to the core over the message protocol. llama.cpp aborts the whole process on some malformed or
 * unsupported models (GGML_ASSERT); here that ends only this process, and the core restarts it.
 * Started by Node's fork (process.send) or Electron's utilityProcess (process.parentPort).
 */
import { parseArgs } from "node:util";
import type { Logger } from "../core-types.js";
import { askLoadedModel } from "../cloud/redact/llm-pass-engine.js";
import { Engine, type EmbedRequest, type GenerateRequest, type ModelLoadOptions, type ModelRef } from "../engine/engine.js";
import type { LocalCheckRequest, MeasureRequest } from "./engine-port.js";
import { toHostError } from "./host-errors.js";
import { HostDeltas } from "./host-deltas.js";
import { hostLimits, toHostSchema, type FromHost, type HostMethod } from "./protocol.js";

type ParentPort = {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
};
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function send(message: FromHost): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function fieldValue(value: unknown): string | number | boolean | null {
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  return String(value).slice(0, hostLimits.maxTextChars);
}

function log(level: "info" | "warn" | "error"): Logger["info"] {
  return (message, fields) => {
    const entries = Object.entries(fields ?? {}).slice(0, 20).map(([k, v]) => [k.slice(0, 100), fieldValue(v)] as const);
    send({ type: "log", level, message: message.slice(0, hostLimits.maxTextChars), ...(entries.length ? { fields: Object.fromEntries(entries) } : {}) });
  };
}
const logger: Logger = { info: log("info"), warn: log("warn"), error: log("error") };

const { values } = parseArgs({
  options: {
    threads: { type: "string" },
    gpu: { type: "string" },
    "total-ram": { type: "string" },
    "free-ram": { type: "string" },
  },
  strict: false,
});
const numberArg = (value: string | boolean | undefined) => (typeof value === "string" && value !== "" ? Number(value) : undefined);
const totalRamBytes = numberArg(values["total-ram"]);
const freeRamBytes = numberArg(values["free-ram"]);
const engine = new Engine({
  threads: numberArg(values.threads),
  gpu: values.gpu === "off" ? false : "auto",
  ...(totalRamBytes != null || freeRamBytes != null ? { memory: { totalRamBytes, freeRamBytes } } : {}),
  logger,
});
engine.onLoadedChange = (loaded) => send({ type: "loaded", loaded });

const aborts = new Map<number, AbortController>();

async function run(id: number, method: HostMethod, body: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
  switch (method) {
    case "load":
      return engine.load(body["ref"] as ModelRef, body["contextSize"] as number, body["options"] as ModelLoadOptions | undefined);
    case "generate": {
      const deltas = new HostDeltas((parts) => send({ type: "deltas", id, parts }));
      try {
        // The body is the caller's request minus its callbacks and signal: whatever fields the engine takes pass through.
        return await engine.generate({
          ...(body as Omit<GenerateRequest, "signal" | "onTextDelta" | "onReasoningDelta" | "onStart">),
          signal,
          onTextDelta: (text) => deltas.push("text", text),
          onReasoningDelta: (text) => deltas.push("reasoning", text),
          onStart: () => send({ type: "started", id }),
        });
      } finally {
        deltas.flush();
      }
    }
    case "measureContext":
      return engine.measureContext(body as MeasureRequest);
    case "localCheck":
      return askLoadedModel(engine, body as LocalCheckRequest, signal);
    case "embed":
      return engine.embed(body as EmbedRequest, signal);
    case "unload":
      return engine.unload();
    case "describe":
      return engine.describe();
    case "dispose":
      return engine.dispose();
  }
}

async function handle(message: unknown): Promise<void> {
  const parsed = toHostSchema.safeParse(message);
  if (!parsed.success) {
    logger.error("engine host got a malformed message");
    return;
  }
  const call = parsed.data;
  if (call.type === "abort") {
    aborts.get(call.id)?.abort();
    return;
  }
  const controller = new AbortController();
  aborts.set(call.id, controller);
  try {
    const value = await run(call.id, call.method, call.body, controller.signal);
    send({ type: "result", id: call.id, value: value ?? null });
  } catch (error) {
    send({ type: "error", id: call.id, error: toHostError(error) });
  } finally {
    aborts.delete(call.id);
  }
  if (call.method === "dispose") process.exit(0);
}

if (parentPort) parentPort.on("message", (event) => void handle(event.data));
else process.on("message", (message) => void handle(message));
// The core went away (killed): nothing is left to serve.
process.on("disconnect", () => process.exit(0));
// Ctrl-C in a terminal reaches the whole process group: the core decides when the host stops (dispose).
process.on("SIGINT", () => {});
send({ type: "ready", pid: process.pid });
