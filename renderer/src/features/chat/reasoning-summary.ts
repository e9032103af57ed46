import type { Message } from "../../api/contract.js";

/**
 * The line a collapsed reasoning segment shows: while the model thinks, "Thinking…"; after, its length and, where
 * measured, how long it took ("Reasoning · 182 words · 4.2 s").
 */
export function reasoningSummary(message: Pick<Message, "status" | "content" | "reasoning" | "parts" | "stats">): string {
  if (message.status === "streaming" && message.content === "") return "Thinking…";
  const words = message.reasoning.split(/\s+/).filter((w) => w !== "").length;
  const part = message.parts.find((p) => p.type === "reasoning");
  const ms = (part?.type === "reasoning" ? part.durationMs : null) ?? message.stats?.reasoningMs ?? null;
  const length = `${words.toLocaleString("en")} ${words === 1 ? "word" : "words"}`;
  return ms === null ? `Reasoning · ${length}` : `Reasoning · ${length} · ${seconds(ms)}`;
}

function seconds(ms: number): string {
  if (ms < 1000) return "under 1 s";
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
