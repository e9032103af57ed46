import { describe, expect, it } from "vitest";
import { defaultConversationSettings, type ConversationExport, type ExportedMessage } from "../../contract/index.js";
import { activePath, authorOf, formatUtc, renderConversationMarkdown } from "./conversation-markdown.js";

const at = Date.UTC(2026, 11, 3, 14, 5);
const m = (id: string, parentId: string | null, extra: Partial<ExportedMessage> = {}): ExportedMessage => ({
  id, parentId, role: "user", content: `text ${id}`, reasoning: "", status: "complete", modelId: null, modelName: null,
  stats: null, error: null, answeredBy: null, createdAt: at, ...extra,
});

const tree = (messages: ExportedMessage[], activeLeafId: string | null): ConversationExport => ({
  format: "hearth.conversation", version: 1, exportedAt: at + 60_000, appVersion: null,
  conversation: { id: "c", title: "Trip  to\nLisbon", createdAt: at, updatedAt: at, settings: { ...defaultConversationSettings, modelId: null } },
  messages, activeLeafId,
});

describe("Markdown export", () => {
  const messages = [
    m("u1", null, { content: "Plan three days in Lisbon." }),
    m("a1", "u1", { role: "assistant", content: "Old answer", modelName: "Qwen3 0.6B", answeredBy: { kind: "local", provider: null, model: "Qwen3 0.6B", reason: "", failover: false } }),
    m("a2", "u1", {
      role: "assistant", content: "Day 1: Alfama.\n\n| Day | Area |\n|---|---|\n| 1 | Alfama |", reasoning: "The user wants\n\nthree days.",
      stats: { timeToFirstTokenMs: 1, tokensPerSecond: 1, outputTokens: 1, evaluatedInputTokens: 1, reasoningMs: 2400 },
      answeredBy: { kind: "cloud", provider: "Anthropic", model: "claude-sonnet-4", reason: "You asked", failover: false },
      createdAt: at + 5 * 60_000,
    }),
    m("u2", "a2", { content: "Cheaper?" }),
    m("a3", "u2", { role: "assistant", content: "Take tram 28", status: "stopped", modelName: "Qwen3 0.6B", answeredBy: { kind: "local", provider: null, model: "Qwen3 0.6B", reason: "", failover: true } }),
  ];

  it("follows the branch shown, and falls back to the latest one when the leaf is missing", () => {
    expect(activePath(messages, "a3").map((x) => x.id)).toEqual(["u1", "a2", "u2", "a3"]);
    expect(activePath(messages, "a1").map((x) => x.id)).toEqual(["u1", "a1"]);
    expect(activePath(messages, null).map((x) => x.id)).toEqual(["u1", "a2", "u2", "a3"]);
    expect(activePath([m("x", "y"), m("y", "x")], "x").map((x) => x.id)).toEqual(["y", "x"]);
  });

  it("says who answered: you, a local model, a cloud model and its provider, a failover", () => {
    expect(authorOf(messages[0]!)).toBe("You");
    expect(authorOf(messages[1]!)).toBe("Qwen3 0.6B (local)");
    expect(authorOf(messages[2]!)).toBe("claude-sonnet-4 via Anthropic (cloud)");
    expect(authorOf(messages[4]!)).toBe("Qwen3 0.6B (local), after the cloud failed");
    expect(authorOf(m("z", null, { role: "assistant", modelName: "Old 1B" }))).toBe("Old 1B");
    expect(formatUtc(at)).toBe("2026-12-03 14:05 UTC");
  });

  it("writes the title, each message under who and when, reasoning as a quote, and the branch only", () => {
    const text = renderConversationMarkdown(tree(messages, "a3"));
    expect(text).toBe(
      [
        "# Trip to Lisbon",
        "",
        "_Exported from Hearth on 2026-12-03 14:06 UTC · 4 messages (the branch shown; 1 other version only in the JSON export)_",
        "",
        "**System prompt**",
        "",
        "> You are a helpful assistant.",
        "",
        "---",
        "",
        "### You · 2026-12-03 14:05 UTC",
        "",
        "Plan three days in Lisbon.",
        "",
        "---",
        "",
        "### claude-sonnet-4 via Anthropic (cloud) · 2026-12-03 14:10 UTC",
        "",
        "> **Reasoning** for 2 s",
        ">",
        "> The user wants",
        ">",
        "> three days.",
        "",
        "Day 1: Alfama.",
        "",
        "| Day | Area |",
        "|---|---|",
        "| 1 | Alfama |",
        "",
        "---",
        "",
        "### You · 2026-12-03 14:05 UTC",
        "",
        "Cheaper?",
        "",
        "---",
        "",
        "### Qwen3 0.6B (local), after the cloud failed · 2026-12-03 14:05 UTC",
        "",
        "Take tram 28",
        "",
        "_(stopped)_",
        "",
      ].join("\n"),
    );
    expect(text).not.toContain("Old answer");
  });
});
