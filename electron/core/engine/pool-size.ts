import type { GgmlType, LlamaModel } from "node-llama-cpp";

/** Share of the free RAM (before the load) the weights and all sequences may take: the OS and the app keep the rest. */
const RAM_SHARE = 0.8;
/** Share of the free VRAM (after the weights went there) the sequences' KV cache may take. */
const VRAM_SHARE = 0.9;

export type SequenceFit = { sequences: number; contextRam: number; contextVram: number };

/**
 * How many sequences of `contextSize` tokens this loaded model can keep, from node-llama-cpp's estimates of the
 * context it would allocate (`estimateContextResourceRequirementsV2` with `sequences`): the most, up to `max`, whose
 * KV cache fits beside the weights; never fewer than one (the load's own fit check already passed for one).
 */
export async function fitSequences(args: {
  model: LlamaModel;
  contextSize: number;
  max: number;
  flashAttention: boolean | undefined;
  kvCacheType: GgmlType | undefined;
  /** Free RAM before the weights were loaded (or the simulated machine's). */
  freeRamBytes: number;
  /** Free VRAM now, the weights already there; null without a GPU. */
  freeVramBytes: number | null;
}): Promise<SequenceFit> {
  const { model } = args;
  const insights = model.fileInsights;
  const weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers: model.gpuLayers }).catch(() => ({ cpuRam: model.size, gpuVram: 0 }));
  const estimate = (sequences: number) =>
    insights.estimateContextResourceRequirementsV2({
      contextSize: args.contextSize,
      modelGpuLayers: model.gpuLayers,
      sequences,
      ...(args.flashAttention != null ? { flashAttention: args.flashAttention } : {}),
      ...(args.kvCacheType != null ? { kvCacheKeyType: args.kvCacheType, kvCacheValueType: args.kvCacheType } : {}),
    });
  for (let n = Math.max(1, Math.floor(args.max)); n > 1; n--) {
    const need = await estimate(n).catch(() => null);
    if (!need) continue;
    const ramOk = weights.cpuRam + need.cpuRam <= args.freeRamBytes * RAM_SHARE;
    const vramOk = need.gpuVram === 0 || (args.freeVramBytes != null && need.gpuVram <= args.freeVramBytes * VRAM_SHARE);
    if (ramOk && vramOk) return { sequences: n, contextRam: need.cpuRam, contextVram: need.gpuVram };
  }
  const one = await estimate(1).catch(() => ({ cpuRam: 0, gpuVram: 0 }));
  return { sequences: 1, contextRam: one.cpuRam, contextVram: one.gpuVram };
}
