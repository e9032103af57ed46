import { describe, expect, it } from "vitest";
import { fromHostSchema, hostLimits, toHostSchema } from "./protocol.js";

describe("engine host protocol", () => {
  it("passes a call's body through whole: fields the engine gains need no protocol change", () => {
    const body = { model: { id: "m" }, functions: { lookup: { description: "x", params: { type: "object" } } }, cacheKey: "c1:b2" };
    const parsed = toHostSchema.parse({ type: "call", id: 1, method: "generate", body });
    expect(parsed).toEqual({ type: "call", id: 1, method: "generate", body });
  });

  it("is strict about envelopes both ways", () => {
    expect(toHostSchema.safeParse({ type: "call", id: 1, method: "generate", body: {}, extra: 1 }).success).toBe(false);
    expect(toHostSchema.safeParse({ type: "call", id: 1, method: "eval", body: {} }).success).toBe(false);
    expect(toHostSchema.safeParse({ type: "call", id: 0, method: "load", body: {} }).success).toBe(false);
    expect(fromHostSchema.safeParse({ type: "deltas", id: 1, parts: [] }).success).toBe(false);
    expect(fromHostSchema.safeParse({ type: "deltas", id: 1, parts: [{ kind: "text", text: "a" }], more: true }).success).toBe(false);
    expect(fromHostSchema.safeParse({ type: "shell", command: "rm" }).success).toBe(false);
  });

  it("bounds what the host may send", () => {
    const big = "x".repeat(hostLimits.maxDeltaChars + 1);
    expect(fromHostSchema.safeParse({ type: "deltas", id: 1, parts: [{ kind: "text", text: big }] }).success).toBe(false);
    expect(fromHostSchema.safeParse({ type: "log", level: "info", message: "x".repeat(hostLimits.maxTextChars + 1) }).success).toBe(false);
    const error = { kind: "app", error: { code: "NOT_A_CODE", message: "m", retryable: false } };
    expect(fromHostSchema.safeParse({ type: "error", id: 1, error }).success).toBe(false);
    expect(fromHostSchema.safeParse({ type: "loaded", loaded: { modelId: "m" } }).success).toBe(false);
  });
});
