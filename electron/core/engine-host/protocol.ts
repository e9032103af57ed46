import { z } from "zod";
import { appErrorSchema, loadedModelSchema } from "../../contract/index.js";

/**
 * The messages between the core and the engine host. Both sides parse what they receive with these schemas: the
 * host runs llama.cpp on untrusted files, so what it says is checked like any other input. Envelopes are strict;
 * a call's body is a bounded passthrough object, so request fields the engine gains need no protocol change.
 */
export const hostLimits = {
  /** Characters of one batch of deltas (a batch holds ~20 ms of tokens: far less in practice). */
  maxDeltaChars: 1_000_000,
  maxDeltaParts: 10_000,
  /** Characters of everything streamed for one call: past it the host is misbehaving. */
  maxStreamChars: 16_000_000,
  /** Serialized size of a call's body or a result (a long conversation's prompt is well under this). */
  maxBodyChars: 32_000_000,
  maxTextChars: 2_000,
  /** Messages from the host per second: a generation sends ~50; a flood is a broken host. */
  maxMessagesPerSecond: 5_000,
} as const;

export const hostMethods = ["load", "generate", "measureContext", "localCheck", "embed", "unload", "describe", "dispose"] as const;
export type HostMethod = (typeof hostMethods)[number];

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const shortText = z.string().max(hostLimits.maxTextChars);

/** Core → host. */
export const toHostSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("call"), id, method: z.enum(hostMethods), body: z.looseObject({}) }).strict(),
  z.object({ type: z.literal("abort"), id }).strict(),
]);
export type ToHost = z.infer<typeof toHostSchema>;

export const deltaPartSchema = z
  .object({ kind: z.enum(["text", "reasoning"]), text: z.string().max(hostLimits.maxDeltaChars) })
  .strict();
export type DeltaPart = z.infer<typeof deltaPartSchema>;

/** An error as it crosses: an AppError's fields, or the second check's "unavailable" with its status. */
export const hostErrorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("app"), error: appErrorSchema.extend({ message: shortText }) }).strict(),
  z.object({ kind: z.literal("second-pass-unavailable"), status: z.enum(["no-model", "not-capable"]), message: shortText }).strict(),
]);
export type HostError = z.infer<typeof hostErrorSchema>;

/** Host → core. */
export const fromHostSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), pid: z.number().int().positive() }).strict(),
  z.object({ type: z.literal("started"), id }).strict(),
  z
    .object({ type: z.literal("deltas"), id, parts: z.array(deltaPartSchema).min(1).max(hostLimits.maxDeltaParts) })
    .strict(),
  z.object({ type: z.literal("result"), id, value: z.unknown() }).strict(),
  z.object({ type: z.literal("error"), id, error: hostErrorSchema }).strict(),
  z.object({ type: z.literal("loaded"), loaded: loadedModelSchema.nullable() }).strict(),
  z
    .object({
      type: z.literal("log"),
      level: z.enum(["info", "warn", "error"]),
      message: shortText,
      fields: z.record(z.string().max(100), z.union([z.string().max(hostLimits.maxTextChars), z.number(), z.boolean(), z.null()])).optional(),
    })
    .strict(),
]);
export type FromHost = z.infer<typeof fromHostSchema>;
