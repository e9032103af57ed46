import type { PayloadMessage } from "../../../contract/index.js";
import type { HistoryTurn } from "../../router/features.js";
import type { BranchMessage, PromptMessage } from "./prompt-message.js";

/** A payload message with whether it is new to the cloud (doubts are raised only about text that has not left). */
export type CloudMessage = PayloadMessage & { fresh: boolean };

/**
 * The builder's messages as an OpenAI-style chat payload (before redaction; redaction runs on this). Reasoning is
 * never sent: a cloud model does not need a local model's thoughts, and they are one more thing that could leak.
 * A message is not fresh when it came before the last answer a cloud provider gave in this branch (it already left
 * with that request); the system prompt is fresh until a cloud answer exists; extras are always fresh.
 */
export function toCloudMessages(messages: readonly PromptMessage[], branch: readonly BranchMessage[]): CloudMessage[] {
  const lastCloud = branch.findLastIndex((m) => m.role === "assistant" && m.answeredBy?.kind === "cloud" && !m.answeredBy.failover);
  const sent = new Set(branch.slice(0, lastCloud + 1).map((m) => m.id));
  return messages.map((m) => {
    const fresh =
      m.source.kind === "system-prompt" ? lastCloud < 0 : m.source.kind === "message" ? !sent.has(m.source.messageId) : true;
    return { role: m.role, content: m.text, fresh };
  });
}

/** The router's input from the same messages: the latest user message is the prompt, the turns before it its history. */
export function toRouterInput(messages: readonly PromptMessage[]): { prompt: string; history: HistoryTurn[] } {
  const last = messages.findLastIndex((m) => m.role === "user" && m.source.kind === "message");
  return { prompt: last >= 0 ? messages[last]!.text : "", history: toRouterHistory(messages.slice(0, Math.max(0, last))) };
}

/** The conversation's own turns as the router reads them (no system prompt, no extras). */
export function toRouterHistory(messages: readonly PromptMessage[]): HistoryTurn[] {
  return messages
    .filter((m): m is PromptMessage & { role: "user" | "assistant" } => m.role !== "system" && m.source.kind === "message")
    .map((m) => ({ role: m.role, content: m.text }));
}
