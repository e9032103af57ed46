import { describe, expect, it } from "vitest";
import { build, buildWhole } from "./context-builder.js";
import { toCloudMessages, toRouterHistory, toRouterInput } from "./cloud-messages.js";
import type { BranchMessage } from "./prompt-message.js";
import { perMessageCounter } from "./token-counters.js";

const countTokens = perMessageCounter((t) => t.length, { perMessage: 0, perPrompt: 0 });
const cloud = { kind: "cloud" as const, provider: "OpenAI", model: "gpt", reason: "Router", failover: false };

const branch: BranchMessage[] = [
  { id: "u0", role: "user", content: "first", reasoning: "", status: "complete" },
  { id: "a0", role: "assistant", content: "local answer", reasoning: "local thoughts", status: "complete" },
  { id: "u1", role: "user", content: "second", reasoning: "", status: "complete" },
  { id: "a1", role: "assistant", content: "cloud answer", reasoning: "", status: "complete", answeredBy: cloud },
  { id: "u2", role: "user", content: "third", reasoning: "", status: "complete" },
];

const built = (b: BranchMessage[], reasoning: "keep" | "strip" = "keep") =>
  build({ branch: b, systemPrompt: "sys", budget: { contextSize: 10_000, reserveForAnswer: 0 }, countTokens, overflow: "drop-oldest", reasoning, extras: [{ id: "d", kind: "document", text: "doc", placement: "after-system" }] });

describe("toCloudMessages", () => {
  it("sends text only (never reasoning) and marks as fresh only what has not left with an earlier cloud request", () => {
    expect(toCloudMessages(built(branch).messages, branch)).toEqual([
      { role: "system", content: "sys", fresh: false },
      { role: "system", content: "doc", fresh: true },
      { role: "user", content: "first", fresh: false },
      { role: "assistant", content: "local answer", fresh: false },
      { role: "user", content: "second", fresh: false },
      { role: "assistant", content: "cloud answer", fresh: false },
      { role: "user", content: "third", fresh: true },
    ]);
  });

  it("treats everything as fresh when no cloud answer stands (a failover answer is local)", () => {
    const failedOver = branch.map((m) => (m.id === "a1" ? { ...m, answeredBy: { ...cloud, failover: true } } : m));
    expect(toCloudMessages(built(failedOver).messages, failedOver).every((m) => m.fresh)).toBe(true);
  });
});

describe("toRouterInput", () => {
  it("routes the latest user message with the turns before it, without system prompt or extras", () => {
    expect(toRouterInput(built(branch, "strip").messages)).toEqual({
      prompt: "third",
      history: [
        { role: "user", content: "first" },
        { role: "assistant", content: "local answer" },
        { role: "user", content: "second" },
        { role: "assistant", content: "cloud answer" },
      ],
    });
  });
});

describe("buildWhole: the cloud payload and the router's history", () => {
  it("keeps every message, however long the branch, and leaves reasoning out", () => {
    const long: BranchMessage[] = Array.from({ length: 1000 }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
      content: `message ${i} `.repeat(50),
      reasoning: "thoughts",
      status: "complete" as const,
    }));
    const messages = buildWhole({ branch: long, systemPrompt: "sys" });
    expect(messages).toHaveLength(1001);
    expect(messages.some((m) => m.reasoning !== undefined)).toBe(false);
    expect(toRouterHistory(messages)).toHaveLength(1000);
    expect(toRouterHistory(messages)[0]).toEqual({ role: "user", content: long[0]!.content });
  });
});
