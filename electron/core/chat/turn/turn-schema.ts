import { z } from "zod";
import {
  appErrorSchema,
  escalationProposalSchema,
  idSchema,
  messageStatsSchema,
  payloadMessageSchema,
  privacyModeSchema,
  routerDecisionSchema,
} from "../../../contract/index.js";

/**
 * The persisted shape of a turn. Types are inferred from these schemas, so what the store reads back after a crash
 * is checked against the very shape the machine writes (a damaged or newer row is refused, never half-used).
 */

export const providerRefSchema = z.object({ id: idSchema, name: z.string(), model: z.string() });
export type ProviderRef = z.infer<typeof providerRefSchema>;

export const localModelRefSchema = z.object({ id: idSchema, name: z.string() });
export type LocalModelRef = z.infer<typeof localModelRefSchema>;

/** What the turn was started with; never changes afterwards. */
export const turnInputSchema = z.object({
  turnId: idSchema,
  conversationId: idSchema,
  userMessageId: idSchema,
  /** A first answer, another answer to the same message (Regenerate, "Retry with cloud"), or a cut-off answer continued. */
  origin: z.enum(["send", "regenerate", "continue"]),
  /** The mode that applies (the policy's lock over the conversation's setting) when the turn starts. */
  mode: privacyModeSchema,
  /** The user's own choice of target; null lets the router decide. */
  forced: z.enum(["local", "cloud"]).nullable(),
  /** Auto asks, for this message only, when the redactor doubts it hid everything. */
  askWhenUnsure: z.boolean(),
  localModel: localModelRefSchema,
  /** The cloud provider the conversation may use now; null when none is set up or allowed. */
  provider: providerRefSchema.nullable(),
  /** For this turn only: the user agreed to drop the oldest messages (a stop-and-ask conversation that no longer fit). */
  contextOverflow: z.literal("drop-oldest").nullable().optional(),
  /** continue: the cut-off answer; the new version starts with its text and the local model goes on from there. */
  continues: z.object({ messageId: idSchema, text: z.string(), reasoning: z.string() }).nullable().optional(),
});
export type TurnInput = z.infer<typeof turnInputSchema>;

export const attemptReasonCodeSchema = z.enum([
  "local-only",
  "router-local",
  "user-local",
  "no-provider",
  "user-cloud",
  "router-cloud",
  "approved",
  "failover",
  "cascade",
  "continue",
]);
export type AttemptReasonCode = z.infer<typeof attemptReasonCodeSchema>;

export const attemptStatusSchema = z.enum(["streaming", "complete", "stopped", "interrupted", "error"]);
export type AttemptStatus = z.infer<typeof attemptStatusSchema>;

/** One answer to the turn's message by one model: becomes one sibling version of the answer in the tree. */
export const attemptSchema = z.object({
  /** `<turnId>.<n>`: derived, so the machine stays pure. */
  id: idSchema,
  /**
   * answer: the turn's first; retry: the first of a regenerated turn; failover: after a cloud failure; cascade: after
   * an unsure local answer; continue: a cut-off answer and what the local model added to it.
   */
  kind: z.enum(["answer", "retry", "failover", "cascade", "continue"]),
  target: z.enum(["local", "cloud"]),
  provider: providerRefSchema.nullable(),
  /** The model's display name. */
  model: z.string(),
  reason: z.object({ code: attemptReasonCodeSchema, text: z.string() }),
  /** The attempt this one follows (failover: the failed cloud attempt; cascade: the local answer it may replace). */
  follows: idSchema.nullable(),
  status: attemptStatusSchema,
  text: z.string(),
  reasoning: z.string(),
  /** When this attempt's first and latest reasoning deltas came (ms): how long the model thought. */
  reasoningSpan: z.object({ from: z.number(), to: z.number() }).nullable().optional(),
  finish: z.enum(["stop", "length", "abort", "other"]).nullable(),
  stats: messageStatsSchema.nullable(),
  usage: z.object({ inputTokens: z.number().nullable(), outputTokens: z.number().nullable() }).nullable(),
  error: appErrorSchema.nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

const base = {
  version: z.literal(1),
  input: turnInputSchema,
  /** The router's decision for this turn; null when the user chose, the mode is Local only, or the router failed. */
  router: routerDecisionSchema.nullable(),
  attempts: z.array(attemptSchema),
  updatedAt: z.number(),
};

/** cascade: the complete local answer a cloud answer would replace; null otherwise. */
const standing = idSchema.nullable();

export const turnStateSchema = z.discriminatedUnion("phase", [
  z.object({ ...base, phase: z.literal("routing") }),
  z.object({
    ...base,
    phase: z.literal("proposing"),
    /** route: the router chose the cloud; cascade: the local answer looks unsure; revise: the user edited the payload. */
    purpose: z.enum(["route", "cascade", "revise"]),
    /** The mode that decides between asking and sending (a cascade reads it again after the local answer). */
    mode: privacyModeSchema,
    standing,
    /** revise: the proposal being edited (it stands again if the revision fails). */
    previous: escalationProposalSchema.nullable(),
    edited: z.array(payloadMessageSchema).nullable(),
  }),
  z.object({ ...base, phase: z.literal("awaiting-approval"), proposal: escalationProposalSchema, standing }),
  /** Approved: checking that the body to send is still the one the user reviewed. */
  z.object({ ...base, phase: z.literal("confirming"), proposal: escalationProposalSchema, standing }),
  z.object({
    ...base,
    phase: z.literal("generating"),
    attemptId: idSchema,
    /** cascade: the local answer that stands again if this cloud answer fails or is stopped. */
    fallback: idSchema.nullable(),
    /** Judge the local answer's confidence once complete (a local answer the router chose, with a cloud to offer). */
    judge: z.boolean(),
  }),
  z.object({ ...base, phase: z.literal("judging"), attemptId: idSchema }),
  z.object({ ...base, phase: z.literal("done"), answerId: idSchema, note: z.string().nullable() }),
  z.object({ ...base, phase: z.literal("failed"), answerId: idSchema.nullable(), error: appErrorSchema }),
  z.object({
    ...base,
    phase: z.literal("interrupted"),
    answerId: idSchema.nullable(),
    /** stopped: by the user; crash: the app ended mid-turn; superseded: the conversation moved on. */
    cause: z.enum(["stopped", "crash", "superseded"]),
  }),
]);
export type TurnState = z.infer<typeof turnStateSchema>;
export type TurnPhase = TurnState["phase"];
export type StateOf<P extends TurnPhase> = Extract<TurnState, { phase: P }>;

/** A persisted turn read back (JSON), or null when it is not one this version wrote. */
export function parseTurnState(value: unknown): TurnState | null {
  const parsed = turnStateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export const restingPhases = ["awaiting-approval", "done", "failed", "interrupted"] as const satisfies readonly TurnPhase[];
export const terminalPhases = ["done", "failed", "interrupted"] as const satisfies readonly TurnPhase[];

export function isTerminal(state: TurnState): state is StateOf<(typeof terminalPhases)[number]> {
  return (terminalPhases as readonly TurnPhase[]).includes(state.phase);
}

export function isResting(state: TurnState): boolean {
  return (restingPhases as readonly TurnPhase[]).includes(state.phase);
}
