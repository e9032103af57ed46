import { z } from "zod";
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
