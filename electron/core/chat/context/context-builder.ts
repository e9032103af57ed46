import { AppError } from "../../../contract/index.js";
import type {
  BranchMessage,
  BuildInput,
  BuildResult,
  ContextBudget,
  ContextExtra,
  OverBudget,
  PromptMessage,
} from "./prompt-message.js";

/**
 * The one place a prompt is built (for the local engine, the cloud payload and the router): the system prompt,
 * the extras and the branch's turns, within a token budget. When the branch does not fit, whole turns (a user
 * message and what answered it) go, oldest first; the system prompt, the extras and the latest turn never do.
 * Nothing is cut silently: the result says what went (`dropped`, `notice`) or why nothing can be sent (`overBudget`).
 */
export function build(input: BuildInput): BuildResult {
  const budgetTokens = Math.max(0, Math.floor(input.budget.contextSize - input.budget.reserveForAnswer));
  const { turns, tail, tailStart } = splitTurns(input.branch);
  const head = headMessages(input.systemPrompt, input.extras ?? []);
  const beforeLatest = (input.extras ?? []).filter((e) => e.placement === "before-latest-user").map(extraMessage);
  const toPrompt = (m: BranchMessage) => promptMessage(m, input.reasoning === "keep");
  const toTailPrompt = (m: BranchMessage) => promptMessage(m, input.reasoning !== "strip");

  const counts = new Map<number, number>();
  /** The prompt with the `k` oldest turns dropped, and its tokens. */
  const assemble = (k: number) => {
    const messages = [
      ...head,
      ...turns.slice(k).flatMap((turn) => turn.messages.flatMap((m) => toPrompt(m) ?? [])),
      ...beforeLatest,
      ...tail.flatMap((m) => toTailPrompt(m) ?? []),
    ];
    let tokens = counts.get(k);
    if (tokens === undefined) {
      tokens = input.countTokens(messages);
      counts.set(k, tokens);
    }
    return { messages, tokens };
  };
  /** Messages of the branch before the first one kept when `k` turns are dropped. */
  const droppedAt = (k: number) => {
    const firstKept = k < turns.length ? turns[k]!.start : tailStart;
    return {
      count: firstKept,
      messageIds: input.branch.slice(0, firstKept).map((m) => m.id),
      firstKeptMessageId: input.branch[firstKept]?.id ?? null,
    };
  };

  const full = assemble(0);
  const base = { budgetTokens, branchTokens: full.tokens };
  if (full.tokens <= budgetTokens) {
    return { ...base, status: "fits", messages: full.messages, usedTokens: full.tokens, dropped: droppedAt(0), notice: null, overBudget: null };
  }

  const minimal = assemble(turns.length);
  if (minimal.tokens > budgetTokens) {
    const continuing = minimal.messages.at(-1)?.role === "assistant";
    const overBudget: OverBudget = {
      reason: "latest-turn-too-long",
      message: tooLongMessage(minimal.tokens, input.budget, budgetTokens, (input.extras ?? []).length > 0, continuing),
      requiredTokens: minimal.tokens,
    };
    const dropped = droppedAt(turns.length);
    return { ...base, status: "over-budget", messages: minimal.messages, usedTokens: minimal.tokens, dropped, notice: null, overBudget };
  }

  // Sticky start: what was dropped before stays dropped while the rest fits, so the prompt's beginning (and the
  // KV cache evaluated for it) stays the same from turn to turn instead of shifting by one turn at every send.
  const start = stickyStart(turns, input.branch, tailStart, input.keptFrom);
  let hi = turns.length;
  // The earlier cut still holds: nothing more goes, so stop-and-ask has nothing new to ask about.
  const earlierCutHolds = start > 0 && assemble(start).tokens <= budgetTokens;
  if (earlierCutHolds) {
    hi = start;
  } else {
    // When dropping, free some room beyond the budget too (`headroom`), so the next turns fit without a new cut.
    const target = Math.floor(budgetTokens * (1 - clampHeadroom(input.headroom)));
    const limit = minimal.tokens <= target ? target : budgetTokens;
    // Fewest turns to drop: `hi` is always a count that was measured to fit, so the answer fits even if a template
    // made the count not quite monotone (then it may drop one turn more than needed, never one too few).
    let lo = start;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (assemble(mid).tokens <= limit) hi = mid;
      else lo = mid;
    }
  }
  const kept = assemble(hi);
  const dropped = droppedAt(hi);
  const notice = droppedNotice(dropped.count);
  if (input.overflow === "stop-and-ask" && !earlierCutHolds) {
    const overBudget: OverBudget = {
      reason: "needs-dropping",
      message:
        `This conversation no longer fits in the model's context (${full.tokens} tokens, ${budgetTokens} available). ` +
        `Drop the first ${plural(dropped.count, "message")} from the model's memory to go on, or start a new conversation.`,
      requiredTokens: kept.tokens,
    };
    return { ...base, status: "over-budget", messages: kept.messages, usedTokens: kept.tokens, dropped, notice, overBudget };
  }
  return { ...base, status: "trimmed", messages: kept.messages, usedTokens: kept.tokens, dropped, notice, overBudget: null };
}

/**
 * Every message, with no budget: for a target whose context this machine cannot count (a cloud model: its
 * provider trims or refuses) and for the router, which reads the whole conversation.
 */
export function buildWhole(input: Pick<BuildInput, "branch" | "systemPrompt" | "extras">): PromptMessage[] {
  return build({ ...input, budget: { contextSize: Number.MAX_SAFE_INTEGER, reserveForAnswer: 0 }, countTokens: () => 0, overflow: "drop-oldest", reasoning: "strip" }).messages;
}

/**
 * What to keep free for the answer: the conversation's output limit, or a quarter of the context (at most 1024
 * tokens) without one; never more than half the context, so a large limit cannot leave no room for the prompt.
 */
export function answerReserve(contextSize: number, maxOutputTokens: number | null): number {
  const half = Math.floor(contextSize / 2);
  return Math.min(half, maxOutputTokens ?? Math.min(1024, Math.floor(contextSize / 4)));
}

export function budgetFor(contextSize: number, maxOutputTokens: number | null): ContextBudget {
  return { contextSize, reserveForAnswer: answerReserve(contextSize, maxOutputTokens) };
}

/** The line the conversation shows once older messages are out of the model's memory. */
export function droppedNotice(count: number): string | null {
  if (count <= 0) return null;
  return count === 1
    ? "The first message is no longer in the model's memory."
    : `The first ${count} messages are no longer in the model's memory.`;
}

/** An over-budget result as the error a turn ends with (never a silent truncation). */
export function overBudgetError(result: BuildResult): AppError {
  // The reason travels with the error, so the failed answer offers to drop the oldest messages only where that helps.
  return new AppError("CONTEXT_FULL", result.overBudget?.message ?? "This conversation does not fit in the model's context.", {
    ...(result.overBudget ? { reason: result.overBudget.reason } : {}),
  });
}

type Turn = { start: number; messages: BranchMessage[] };

/** Turns already dropped by an earlier send: those before the one holding `keptFrom` (0 when it is not on the branch). */
function stickyStart(turns: readonly Turn[], branch: readonly BranchMessage[], tailStart: number, keptFrom: string | null | undefined): number {
  if (!keptFrom) return 0;
  const at = branch.findIndex((m) => m.id === keptFrom);
  if (at < 0) return 0;
  if (at >= tailStart) return turns.length;
  return Math.max(0, turns.findLastIndex((turn) => turn.start <= at));
}

function clampHeadroom(headroom: number | undefined): number {
  return Math.min(0.9, Math.max(0, headroom ?? 0));
}

/**
 * Splits the branch into droppable turns (each starts at a user message; answers before the first user message,
 * which a well-formed branch does not have, form a turn of their own) and the latest turn: the last user message
 * and what follows it (an answer being continued).
 */
function splitTurns(branch: readonly BranchMessage[]) {
  const lastUser = branch.findLastIndex((m) => m.role === "user");
  const tailStart = lastUser < 0 ? 0 : lastUser;
  const turns: Turn[] = [];
  branch.slice(0, tailStart).forEach((message, index) => {
    const current = turns.at(-1);
    if (current && message.role !== "user") current.messages.push(message);
    else turns.push({ start: index, messages: [message] });
  });
  return { turns, tail: branch.slice(tailStart), tailStart };
}

/** A branch message as the model reads it; null for an answer with no text (failed before its first token). */
function promptMessage(message: BranchMessage, keepReasoning: boolean): PromptMessage | null {
  const source = { kind: "message" as const, messageId: message.id };
  if (message.role === "user") return { role: "user", text: message.content, source };
  const thought = keepReasoning && message.reasoning.trim() ? { reasoning: message.reasoning } : {};
  // An answer cut before its first word has nothing to send back (unless its kept thinking is to be continued).
  if (!message.content.trim() && !("reasoning" in thought)) return null;
  return { role: "assistant", text: message.content, ...thought, source };
}

function headMessages(systemPrompt: string, extras: readonly ContextExtra[]): PromptMessage[] {
  return [
    ...(systemPrompt.trim() ? [{ role: "system" as const, text: systemPrompt, source: { kind: "system-prompt" as const } }] : []),
    ...extras.filter((e) => e.placement === "after-system").map(extraMessage),
  ];
}

function extraMessage(extra: ContextExtra): PromptMessage {
  return {
    role: extra.placement === "after-system" ? "system" : "user",
    text: extra.text,
    source: { kind: "extra", extraId: extra.id, extraKind: extra.kind },
  };
}

function tooLongMessage(required: number, budget: ContextBudget, available: number, withContext: boolean, continuing: boolean): string {
  const what = continuing ? "Your message and the answer so far" : "Your message";
  const rest = withContext ? ", with the system prompt and the added context," : ", with the system prompt,";
  // A continued answer cannot be shortened by the user: the way out is a larger context, or a new answer.
  const advice = continuing
    ? "Raise the context size in the conversation's settings, or regenerate the answer."
    : "Shorten it, or raise the context size in the conversation's settings.";
  return (
    `${what}${rest} ${continuing ? "need" : "needs"} ${required} tokens, but this model's context has room for ${available} ` +
    `(${budget.contextSize} tokens, ${budget.reserveForAnswer} kept free for the ${continuing ? "rest of the " : ""}answer). ${advice}`
  );
}

function plural(count: number, noun: string): string {
  return count === 1 ? `${noun}` : `${count} ${noun}s`;
}
