import { describe, expect, it } from "vitest";
import { messageSchema } from "../../../contract/index.js";
import { textParts } from "../../../contract/message-parts.js";
import { messageFieldsOf } from "./attempt-message.js";
import { decision, proposal, turnInput } from "../../../../test/fixtures/turn-fixtures.js";
import { begin, next } from "./turn-state.js";

describe("an attempt as a message row", () => {
  it("a failover's rows: the cloud attempt with its error and partial text, the local one marked failover", () => {
    const started = begin(turnInput(), 1);
    if (!started.ok) throw new Error("did not start");
    let state = started.state;
    for (const event of [
      { type: "routed" as const, at: 2, decision: decision("cloud") },
      { type: "proposed" as const, at: 3, proposal: proposal() },
      { type: "part" as const, at: 4, attemptId: "t1.1", part: { type: "text-delta" as const, text: "Par" } },
      { type: "part" as const, at: 5, attemptId: "t1.1", part: { type: "error" as const, error: { code: "PROVIDER_HTTP" as const, message: "HTTP 500", retryable: true } } },
    ]) {
      const result = next(state, event);
      if (!result.ok) throw new Error(result.error.message);
      state = result.state;
    }
    const [cloud, local] = state.attempts.map(messageFieldsOf);
    expect(cloud).toMatchObject({
      content: "Par",
      status: "error",
      error: { code: "PROVIDER_HTTP" },
      modelName: "OpenAI gpt-test",
      answeredBy: { kind: "cloud", provider: "OpenAI", model: "gpt-test", reason: "Router: multi-step math", failover: false },
    });
    expect(local).toMatchObject({
      status: "streaming",
      modelName: "stories260K",
      answeredBy: { kind: "local", provider: null, model: "stories260K", reason: "OpenAI failed (HTTP 500) — answered locally", failover: true },
    });
    // The fields fit the contract's message as they are.
    for (const fields of [cloud!, local!]) {
      expect(messageSchema.safeParse({ id: "m", conversationId: "c1", role: "assistant", modelId: null, createdAt: 1, parts: textParts(fields.content, fields.reasoning), ...fields }).success).toBe(true);
    }
  });

  it("a finished local answer's stats say why it ended and how long the model thought", () => {
    const started = begin(turnInput({ mode: "local" }), 1);
    if (!started.ok) throw new Error("did not start");
    let state = started.state;
    const stats = { timeToFirstTokenMs: 5, tokensPerSecond: 10, outputTokens: 8, evaluatedInputTokens: 20 };
    for (const part of [
      { at: 10, part: { type: "reasoning-delta" as const, text: "Let me " } },
      { at: 250, part: { type: "reasoning-delta" as const, text: "think." } },
      { at: 300, part: { type: "text-delta" as const, text: "Once upon" } },
      { at: 320, part: { type: "finish" as const, reason: "length" as const, stats } },
    ]) {
      const result = next(state, { type: "part", attemptId: "t1.1", ...part });
      if (!result.ok) throw new Error(result.error.message);
      state = result.state;
    }
    expect(messageFieldsOf(state.attempts[0]!)).toMatchObject({
      content: "Once upon",
      reasoning: "Let me think.",
      status: "complete",
      stats: { ...stats, finishReason: "length", reasoningMs: 240 },
    });
  });
});
