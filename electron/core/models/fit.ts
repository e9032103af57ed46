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
import { AppError, type Fit, type FitVerdict } from "../../contract/index.js";
import { parseQuantization, quantizationQuality } from "./quantization.js";

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

function gib(bytes: number): string {
  const value = bytes / GiB;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} GiB`;
}

function tokens(context: number): string {
  return `${context.toLocaleString("en-US")}-token`;
}

function available(machine: MachineResources): string {
  if (machine.vram.total <= 0) return `${gib(machine.ram.total)} of RAM, no GPU`;
  if (machine.unifiedMemory) return `${gib(machine.ram.total)} of unified memory`;
  return `${gib(machine.ram.total)} of RAM and ${gib(machine.vram.total)} of GPU memory`;
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
      return `Needs about ${gib(needs.vram)} of GPU memory and ${gib(needs.ram)} of RAM ${at}; this machine has ${available(machine)}.`;
    case "ram":
      return (
        `Needs about ${gib(needs.ram)} of RAM ${at}; this machine has ${gib(machine.ram.total)} ` +
        `(${gib(machine.ram.free)} free)${machine.vram.total > 0 ? " and its GPU memory is too small to help" : ""}.`
      );
    case "partial":
      return (
        `Only ${gpuLayers} of ${totalLayers} layers fit in ${gib(machine.vram.total)} of GPU memory; the rest run on ` +
        `the CPU from ${gib(needs.ram)} of RAM, which is slower.`
      );
    case "no":
      return `Needs about ${gib(needs.ram + needs.vram)} ${at}, more than this machine has (${available(machine)}).`;
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
 */
export async function readRemoteGgufInfo(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<GgufFileInfo> {
  const timeout = AbortSignal.timeout(headerTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
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

export type FileFit<F extends { fileName: string; quantization: string | null }> = { file: F; fit: Fit };

const verdictRank: Readonly<Record<FitVerdict, number>> = { gpu: 3, ram: 2, partial: 1, no: 0 };
/** Above this, a CPU-bound model gets slower for little gain in answers. */
const cpuCeiling = quantizationQuality("Q4_K_M");
/** Unquantized weights double the size of Q8_0 for no difference a chat user would notice. */
const gpuCeiling = quantizationQuality("Q8_0");

/**
 * The file to suggest. The rule, in order:
 * 1. Only files that fit, and only those with the best verdict among them: all on the GPU beats all in RAM beats a
 *    partial offload (speed matters more than a notch of quality; a model that crawls gets no use).
 * 2. Within that group, the best quality up to a ceiling: Q8_0 when everything runs on the GPU (fast either way),
 *    Q4_K_M when the CPU does the work (generation speed is bound by memory bandwidth, so every extra bit per weight
 *    costs speed, and Q4_K_M is where quality loss becomes hard to notice). Below the ceiling, better quality wins:
 *    Q4_K_M over Q3/Q2.
 * 3. Only when nothing is at or under the ceiling, the smallest file above it.
 * Files with an unknown quantization rank last (the smallest of them). Null when nothing fits.
 */
export function recommendFile<F extends { fileName: string; quantization: string | null; sizeBytes?: number }>(
  fits: readonly FileFit<F>[],
): FileFit<F> | null {
  const fitting = fits.filter((candidate) => candidate.fit.verdict !== "no");
  if (fitting.length === 0) return null;
  const best = Math.max(...fitting.map((candidate) => verdictRank[candidate.fit.verdict]));
  const group = fitting.filter((candidate) => verdictRank[candidate.fit.verdict] === best);
  const ceiling = best === verdictRank.gpu ? gpuCeiling : cpuCeiling;
  const quality = (candidate: FileFit<F>): number =>
    quantizationQuality(candidate.file.quantization ?? parseQuantization(candidate.file.fileName));
  const size = (candidate: FileFit<F>): number => candidate.file.sizeBytes ?? candidate.fit.ramBytes + candidate.fit.vramBytes;

  const known = group.filter((candidate) => quality(candidate) >= 0);
  const under = known.filter((candidate) => quality(candidate) <= ceiling);
  if (under.length > 0) return pick(under, (a, b) => quality(b) - quality(a) || size(a) - size(b));
  if (known.length > 0) return pick(known, (a, b) => quality(a) - quality(b) || size(a) - size(b));
  return pick(group, (a, b) => size(a) - size(b));
}

/** The first element after sorting by `order`, without mutating the input. */
function pick<T>(items: readonly T[], order: (a: T, b: T) => number): T {
  return [...items].sort(order)[0]!;
}
