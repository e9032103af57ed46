import { describe, expect, it } from "vitest";
import { canContinueAnswer } from "./continue-answer.js";
import type { Message } from "./schemas.js";

const stats = { timeToFirstTokenMs: 10, tokensPerSecond: 20, outputTokens: 64, evaluatedInputTokens: 30 };
const local = { kind: "local" as const, provider: null, model: "Tiny", reason: "", failover: false };

function answer(overrides: Partial<Message>): Pick<Message, "role" | "status" | "content" | "stats" | "answeredBy"> {
  return { role: "assistant", status: "complete", content: "Once upon a", stats, answeredBy: local, ...overrides };
}

describe("canContinueAnswer: which answers were cut off", () => {
  it("an answer stopped by the user, interrupted, or ended at the output limit", () => {
    expect(canContinueAnswer(answer({ status: "stopped" }))).toBe(true);
    expect(canContinueAnswer(answer({ status: "interrupted" }))).toBe(true);
    expect(canContinueAnswer(answer({ stats: { ...stats, finishReason: "length" } }))).toBe(true);
    expect(canContinueAnswer(answer({ status: "error", content: "Once upon a" }))).toBe(true);
  });

  it("not an answer that ended on its own, one still streaming, one that failed before any text, nor a question", () => {
    expect(canContinueAnswer(answer({ stats: { ...stats, finishReason: "stop" } }))).toBe(false);
    // Stored before finish reasons were recorded: nothing says it was cut.
    expect(canContinueAnswer(answer({}))).toBe(false);
    expect(canContinueAnswer(answer({ status: "streaming" }))).toBe(false);
    expect(canContinueAnswer(answer({ status: "error", content: "" }))).toBe(false);
    expect(canContinueAnswer(answer({ role: "user", status: "stopped" }))).toBe(false);
  });

  it("not a cloud answer, which the local model does not continue", () => {
    const cloud = { kind: "cloud" as const, provider: "OpenAI", model: "gpt", reason: "You asked", failover: false };
    expect(canContinueAnswer(answer({ status: "stopped", answeredBy: cloud }))).toBe(false);
    expect(canContinueAnswer(answer({ status: "stopped", answeredBy: { ...local, failover: true } }))).toBe(true);
  });
});
