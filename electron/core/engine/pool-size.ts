import type { GgmlType, LlamaModel } from "node-llama-cpp";

/**
 * Share of the memory left after the weights and one sequence that further sequences may take: the first sequence
 * is the load's own (checked against the machine before loading); extra ones are a cache, never worth crowding
 * out the OS and the other apps.
 */
const SPARE_SHARE = 0.5;

export type SequenceFit = { sequences: number; contextRam: number; contextVram: number };

/**
 * How many sequences of `contextSize` tokens this loaded model can keep, from node-llama-cpp's estimates of the
 * context it would allocate (`estimateContextResourceRequirementsV2` with `sequences`): the most, up to `max`, whose
 * extra KV cache fits in half of what the weights and the first sequence leave free; never fewer than one.
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
  const one = await estimate(1).catch(() => ({ cpuRam: 0, gpuVram: 0 }));
  const spareRam = args.freeRamBytes - weights.cpuRam - one.cpuRam;
  const spareVram = args.freeVramBytes == null ? 0 : args.freeVramBytes - one.gpuVram;
  for (let n = Math.max(1, Math.floor(args.max)); n > 1; n--) {
    const need = await estimate(n).catch(() => null);
    if (!need) continue;
    const ramOk = need.cpuRam - one.cpuRam <= spareRam * SPARE_SHARE;
    const vramOk = need.gpuVram - one.gpuVram <= spareVram * SPARE_SHARE;
    if (ramOk && vramOk) return { sequences: n, contextRam: need.cpuRam, contextVram: need.gpuVram };
  }
  return { sequences: 1, contextRam: one.cpuRam, contextVram: one.gpuVram };
}
