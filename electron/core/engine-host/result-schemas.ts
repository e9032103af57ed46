import { z } from "zod";
import { embedLimits } from "../engine/embed.js";
import { hostLimits } from "./protocol.js";

/**
 * What the core checks of the host's results: the fields it reads, bounded; other fields pass (the engine may add
 * some without a protocol change). The types stay the engine's own (GenerateResult, ContextMeter).
 */
const count = z.number().int().nonnegative();
const text = z.string().max(hostLimits.maxStreamChars);

export const generateResultSchema = z.looseObject({
  text,
  reasoning: text,
  stopReason: z.string().max(100),
  loadMs: z.number().nonnegative().nullable(),
  stats: z.looseObject({
    timeToFirstTokenMs: z.number().nonnegative().nullable(),
    tokensPerSecond: z.number().nonnegative().nullable(),
    outputTokens: count,
    evaluatedInputTokens: count,
  }),
  context: z.looseObject({
    usedTokens: count,
    branchTokens: count,
    budgetTokens: count,
    dropped: z.looseObject({ count }),
    notice: z.string().max(hostLimits.maxTextChars).nullable(),
  }),
  confidences: z.array(z.number().min(0).max(1)).max(1_000_000).optional(),
});

export const meterSchema = z.looseObject({
  contextSize: count,
  budgetTokens: count,
  branchTokens: count,
  usedTokens: count,
  droppedMessages: count,
  firstKeptMessageId: z.string().max(200).nullable(),
  level: z.enum(["ok", "near-limit", "full"]),
  notice: z.string().max(hostLimits.maxTextChars).nullable(),
});

/** One finite vector per text, all of the stated size, within the call's bounds. */
export const embedResultSchema = z
  .object({
    vectors: z.array(z.array(z.number().finite()).min(1).max(embedLimits.maxDimensions)).min(1).max(embedLimits.maxTexts),
    tokens: count,
    dimensions: z.number().int().positive().max(embedLimits.maxDimensions),
  })
  .strict()
  .refine((result) => result.vectors.every((vector) => vector.length === result.dimensions), "vectors of another size than stated");
