import { createHash } from "node:crypto";
import type { PromptSource } from "../engine/engine.js";
import type { BranchMessage } from "../chat/context/prompt-message.js";
import { badRequest } from "./api-error.js";
import { textOf, type ApiMessage } from "./chat-request.js";

/**
 * The request's messages as the one context builder's input: system and developer messages become the system
 * prompt, the rest the branch. Tool calls and results are written out as text turns (the context builder knows
 * only user and assistant turns): the model reads what was called and what came back.
 */
export function promptOf(messages: readonly ApiMessage[]): PromptSource {
  const system: string[] = [];
  const branch: BranchMessage[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: BranchMessage["role"], content: string) => {
    const last = branch[branch.length - 1];
    // Two turns in a row from one side (a tool result after a user message) read as one.
    if (last && last.role === role) last.content = `${last.content}\n\n${content}`;
    else branch.push({ id: `m${branch.length}`, role, content, reasoning: "", status: "complete" });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer":
        system.push(textOf(message.content));
        break;
      case "user":
        push("user", textOf(message.content));
        break;
      case "assistant": {
        const calls = (message.tool_calls ?? []).map((call) => {
          toolNames.set(call.id, call.function.name);
          return `Called ${call.function.name}(${call.function.arguments})`;
        });
        push("assistant", [textOf(message.content), ...calls].filter(Boolean).join("\n"));
        break;
      }
      case "tool":
        push("user", `Result of ${toolNames.get(message.tool_call_id) ?? "the tool"}:\n${textOf(message.content)}`);
        break;
      default:
        message satisfies never;
    }
  }
  if (branch.length === 0) throw badRequest("messages must hold at least one user message.", "messages", "invalid_value");
  return { systemPrompt: system.join("\n\n"), branch };
}

/**
 * Which KV cache a request continues: a client's follow-up repeats the conversation's opening, so the same key,
 * model and first messages name the same cache (and a second client's conversation another one).
 */
export function cacheKeyOf(apiKey: string, model: string, messages: readonly ApiMessage[]): string {
  const hash = createHash("sha256").update(apiKey).update("\0").update(model);
  for (const message of messages.slice(0, 2)) hash.update("\0").update(message.role).update("\0").update(textOf(message.content));
  return `api:${hash.digest("hex").slice(0, 32)}`;
}
