import type { LlamaEmbeddingContext, LlamaModel } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";
import type { ModelRef } from "./engine-types.js";

/** Bounds of one embedding call: a batch the size of a document's chunks, not a corpus (that is many calls). */
export const embedLimits = {
  maxTexts: 64,
  maxTextChars: 32_000,
  /** Vector length the host may return (the largest open models use 8192). */
  maxDimensions: 16_384,
} as const;

export type EmbedRequest = {
  model: ModelRef;
  /** One vector per text, in order. */
  texts: readonly string[];
  /** The context to load the model with when it is not loaded already (default 2048, capped at its trained length). */
  contextSize?: number;
};

export type EmbedResult = {
  /** One vector per text, each `dimensions` finite numbers. */
  vectors: number[][];
  /** Tokens the texts took (with the model's beginning and end tokens), all together. */
  tokens: number;
  dimensions: number;
};

/** Refuses, before anything is loaded, a call outside the bounds: no text, too many, an empty or too long one. */
export function checkEmbedTexts(texts: unknown): asserts texts is readonly string[] {
  if (!Array.isArray(texts) || texts.length === 0) throw new AppError("INVALID_INPUT", "Nothing to embed: give at least one text.");
  if (texts.length > embedLimits.maxTexts) {
    throw new AppError("INVALID_INPUT", `Too many texts to embed at once: ${texts.length}; at most ${embedLimits.maxTexts} a call.`);
  }
  texts.forEach((text: unknown, index) => {
    if (typeof text !== "string") throw new AppError("INVALID_INPUT", `Text ${index} to embed is not a string.`);
    if (text.trim() === "") throw new AppError("INVALID_INPUT", `Text ${index} to embed is empty.`);
    if (text.length > embedLimits.maxTextChars) {
      throw new AppError("INVALID_INPUT", `Text ${index} to embed is too long: ${text.length} characters; at most ${embedLimits.maxTextChars}.`);
    }
  });
}

/**
 * Embeds the texts with a context of its own, sized to the longest text and disposed before returning: the chat
 * sequences' KV caches are left as they were. Measured on stories260K (threads 1): the context costs 3-11 ms to
 * create, against ~3 ms an embedding, so it is not worth holding memory for between calls.
 */
export async function embedTexts(
  model: LlamaModel,
  ref: ModelRef,
  texts: readonly string[],
  threads: number,
  signal?: AbortSignal,
): Promise<EmbedResult> {
  const dimensions = model.embeddingVectorSize;
  if (!(dimensions > 0) || dimensions > embedLimits.maxDimensions) {
    throw new AppError("INVALID_INPUT", `${ref.name} cannot make embeddings.`);
  }
  // The model's beginning and end tokens are added to each text: two more than the tokenizer's count.
  const lengths = texts.map((text) => model.tokenize(text).length + 2);
  const longest = Math.max(...lengths);
  const trained = model.trainContextSize || 2048;
  const index = lengths.findIndex((length) => length >= trained);
  if (index >= 0) {
    throw new AppError("INVALID_INPUT", `Text ${index} to embed is too long for ${ref.name}: ${lengths[index]} tokens; it reads at most ${trained - 1}.`);
  }
  const contextSize = Math.min(trained, Math.max(64, 2 ** Math.ceil(Math.log2(longest + 1))));
  let context: LlamaEmbeddingContext;
  try {
    // The whole text in one batch: an encoder (non-causal) model must see it at once.
    context = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, threads });
  } catch (cause) {
    throw new AppError("MODEL_LOAD_FAILED", `${ref.name} could not open a context for embeddings.`, { cause });
  }
  try {
    const vectors: number[][] = [];
    let tokens = 0;
    for (const text of texts) {
      if (signal?.aborted) throw new AppError("ABORTED", "Stopped before the embeddings were done.");
      tokens += context.calculateInputLength(text);
      const embedding = await context.getEmbeddingFor(text);
      vectors.push([...embedding.vector]);
    }
    return { vectors, tokens, dimensions };
  } finally {
    await context.dispose();
  }
}
