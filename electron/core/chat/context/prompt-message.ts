import type { Message } from "../../../contract/index.js";

/** One message of a branch as the builder needs it (a row of the active path, root first). */
export type BranchMessage = Pick<Message, "id" | "role" | "content" | "reasoning" | "status"> & {
  answeredBy?: Message["answeredBy"];
};

/** Where a prompt message comes from: the conversation's system prompt, a message of the branch, or an extra. */
export type PromptSource =
  | { kind: "system-prompt" }
  | { kind: "message"; messageId: string }
  | { kind: "extra"; extraId: string; extraKind: ContextExtra["kind"] };

/** A message as a model (local or cloud) or the router is given it. */
export type PromptMessage = {
  role: "system" | "user" | "assistant";
  text: string;
  /** An answer's thought segment, present only when the builder was asked to keep reasoning. */
  reasoning?: string;
  source: PromptSource;
};

/**
 * Context added for one turn (a document passage, a tool result). Extras are part of the latest turn: never dropped
 * to make room, counted like any message, and redacted with the rest before anything leaves.
 */
export type ContextExtra = {
  id: string;
  kind: "document" | "tool-result" | "note";
  text: string;
  /** "after-system": a system message right after the system prompt; "before-latest-user": just before the latest user message. */
  placement: "after-system" | "before-latest-user";
};

/**
 * Tokens of a whole prompt as the model will read it: the chat template's markup, and the opening of the answer
 * the model is about to write, included. Dropping messages must never make the count grow.
 */
export type PromptTokenCounter = (messages: readonly PromptMessage[]) => number;

/** How much of the context a prompt may fill: the context size less what is kept free for the answer. */
export type ContextBudget = { contextSize: number; reserveForAnswer: number };

export type OverflowChoice = "drop-oldest" | "stop-and-ask";
/**
 * "keep": every answer's reasoning goes back (the template reads past thoughts); "keep-last": only an answer being
 * continued keeps it (the model goes on from its own thinking); "strip": none.
 */
export type ReasoningChoice = "strip" | "keep" | "keep-last";

export type BuildInput = {
  /** The active path, root first, ending with the latest user message (or with the answer being continued). */
  branch: readonly BranchMessage[];
  systemPrompt: string;
  budget: ContextBudget;
  extras?: readonly ContextExtra[];
  countTokens: PromptTokenCounter;
  overflow: OverflowChoice;
  reasoning: ReasoningChoice;
  /**
   * The first message the model read at the previous send (that result's `dropped.firstKeptMessageId`): messages
   * before it stay dropped while the rest fits, so the prompt's start, and the KV cache, do not move at every turn.
   */
  keptFrom?: string | null;
  /** When turns must go, drop until this fraction of the budget is free too (0..0.9; default 0: drop the fewest). */
  headroom?: number;
};

export type OverBudget = {
  /**
   * "needs-dropping": it fits once older messages go, and the conversation says stop and ask first;
   * "latest-turn-too-long": the system prompt, the extras and the latest turn alone do not fit.
   */
  reason: "needs-dropping" | "latest-turn-too-long";
  /** What to tell the user, as is. */
  message: string;
  /** Tokens the smallest prompt that could be sent needs (the latest turn alone, or after dropping). */
  requiredTokens: number;
};

export type BuildResult = {
  status: "fits" | "trimmed" | "over-budget";
  /**
   * fits / trimmed: what to send. over-budget: for "needs-dropping", what would be sent once the user agrees to
   * drop; for "latest-turn-too-long", the part that cannot be dropped (and does not fit). Never send those.
   */
  messages: PromptMessage[];
  /** Tokens of `messages`. */
  usedTokens: number;
  /** Tokens the whole branch would need (nothing dropped). */
  branchTokens: number;
  budgetTokens: number;
  /**
   * Messages of the branch (as the user sees them, failed empty answers included) before the first one the model
   * still reads: dropped (trimmed), or that would be dropped (stop and ask).
   */
  dropped: { count: number; messageIds: string[]; firstKeptMessageId: string | null };
  /** "The first 12 messages are no longer in the model's memory." when messages were (or would be) dropped. */
  notice: string | null;
  overBudget: OverBudget | null;
};
