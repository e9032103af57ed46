import { build, droppedNotice } from "./context-builder.js";
import type { BuildInput, BuildResult, OverflowChoice } from "./prompt-message.js";

/** How full the model's context is for the active branch, for the conversation's header. */
export type ContextMeter = {
  contextSize: number;
  /** What a prompt may fill (the context less what is kept free for the answer). */
  budgetTokens: number;
  /** Tokens the whole branch needs, system prompt and template included. */
  branchTokens: number;
  /** Tokens of what the model reads now (after dropping, if the branch is over the budget). */
  usedTokens: number;
  /** Messages of the branch the model no longer reads (oldest first); 0 while everything fits. */
  droppedMessages: number;
  firstKeptMessageId: string | null;
  /** "ok" below 80% of the budget, "near-limit" from there, "full" once older messages are (or would be) dropped. */
  level: "ok" | "near-limit" | "full";
  notice: string | null;
};

export const NEAR_LIMIT = 0.8;

/**
 * The meter for a branch as it stands (it ends with the last answer): measured by the builder itself, dropping the
 * oldest turns as a send would, so the header and the prompt cannot disagree. With "stop-and-ask", nothing more goes
 * until the user agrees: past the limit the meter shows what the branch needs from where the model's memory now
 * begins (more than the context), not what would be left after a drop the user has not agreed to.
 */
export function contextMeter(input: Omit<BuildInput, "overflow"> & { overflow?: OverflowChoice }): ContextMeter {
  const result = build({ ...input, overflow: input.overflow ?? "drop-oldest" });
  if (result.overBudget?.reason === "needs-dropping") return askingMeter(input, result);
  const level =
    result.status !== "fits" ? "full" : result.branchTokens >= NEAR_LIMIT * result.budgetTokens ? "near-limit" : "ok";
  return {
    contextSize: input.budget.contextSize,
    budgetTokens: result.budgetTokens,
    branchTokens: result.branchTokens,
    usedTokens: result.usedTokens,
    droppedMessages: result.dropped.count,
    firstKeptMessageId: result.dropped.count > 0 ? result.dropped.firstKeptMessageId : null,
    level,
    notice: result.notice,
  };
}

/** Stop and ask, past the limit: only what an earlier answer already left out (the user agreed) is out of memory. */
function askingMeter(input: Omit<BuildInput, "overflow">, result: BuildResult): ContextMeter {
  const agreed = Math.max(0, input.keptFrom ? input.branch.findIndex((m) => m.id === input.keptFrom) : 0);
  const rest = agreed > 0 ? build({ ...input, branch: input.branch.slice(agreed), overflow: "drop-oldest", keptFrom: null }).branchTokens : result.branchTokens;
  return {
    contextSize: input.budget.contextSize,
    budgetTokens: result.budgetTokens,
    branchTokens: result.branchTokens,
    usedTokens: rest,
    droppedMessages: agreed,
    firstKeptMessageId: agreed > 0 ? input.branch[agreed]!.id : null,
    level: "full",
    notice: droppedNotice(agreed),
  };
}
