import os from "node:os";
import {
  GgufInsights,
  InsufficientMemoryError,
  readGgufFileInfo,
  type GgufFileInfo,
  type Llama,
  type LlamaGpuType,
  type ModelFileAccessTokens,
} from "node-llama-cpp";
import { AppError, isAppError, type Fit, type FitVerdict } from "../../contract/index.js";
import { formatMemory } from "../format-memory.js";
import { checkRemoteGgufBounds } from "./remote-gguf-bounds.js";

export type MachineResources = {
  ram: { total: number; free: number };
  /** Zero when there is no GPU. */
  vram: { total: number; free: number };
  /** Unified memory (Apple Silicon): VRAM and RAM are the same pool. */
  unifiedMemory?: boolean;
};

const GiB = 1024 ** 3;

export const fitLabels: Readonly<Record<FitVerdict, string>> = {
  gpu: "Fits in GPU",
  ram: "Fits in RAM",
  partial: "Slow (partial offload)",
  no: "Won't fit",
};

/** What this machine has, from node-llama-cpp (the override lets tests and settings simulate another machine). */
export async function machineResources(llama: Llama, override: Partial<MachineResources> = {}): Promise<MachineResources> {
  const ram = override.ram ?? (await ramState(llama));
  let vram = override.vram;
  let unifiedMemory = override.unifiedMemory;
  if (vram === undefined || unifiedMemory === undefined) {
    const state = llama.gpu === false ? null : await llama.getVramState().catch(() => null);
    vram ??= state ? { total: state.total, free: state.free } : { total: 0, free: 0 };
    unifiedMemory ??= state ? state.unifiedSize > 0 : false;
  }
  return { ram, vram, unifiedMemory };
}

async function ramState(llama: Llama): Promise<MachineResources["ram"]> {
  try {
    const state = await llama.getRamState();
    return { total: state.total, free: state.free };
  } catch {
    return { total: os.totalmem(), free: os.freemem() };
  }
}

/** The fit verdict for a parsed GGUF header at a context size, against the given machine. */
export async function estimateFit(
  llama: Llama,
  info: GgufFileInfo,
  contextSize: number,
  machine: MachineResources,
): Promise<Fit> {
  const hasGpu = machine.vram.total > 0;
  // node-llama-cpp measures memory by loading the header (no weights) into this process's llama.cpp backend. That
  // measures the backend we have: for a GPU this process cannot use (a simulated machine), a CPU build would report
  // zero VRAM for everything, so there we hide the header from it and it falls back to its size arithmetic.
  const canMeasure = !hasGpu || llama.gpu !== false;
  const insights = await GgufInsights.from(canMeasure ? info : { ...info, source: undefined, sourceData: [] }, llama);
  const totalLayers = insights.totalLayers;
  const context = Math.max(1, Math.min(Math.floor(contextSize), insights.trainContextSize ?? contextSize));
  const llamaGpu: LlamaGpuType = !hasGpu ? false : llama.gpu !== false ? llama.gpu : machine.unifiedMemory ? "metal" : "cuda";

  let score;
  try {
    score = await insights.configurationResolver.resolveAndScoreConfig(
      { targetContextSize: context },
      {
        getRamState: async () => ({ total: machine.ram.total, free: machine.ram.free }),
        getVramState: async () => ({
          total: machine.vram.total,
          free: machine.vram.free,
          unifiedSize: machine.unifiedMemory ? machine.vram.total : 0,
        }),
        // Swap keeps a model loadable but makes it crawl; we do not count on it.
        getSwapState: async () => ({ total: 0, free: 0 }),
        // node-llama-cpp's default padding (8% of the VRAM, at most 1.2 GB), from the machine we were given.
        llamaVramPaddingSize: Math.min(machine.vram.total * 0.08, 1.2 * 1000 ** 3),
        llamaGpu,
        llamaSupportsGpuOffloading: hasGpu,
      },
    );
  } catch (cause) {
    if (cause instanceof InsufficientMemoryError) return noFit(context, totalLayers, machine);
    throw new AppError("INTERNAL", "Hearth could not estimate how much memory this model needs.", { cause });
  }

  const used = score.resolvedValues;
  const gpuLayers = Math.max(0, Math.min(totalLayers, Math.round(used.gpuLayers)));
  // The resolver already scores an impossible configuration 0; this states the rule in our own terms too.
  const tooBig = machine.unifiedMemory
    ? used.totalRamUsage + used.totalVramUsage > machine.ram.total
    : used.totalRamUsage > machine.ram.total || used.totalVramUsage > machine.vram.total;
  const verdict: FitVerdict =
    score.compatibilityScore <= 0 || tooBig ? "no" : !hasGpu || gpuLayers === 0 ? "ram" : gpuLayers >= totalLayers ? "gpu" : "partial";

  return {
    verdict,
    label: fitLabels[verdict],
    contextSize: context,
    gpuLayers: verdict === "no" ? 0 : gpuLayers,
    totalLayers,
    ramBytes: Math.max(0, used.totalRamUsage),
    vramBytes: Math.max(0, used.totalVramUsage),
    detail: describe(verdict, { ram: used.totalRamUsage, vram: used.totalVramUsage }, context, gpuLayers, totalLayers, machine),
  };
}

function noFit(context: number, totalLayers: number, machine: MachineResources): Fit {
  return {
    verdict: "no",
    label: fitLabels.no,
    contextSize: context,
    gpuLayers: 0,
    totalLayers,
    ramBytes: 0,
    vramBytes: 0,
    detail: `It needs more memory than this machine has (${available(machine)}) for a ${tokens(context)} context.`,
  };
}


function tokens(context: number): string {
  return `${context.toLocaleString("en-US")}-token`;
}

function available(machine: MachineResources): string {
  if (machine.vram.total <= 0) return `${formatMemory(machine.ram.total)} of RAM, no GPU`;
  if (machine.unifiedMemory) return `${formatMemory(machine.ram.total)} of unified memory`;
  return `${formatMemory(machine.ram.total)} of RAM and ${formatMemory(machine.vram.total)} of GPU memory`;
}

function describe(
  verdict: FitVerdict,
  needs: { ram: number; vram: number },
  context: number,
  gpuLayers: number,
  totalLayers: number,
  machine: MachineResources,
): string {
  const at = `for a ${tokens(context)} context`;
  switch (verdict) {
    case "gpu":
      return `Needs about ${formatMemory(needs.vram)} of GPU memory and ${formatMemory(needs.ram)} of RAM ${at}; this machine has ${available(machine)}.`;
    case "ram":
      return (
        `Needs about ${formatMemory(needs.ram)} of RAM ${at}; this machine has ${formatMemory(machine.ram.total)} ` +
        `(${formatMemory(machine.ram.free)} free)${machine.vram.total > 0 ? " and its GPU memory is too small to help" : ""}.`
      );
    case "partial":
      return (
        `Only ${gpuLayers} of ${totalLayers} layers fit in ${formatMemory(machine.vram.total)} of GPU memory; the rest run on ` +
        `the CPU from ${formatMemory(needs.ram)} of RAM, which is slower.`
      );
    case "no":
      return `Needs about ${formatMemory(needs.ram + needs.vram)} ${at}, more than this machine has (${available(machine)}).`;
    default:
      return verdict satisfies never;
  }
}

/** Retry a flaky connection a little, but never make the user wait the library's default (10 tries, minutes). */
const headerFetchRetries = { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2_000 };
const headerTimeoutMs = 60_000;

/**
 * Reads a remote GGUF file's header (metadata and tensor list) with HTTP Range requests, without downloading the
 * weights; split models are read part by part and spliced. Failures become AppErrors a user can act on.
 * node-llama-cpp's reader takes headers but no fetch and calls the global `fetch`: call this only inside an egress
 * gate hub transfer (`EgressGate.hubRequest`), whose route sends those requests through the gate; anywhere else the
 * route refuses them.
 */
export async function readRemoteGgufInfo(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<GgufFileInfo> {
  const timeout = AbortSignal.timeout(headerTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    await checkRemoteGgufBounds(url, headers, combined);
    return await readGgufFileInfo(url, {
      sourceType: "network",
      readTensorInfo: true,
      spliceSplitFiles: true,
      logWarnings: false,
      fetchHeaders: headers,
      fetchRetryOptions: headerFetchRetries,
      // null (not undefined) stops node-llama-cpp from reading HF_TOKEN or ~/.cache/huggingface/token: Hearth sends
      // only the token the user gave it, in `headers`.
      tokens: { huggingFace: null } as unknown as ModelFileAccessTokens,
      signal: combined,
    });
  } catch (cause) {
    throw remoteHeaderError(url, cause, signal, timeout);
  }
}

function remoteHeaderError(url: string, cause: unknown, signal: AbortSignal | undefined, timeout: AbortSignal): AppError {
  let host = url;
  let file = url;
  try {
    const parsed = new URL(url);
    host = parsed.host;
    file = decodeURIComponent(parsed.pathname.split("/").pop() ?? url);
  } catch {
    // keep the raw text
  }
  if (signal?.aborted) return new AppError("ABORTED", "Stopped.", { cause });
  // The bounded walk's own verdicts (NOT_GGUF, DAMAGED_MODEL, GGUF_TRUNCATED) already say what is wrong.
  if (isAppError(cause) && !timeout.aborted) return cause;
  if (timeout.aborted) {
    return new AppError("NETWORK", `${host} did not answer in time while Hearth read ${file}'s header. Try again.`, {
      retryable: true,
      cause,
    });
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof Error && cause.name === "InvalidGgufMagicError") {
    return new AppError("NOT_GGUF", `${file} on ${host} is not a GGUF model file.`, { cause });
  }
  const status = Number(/Failed to fetch byte range: (\d{3})/.exec(message)?.[1] ?? NaN);
  if (status === 401 || status === 403) {
    return new AppError(
      "GATED_MODEL",
      `${host} refused access to ${file}. The repository may be gated: accept its license on Hugging Face, then add an ` +
        "access token in Settings.",
      { cause },
    );
  }
  if (status === 404) return new AppError("NOT_FOUND", `No file ${file} at ${host}.`, { cause });
  return new AppError("NETWORK", `Could not read ${file}'s header from ${host}. Check the connection and try again.`, {
    retryable: true,
    cause,
  });
}

export { recommendFile, type FileFit } from "../../contract/recommend-file.js";
