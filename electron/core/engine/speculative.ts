import {
  DraftSequenceTokenPredictor,
  InputLookupTokenPredictor,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type TokenPredictor,
} from "node-llama-cpp";
import { z } from "zod";
import { AppError } from "../../contract/index.js";

/**
 * Speculative decoding for a sequence: node-llama-cpp's token predictors guess the next tokens, the target model
 * checks several at once, and the output is the same as without them (only faster when the guesses are right).
 *
 * - "prompt-lookup": InputLookupTokenPredictor finds the last generated tokens in the prompt and proposes what
 *   followed them there. Costs nearly nothing; pays off on tasks that copy from the prompt (rewrites, summaries,
 *   code edits, answers about a document).
 * - "draft": DraftSequenceTokenPredictor runs a small model of the same family (same tokenizer) ahead of the target.
 *
 * Off by default: on this project's measurements (scripts/bench-speculative.ts) it must first be shown faster.
 */
export const speculativeOptionSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("off") }).strict(),
  z
    .object({
      mode: z.literal("prompt-lookup"),
      /** How many of the last generated tokens must be found in the prompt (node-llama-cpp: 1, and 0 = no maximum). */
      patternMin: z.number().int().min(1).max(64).optional(),
      patternMax: z.number().int().min(0).max(64).optional(),
      /** How many tokens to propose at a time (node-llama-cpp: 1 to 3). */
      predictMin: z.number().int().min(1).max(64).optional(),
      predictMax: z.number().int().min(1).max(64).optional(),
    })
    .strict()
    .refine((o) => !o.patternMax || o.patternMax >= (o.patternMin ?? 1), "patternMax must be 0 (no maximum) or at least patternMin")
    .refine((o) => (o.predictMax ?? 3) >= (o.predictMin ?? 1), "predictMax must be at least predictMin"),
  z
    .object({
      mode: z.literal("draft"),
      /** The draft model's GGUF file: smaller, and of the same family (same tokenizer) as the target. */
      modelPath: z.string().trim().min(1).max(4096),
      /** Tokens drafted at a time (node-llama-cpp: 0 to 16). */
      minTokens: z.number().int().min(0).max(64).optional(),
      maxTokens: z.number().int().min(1).max(64).optional(),
      /** Drafting pauses below this probability (node-llama-cpp: 0.6; 0 = never). */
      minConfidence: z.number().min(0).max(1).optional(),
    })
    .strict()
    .refine((o) => (o.maxTokens ?? 16) >= (o.minTokens ?? 0), "maxTokens must be at least minTokens"),
]);

export type SpeculativeOption = z.infer<typeof speculativeOptionSchema>;

export const SPECULATIVE_OFF: SpeculativeOption = { mode: "off" };

/** The option checked; a clear INVALID_INPUT (which field, why) otherwise. */
export function parseSpeculativeOption(input: unknown): SpeculativeOption {
  const parsed = speculativeOptionSchema.safeParse(input ?? SPECULATIVE_OFF);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new AppError("INVALID_INPUT", `The speculative decoding option is not valid (${where}${issue?.message ?? "invalid"}).`);
}

/**
 * The token predictor for one sequence (pass it to `context.getSequence({ tokenPredictor })`; a predictor must not be
 * shared between sequences, and the sequence disposes it). Undefined when off. "draft" needs `draftSequence`: a
 * sequence of the draft model (openDraftSequence below), owned by the caller and disposed after the target's.
 */
export function createTokenPredictor(option: SpeculativeOption, deps: { draftSequence?: LlamaContextSequence } = {}): TokenPredictor | undefined {
  switch (option.mode) {
    case "off":
      return undefined;
    case "prompt-lookup":
      return new InputLookupTokenPredictor({
        patternLength: { ...defined("min", option.patternMin), ...defined("max", option.patternMax) },
        predictionLength: { ...defined("min", option.predictMin), ...defined("max", option.predictMax) },
      });
    case "draft":
      if (!deps.draftSequence) {
        throw new AppError("INVALID_INPUT", "Speculative decoding with a draft model needs the draft model loaded first.");
      }
      return new DraftSequenceTokenPredictor(deps.draftSequence, {
        // The draft samples without the target's repeat penalty: that penalty reads its tokens through a callback of
        // the target's LlamaChat/LlamaCompletion, which throws once that object is disposed, and the draft may still
        // be mid-evaluation then: an unhandled rejection that ends the process (node-llama-cpp 3.21, seen here).
        // Only the guesses' quality can suffer; the target checks every one.
        evaluateOptions: { repeatPenalty: { punishTokens: [], penalty: 1 } },
        ...defined("minTokens", option.minTokens),
        ...defined("maxTokens", option.maxTokens),
        ...defined("minConfidence", option.minConfidence),
      });
    default:
      return option satisfies never;
  }
}

/** What a sequence's predictor achieved (node-llama-cpp's `sequence.tokenPredictions`), with the acceptance rate. */
export type PredictionStats = { validated: number; refuted: number; used: number; unused: number; acceptance: number | null };

export function predictionStats(sequence: LlamaContextSequence): PredictionStats {
  const { validated, refuted, used, unused } = sequence.tokenPredictions;
  const total = validated + refuted;
  return { validated, refuted, used, unused, acceptance: total === 0 ? null : validated / total };
}

/**
 * Loads a draft model and a context of it for DraftSequenceTokenPredictor. Refuses a draft whose tokenizer is not
 * the target's: its guesses would be token ids of another vocabulary, all refuted (pure cost). `dispose` frees it.
 */
export async function openDraftContext(
  llama: Llama,
  target: LlamaModel,
  modelPath: string,
  options: { contextSize: number; sequences?: number; threads?: number },
): Promise<{ model: LlamaModel; context: LlamaContext; dispose: () => Promise<void> }> {
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath });
  } catch (error) {
    throw new AppError("MODEL_LOAD_FAILED", "The draft model for speculative decoding could not be loaded.", { cause: error });
  }
  try {
    assertSameVocabulary(target, model);
    const context = await model.createContext({
      contextSize: options.contextSize,
      ...defined("sequences", options.sequences),
      ...defined("threads", options.threads),
    });
    return {
      model,
      context,
      dispose: async () => {
        await context.dispose();
        await model.dispose();
      },
    };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/** A draft model with one sequence (the bench and tests: one target sequence). */
export async function openDraftSequence(
  llama: Llama,
  target: LlamaModel,
  modelPath: string,
  options: { contextSize: number; threads?: number },
): Promise<{ model: LlamaModel; sequence: LlamaContextSequence; dispose: () => Promise<void> }> {
  const draft = await openDraftContext(llama, target, modelPath, options);
  return { model: draft.model, sequence: draft.context.getSequence(), dispose: draft.dispose };
}

/** Same vocabulary size, same special tokens and the same tokens for a probe text: the same tokenizer, in practice. */
export function assertSameVocabulary(target: LlamaModel, draft: LlamaModel): void {
  const probe = "Once upon a time, the quick brown fox wrote 42 lines of code.";
  const size = (m: LlamaModel) => m.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? null;
  const same =
    size(target) === size(draft) &&
    target.tokens.bos === draft.tokens.bos &&
    target.tokens.eos === draft.tokens.eos &&
    target.tokenize(probe).join(",") === draft.tokenize(probe).join(",");
  if (!same) {
    throw new AppError(
      "INVALID_INPUT",
      "The draft model does not share the chosen model's tokenizer, so it cannot speed it up. Pick a smaller model of the same family.",
    );
  }
}

/** `{ key: value }` only when the value is set (exactOptionalPropertyTypes). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
