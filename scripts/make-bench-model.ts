import { existsSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readGgufFileInfo } from "node-llama-cpp";
import {
  gguf,
  metadataFromParsed,
  planGguf,
  seedFor,
  writeGguf,
  type GgmlTensorType,
  type GgufFileSpec,
  type GgufTensor,
  type GgufValue,
} from "./gguf-writer.js";

/**
 * A random-weight model with a real model's shape, for speed benchmarks: prefill and decode speed depend on the
 * tensor shapes and types, not on the values. The tokenizer is copied from a real GGUF (the 32,000-token Llama-2
 * one among the shared test models), so the vocabulary, and with it the output layer, is smaller than the real
 * model's.
 */

export type LlamaShape = {
  hiddenSize: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffnSize: number;
  ropeTheta: number;
  rmsEps: number;
  contextLength: number;
  /** Llama 3.1+ "llama3" RoPE scaling, stored as a rope_freqs tensor the way llama.cpp's converter does. */
  ropeScaling: { factor: number; lowFreqFactor: number; highFreqFactor: number; originalContextLength: number } | null;
  /** Output layer shares the token embedding (true for Llama-3.2-1B). */
  tiedEmbeddings: boolean;
};

export const llama32OneBShape: LlamaShape = {
  hiddenSize: 2048,
  layers: 16,
  heads: 32,
  kvHeads: 8,
  headDim: 64,
  ffnSize: 8192,
  ropeTheta: 500_000,
  rmsEps: 1e-5,
  contextLength: 131_072,
  ropeScaling: { factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalContextLength: 8192 },
  tiedEmbeddings: true,
};

export type BenchWeightType = "q4_0" | "q8_0";

export type LlamaModelOptions = {
  name: string;
  weightType: BenchWeightType;
  /** tokenizer.* metadata; the vocabulary size comes from tokenizer.ggml.tokens. */
  tokenizer: Record<string, GgufValue>;
  seed?: number;
  /** Weights are uniform in about ±scale: small enough that activations stay finite through all layers. */
  scale?: number;
};

const fileTypes: Record<BenchWeightType, number> = { q4_0: 2, q8_0: 7 }; // llama.cpp's LLAMA_FTYPE_MOSTLY_*

export function llamaModelSpec(shape: LlamaShape, options: LlamaModelOptions): GgufFileSpec {
  const tokens = options.tokenizer["tokenizer.ggml.tokens"];
  if (!tokens || tokens.type !== "array") throw new Error("The tokenizer metadata has no tokenizer.ggml.tokens.");
  const vocab = tokens.value.length;
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 0.02;
  const main: GgmlTensorType = options.weightType === "q4_0" ? "Q4_0" : "Q8_0";
  // llama.cpp keeps the output layer (or a tied embedding) at higher precision (Q6_K for Q4_0 files); Q8_0 is the
  // nearest type this writer has.
  const outputType: GgmlTensorType = "Q8_0";
  const { hiddenSize: n, headDim, heads, kvHeads, ffnSize } = shape;

  const random = (name: string, dims: number[], type: GgmlTensorType): GgufTensor => ({
    name,
    dims,
    type,
    data: { kind: "random", seed: seedFor(seed, name), scale },
  });
  const ones = (name: string, size: number): GgufTensor => ({
    name,
    dims: [size],
    type: "F32",
    data: { kind: "constant", value: 1 },
  });

  const tensors: GgufTensor[] = [random("token_embd.weight", [n, vocab], shape.tiedEmbeddings ? outputType : main)];
  if (shape.ropeScaling) {
    tensors.push({
      name: "rope_freqs.weight",
      dims: [headDim / 2],
      type: "F32",
      data: { kind: "values", values: llama3RopeFactors(shape.ropeTheta, headDim, shape.ropeScaling) },
    });
  }
  for (let i = 0; i < shape.layers; i++) {
    const blk = `blk.${i}`;
    tensors.push(
      ones(`${blk}.attn_norm.weight`, n),
      random(`${blk}.attn_q.weight`, [n, heads * headDim], main),
      random(`${blk}.attn_k.weight`, [n, kvHeads * headDim], main),
      random(`${blk}.attn_v.weight`, [n, kvHeads * headDim], main),
      random(`${blk}.attn_output.weight`, [heads * headDim, n], main),
      ones(`${blk}.ffn_norm.weight`, n),
      random(`${blk}.ffn_gate.weight`, [n, ffnSize], main),
      random(`${blk}.ffn_down.weight`, [ffnSize, n], main),
      random(`${blk}.ffn_up.weight`, [n, ffnSize], main),
    );
  }
  tensors.push(ones("output_norm.weight", n));
  if (!shape.tiedEmbeddings) tensors.push(random("output.weight", [n, vocab], outputType));

  const metadata: Record<string, GgufValue> = {
    "general.architecture": gguf.string("llama"),
    "general.type": gguf.string("model"),
    "general.name": gguf.string(options.name),
    "general.file_type": gguf.uint32(fileTypes[options.weightType]),
    "general.quantization_version": gguf.uint32(2),
    "llama.vocab_size": gguf.uint32(vocab),
    "llama.context_length": gguf.uint32(shape.contextLength),
    "llama.embedding_length": gguf.uint32(n),
    "llama.block_count": gguf.uint32(shape.layers),
    "llama.feed_forward_length": gguf.uint32(ffnSize),
    "llama.attention.head_count": gguf.uint32(heads),
    "llama.attention.head_count_kv": gguf.uint32(kvHeads),
    "llama.attention.key_length": gguf.uint32(headDim),
    "llama.attention.value_length": gguf.uint32(headDim),
    "llama.attention.layer_norm_rms_epsilon": gguf.float32(shape.rmsEps),
    "llama.rope.dimension_count": gguf.uint32(headDim),
    "llama.rope.freq_base": gguf.float32(shape.ropeTheta),
    ...options.tokenizer,
  };
  return { metadata, tensors };
}

/** Per-frequency divisors of Llama 3.1's RoPE scaling: 1 for short wavelengths, `factor` for long, smooth between. */
export function llama3RopeFactors(
  theta: number,
  headDim: number,
  scaling: NonNullable<LlamaShape["ropeScaling"]>,
): Float32Array {
  const lowFreqWavelength = scaling.originalContextLength / scaling.lowFreqFactor;
  const highFreqWavelength = scaling.originalContextLength / scaling.highFreqFactor;
  const factors = new Float32Array(headDim / 2);
  for (let i = 0; i < factors.length; i++) {
    const wavelength = (2 * Math.PI) / theta ** ((2 * i) / headDim);
    if (wavelength < highFreqWavelength) factors[i] = 1;
    else if (wavelength > lowFreqWavelength) factors[i] = scaling.factor;
    else {
      const smooth =
        (scaling.originalContextLength / wavelength - scaling.lowFreqFactor) /
        (scaling.highFreqFactor - scaling.lowFreqFactor);
      factors[i] = 1 / ((1 - smooth) / scaling.factor + smooth);
    }
  }
  return factors;
}

/** The repository root: the nearest folder above this file with a package.json (works from scripts/ and dist-electron/scripts/). */
export function findRepoRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}.`);
  }
}

export function defaultTokenizerSource(root = findRepoRoot()): string {
  return path.resolve(root, "..", "shared", "models", "llama-2-tiny-random.gguf");
}

export function defaultBenchModelPath(weightType: BenchWeightType = "q4_0", root = findRepoRoot()): string {
  return path.join(root, ".bench", `llama-3.2-1b-shape-${weightType}.gguf`);
}

export async function readTokenizerMetadata(ggufPath: string): Promise<Record<string, GgufValue>> {
  const info = await readGgufFileInfo(ggufPath, { readTensorInfo: false, logWarnings: false });
  return metadataFromParsed(info.metadata, "tokenizer.");
}

export type MakeBenchModelOptions = {
  weightType?: BenchWeightType;
  outPath?: string;
  tokenizerSource?: string;
  seed?: number;
  /** Rewrite even when a file of the right size exists. */
  force?: boolean;
  onProgress?: (writtenBytes: number, totalBytes: number) => void;
};

/** Writes the Llama-3.2-1B-shaped bench model unless a file of the expected size is already there. */
export async function makeBenchModel(
  options: MakeBenchModelOptions = {},
): Promise<{ path: string; bytes: number; created: boolean }> {
  const weightType = options.weightType ?? "q4_0";
  const outPath = path.resolve(options.outPath ?? defaultBenchModelPath(weightType));
  const tokenizer = await readTokenizerMetadata(options.tokenizerSource ?? defaultTokenizerSource());
  const spec = llamaModelSpec(llama32OneBShape, {
    name: `Hearth bench model (random weights, Llama-3.2-1B shape, ${weightType.toUpperCase()})`,
    weightType,
    tokenizer,
    seed: options.seed ?? 1,
  });
  const expectedBytes = planGguf(spec).totalBytes;
  if (!options.force) {
    const existing = await stat(outPath).catch(() => null);
    if (existing?.isFile() && existing.size === expectedBytes) return { path: outPath, bytes: expectedBytes, created: false };
  }
  await mkdir(path.dirname(outPath), { recursive: true });
  const bytes = await writeGguf(outPath, spec, { onProgress: options.onProgress });
  return { path: outPath, bytes, created: true };
}

function progressPrinter(): (written: number, total: number) => void {
  let lastPercent = -1;
  return (written, total) => {
    const percent = Math.floor((written / total) * 100);
    if (percent >= lastPercent + 10 || written === total) {
      lastPercent = percent;
      process.stderr.write(`  ${percent}% (${(written / 1024 ** 2).toFixed(0)} MiB)\n`);
    }
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      type: { type: "string", default: "q4_0" },
      out: { type: "string" },
      tokenizer: { type: "string" },
      seed: { type: "string", default: "1" },
      force: { type: "boolean", default: false },
    },
  });
  if (values.type !== "q4_0" && values.type !== "q8_0") throw new Error(`--type must be q4_0 or q8_0, got ${values.type}.`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}.`);
  const started = performance.now();
  const result = await makeBenchModel({
    weightType: values.type,
    outPath: values.out,
    tokenizerSource: values.tokenizer,
    seed,
    force: values.force,
    onProgress: progressPrinter(),
  });
  const size = `${(result.bytes / 1024 ** 2).toFixed(0)} MiB`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(result.created ? `Wrote ${result.path} (${size}) in ${seconds} s.` : `${result.path} is already there (${size}).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
