/**
 * Quantization names as they appear in GGUF file names ("Llama-3.2-1B-Instruct-Q4_K_M.gguf",
 * "qwen3-8b-ud-q4_k_xl.gguf", "gemma-3-4b-it-bf16.gguf"), and their order by quality.
 */

// Bounded by anything that is not a letter or digit, so "f16" inside "bf16" or "q4" inside "aq4x" never matches.
const quantPattern =
  /(?<![a-z0-9])(bf16|fp16|f16|fp32|f32|mxfp4(?:_moe)?|tq[12]_0|i?q[1-8]_(?:k(?:_(?:xxs|xs|s|m|l|xl))?|[01](?:_[48]_[48])?|nl|xxs|xs|s|m|l))(?![a-z0-9])/gi;

/** The quantization named in a file name, upper case ("Q4_K_M", "IQ4_XS", "BF16"); null when it names none. */
export function parseQuantization(fileName: string): string | null {
  const base = fileName.split("/").pop() ?? fileName;
  // The last match wins: a quantization comes after the model's name, which may itself contain look-alikes.
  let last: string | null = null;
  for (const match of base.matchAll(quantPattern)) last = match[1] ?? last;
  if (last === null) return null;
  const upper = last.toUpperCase();
  return upper === "FP16" ? "F16" : upper === "FP32" ? "F32" : upper;
}

/**
 * Best first. Roughly bits per weight, corrected where a newer scheme beats an older one of the same size
 * (k-quants and i-quants over the legacy _0/_1 types); unsloth's dynamic "_XL" variants sit just above their
 * "_M" siblings.
 */
const qualityOrder = [
  "F32",
  "BF16",
  "F16",
  "Q8_K_XL",
  "Q8_0",
  "Q6_K_XL",
  "Q6_K",
  "Q5_K_XL",
  "Q5_K_M",
  "Q5_K_S",
  "Q5_1",
  "Q5_0",
  "Q4_K_XL",
  "Q4_K_M",
  "Q4_K_S",
  "IQ4_NL",
  "IQ4_XS",
  "Q4_1",
  "MXFP4",
  "MXFP4_MOE",
  "Q4_0",
  "Q3_K_XL",
  "Q3_K_L",
  "Q3_K_M",
  "IQ3_M",
  "IQ3_S",
  "Q3_K_S",
  "IQ3_XS",
  "IQ3_XXS",
  "Q2_K_XL",
  "Q2_K_L",
  "Q2_K",
  "IQ2_M",
  "IQ2_S",
  "IQ2_XS",
  "IQ2_XXS",
  "TQ2_0",
  "IQ1_M",
  "TQ1_0",
  "IQ1_S",
] as const;

const qualityIndex = new Map<string, number>(qualityOrder.map((name, index) => [name, index]));

/** Higher is better; unknown names get -1 (they sort after every known one). */
export function quantizationQuality(quantization: string | null): number {
  if (quantization === null) return -1;
  const index = qualityIndex.get(quantization.toUpperCase().replace(/_[48]_[48]$/, ""));
  return index === undefined ? -1 : qualityOrder.length - index;
}

/** Whether the name is one Hearth knows how to rank. */
export function isKnownQuantization(quantization: string): boolean {
  return quantizationQuality(quantization) >= 0;
}
