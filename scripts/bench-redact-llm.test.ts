import { describe, expect, it } from "vitest";
import { storiesModel } from "../test/fixtures/paths.js";
import { benchRedactLlm, parseBenchArgs } from "./bench-redact-llm.js";

describe("bench:redact-llm", () => {
  it("needs a model and checks its numbers", () => {
    expect(() => parseBenchArgs([])).toThrow(/--model PATH is required/);
    expect(() => parseBenchArgs(["--model", "m.gguf", "--limit", "0"])).toThrow(/--limit/);
    expect(parseBenchArgs(["--model", "m.gguf"])).toMatchObject({ split: "heldout", limit: null, timeoutMs: 20000, gpu: "auto", anyModel: false });
  });

  it("runs end to end on a tiny model: both passes scored, every check accounted for", async () => {
    const report = await benchRedactLlm({ model: storiesModel, split: "dev", limit: 2, timeoutMs: 20_000, threads: 1, gpu: false, anyModel: true });
    expect(report.messages).toEqual({ pii: 2, prose: 2 });
    expect(Object.values(report.secondPass.statuses).reduce((a, b) => a + (b ?? 0), 0)).toBe(4);
    expect(report.secondPass.statuses.done).toBe(4);
    expect(Object.keys(report.firstPass.byType).length).toBeGreaterThan(0);
    expect(Object.keys(report.recallGain.byType).sort()).toEqual(Object.keys(report.withSecondPass.byType).sort());
    // The second pass only adds hidden spans: recall can only go up.
    for (const gain of Object.values(report.recallGain.byType)) expect(gain).toBeGreaterThanOrEqual(0);
    expect(report.capable).toBe(false);
    expect(report.note).toMatch(/say nothing about quality/);
  }, 120_000);
});
