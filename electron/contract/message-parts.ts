import { z } from "zod";

// A message is a list of parts. Today the store keeps only a text and a reasoning segment (messages.content,
// messages.reasoning) and derives the parts from them; citations, tool calls and redactions are in the contract
// now so that storing them later needs no new API. This file imports only zod: schemas.ts imports it.

/** A text or reasoning part: twice the largest context (1M tokens) at four characters a token, so no real answer hits it. */
export const MAX_PART_TEXT_CHARS = 8_000_000;
/** Parts of one message: an answer with many citations and tool rounds stays far below it. */
export const MAX_MESSAGE_PARTS = 1_000;
/** The characters of all of a message's parts together (a reasoning and a text part at their limits). */
export const MAX_MESSAGE_PARTS_CHARS = 2 * MAX_PART_TEXT_CHARS;
/** A tool call's arguments, as JSON text. */
export const MAX_TOOL_ARGUMENTS_CHARS = 100_000;
/** What a tool gave back (a page of a document, a command's output). */
export const MAX_TOOL_RESULT_CHARS = 200_000;

const partIdSchema = z.string().min(1).max(100);
const labelSchema = z.string().max(200);

const textPartSchema = z.object({ type: z.literal("text"), text: z.string().max(MAX_PART_TEXT_CHARS) }).strict();

/** The model's thinking; shown collapsed with its length and, where measured, how long it took. */
const reasoningPartSchema = z
  .object({
    type: z.literal("reasoning"),
    text: z.string().max(MAX_PART_TEXT_CHARS),
    /** Tokens of reasoning, when the engine counted them. */
    tokens: z.number().int().nonnegative().nullable().optional(),
    durationMs: z.number().nonnegative().nullable().optional(),
  })
  .strict();

/** A passage of a source (a document the user gave) the answer rests on. */
const citationPartSchema = z
  .object({
    type: z.literal("citation"),
    sourceId: partIdSchema,
    title: labelSchema,
    /** Where in the source, as a reader finds it ("page 4", "§2.1"); null when the source has no such places. */
    location: labelSchema.nullable(),
    /** The cited passage as character offsets in the source's text; null when not known. */
    range: z
      .object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })
      .strict()
      .refine((r) => r.start <= r.end, "A passage ends after it starts")
      .nullable(),
  })
  .strict();

const toolCallPartSchema = z
  .object({
    type: z.literal("tool-call"),
    callId: partIdSchema,
    name: z.string().min(1).max(100),
    /** JSON text, as the model wrote it: checked to be JSON, kept as text so its size is what is bounded. */
    arguments: z
      .string()
      .max(MAX_TOOL_ARGUMENTS_CHARS)
      .refine((text) => isJson(text), "Tool arguments must be JSON"),
  })
  .strict();

const toolResultPartSchema = z
  .object({
    type: z.literal("tool-result"),
    callId: partIdSchema,
    content: z.string().max(MAX_TOOL_RESULT_CHARS),
    isError: z.boolean(),
  })
  .strict();

/**
 * A value the cloud never saw: its placeholder and what kind of value it was (EMAIL, PERSON...). The original value
 * is never part of a message's parts, so it cannot reach a log or an export through them (strict: refused if sent).
 */
const redactionPartSchema = z
  .object({
    type: z.literal("redaction"),
    placeholder: z.string().min(1).max(100),
    redactionType: z.string().regex(/^[A-Z][A-Z_]{0,39}$/, "A redaction type is an upper-case name"),
  })
  .strict();

export const messagePartSchema = z.discriminatedUnion("type", [
  textPartSchema,
  reasoningPartSchema,
  citationPartSchema,
  toolCallPartSchema,
  toolResultPartSchema,
  redactionPartSchema,
]);
export type MessagePart = z.infer<typeof messagePartSchema>;
export type MessagePartType = MessagePart["type"];

export const messagePartsSchema = z
  .array(messagePartSchema)
  .max(MAX_MESSAGE_PARTS)
  .refine((parts) => parts.reduce((sum, part) => sum + partChars(part), 0) <= MAX_MESSAGE_PARTS_CHARS, {
    message: `A message's parts may hold at most ${MAX_MESSAGE_PARTS_CHARS} characters in all`,
  });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function partChars(part: MessagePart): number {
  switch (part.type) {
    case "text":
    case "reasoning":
      return part.text.length;
    case "citation":
      return part.title.length + (part.location?.length ?? 0);
    case "tool-call":
      return part.name.length + part.arguments.length;
    case "tool-result":
      return part.content.length;
    case "redaction":
      return part.placeholder.length;
    default:
      return part satisfies never;
  }
}

/**
 * The parts of a message from its stored text and reasoning: the reasoning first (the model thought before it
 * answered), then the text; an empty segment is no part. Other parts (`others`) follow, in their order.
 */
export function textParts(content: string, reasoning: string, others: readonly MessagePart[] = [], reasoningMs?: number): MessagePart[] {
  const parts: MessagePart[] = [];
  // How long the model thought is kept with the answer's stats (`reasoningMs`) and shown on its reasoning part.
  if (reasoning) parts.push(reasoningMs === undefined ? { type: "reasoning", text: reasoning } : { type: "reasoning", text: reasoning, durationMs: reasoningMs });
  if (content) parts.push({ type: "text", text: content });
  return [...parts, ...others];
}

/**
 * The message with its text and reasoning parts rebuilt from `content` and `reasoning` (after a delta, a finish or
 * a restored answer changed them); its other parts stay, and so do a reasoning part's measured length and time.
 */
export function withTextParts<M extends { content: string; reasoning: string; parts?: readonly MessagePart[] }>(
  message: M,
): M & { parts: MessagePart[] } {
  const previous = message.parts ?? [];
  const others = previous.filter((part) => part.type !== "text" && part.type !== "reasoning");
  const parts = textParts(message.content, message.reasoning, others);
  const measured = previous.find((part) => part.type === "reasoning");
  const reasoning = parts[0];
  if (measured && reasoning?.type === "reasoning") parts[0] = { ...measured, text: reasoning.text };
  return { ...message, parts };
}
