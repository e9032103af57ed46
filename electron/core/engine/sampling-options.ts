import type { LLamaChatGenerateResponseOptions } from "node-llama-cpp";
import type { SamplingSettings } from "../../contract/index.js";

export type SamplingOptions = Pick<LLamaChatGenerateResponseOptions, "topP" | "topK" | "minP" | "seed" | "repeatPenalty">;

/**
 * A conversation's sampling settings as node-llama-cpp's generation options. Without settings (a caller that has
 * no conversation, like the local second redaction pass) nothing is passed and node-llama-cpp's defaults apply.
 */
export function samplingOptions(sampling: SamplingSettings | undefined): SamplingOptions {
  if (!sampling) return {};
  return {
    topP: sampling.topP,
    topK: sampling.topK,
    minP: sampling.minP,
    // No seed: node-llama-cpp draws one from the clock, so each answer differs.
    ...(sampling.seed === null ? {} : { seed: sampling.seed }),
    repeatPenalty: sampling.repeatPenalty === 1 ? false : { penalty: sampling.repeatPenalty },
  };
}
