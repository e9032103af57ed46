import { describe, expect, it } from "vitest";
import { bestRatio, decodeRate, foreignCpuShare, median, pairedRatio, parseBenchArgs, summarizeRuns } from "./bench-stats.js";

// Only the arithmetic and the arguments: speed targets live in `npm run bench`, not in timed tests.
describe("bench arguments", () => {
  it("has defaults that fit a 2-core machine", () => {
    expect(parseBenchArgs([])).toEqual({
      model: null,
      threads: null,
      json: false,
      repetitions: 8,
      promptTokens: 500,
      outputTokens: 32,
      contextSize: 2048,
      temperature: 0.7,
      maxSeconds: 240,
    });
  });

  it("reads every option", () => {
    const options = parseBenchArgs([
      "--model",
      "m.gguf",
      "--threads",
      "4",
      "--json",
      "--reps",
      "5",
      "--prompt-tokens",
      "300",
      "--output-tokens",
      "16",
      "--context",
      "1024",
      "--temperature",
      "0",
      "--max-seconds",
      "60",
    ]);
    expect(options).toEqual({
      model: "m.gguf",
      threads: 4,
      json: true,
      repetitions: 5,
      promptTokens: 300,
      outputTokens: 16,
      contextSize: 1024,
      temperature: 0,
      maxSeconds: 60,
    });
  });

  it("rejects what it cannot run", () => {
    expect(() => parseBenchArgs(["--threads", "0"])).toThrow(/--threads/);
    expect(() => parseBenchArgs(["--reps", "2.5"])).toThrow(/--reps/);
    expect(() => parseBenchArgs(["--temperature", "3"])).toThrow(/--temperature/);
    expect(() => parseBenchArgs(["--context", "512"])).toThrow(/too small/);
    expect(() => parseBenchArgs(["--max-seconds", "0"])).toThrow(/--max-seconds/);
    expect(() => parseBenchArgs(["--unknown"])).toThrow();
  });
});

describe("bench arithmetic", () => {
  it("takes medians of odd and even counts, ignoring non-finite values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNull();
  });

  it("pairs app and plain figures by repetition before taking the median ratio", () => {
    // Ratios 0.9, 1.0, 0.99: the median is 0.99, while a ratio of medians (10/10.1) would differ.
    expect(pairedRatio([9, 10, 9.9], [10, 10, 10])).toBeCloseTo(0.99, 10);
    expect(pairedRatio([9, null, 12], [10, 10, 0])).toBeCloseTo(0.9, 10);
    expect(pairedRatio([], [])).toBeNull();
  });

  it("compares best against best, since interference only slows runs down", () => {
    expect(bestRatio([5, 10, null], [8, 12])).toBeCloseTo(10 / 12, 10);
    expect(bestRatio([null], [1])).toBeNull();
  });

  it("attributes to other processes the machine's busy time that this process did not use", () => {
    // 2 CPUs for 1 s = 200 ticks; the machine was busy 150 of them, this process 1 s of CPU (half the machine).
    const from = { at: 0, ownMicros: 0, system: { busy: 0, total: 0 } };
    const to = { at: 1000, ownMicros: 1_000_000, system: { busy: 150, total: 200 } };
    expect(foreignCpuShare(from, to, 2)).toBe(0.25);
    expect(foreignCpuShare(from, { ...to, ownMicros: 2_000_000 }, 2)).toBe(0);
    expect(foreignCpuShare({ ...from, system: null }, to, 2)).toBeNull();
  });

  it("counts decode speed over the tokens after the first", () => {
    expect(decodeRate(33, 4000)).toBe(8);
    expect(decodeRate(1, 100)).toBeNull();
    expect(decodeRate(5, 0)).toBeNull();
  });
});

describe("bench summary", () => {
  const turn = (prefill: number, decode: number, foreignCpu: number | null) => ({
    ttftMs: 1000,
    evaluatedInputTokens: 500,
    outputTokens: 32,
    prefillTokensPerSecond: prefill,
    decodeTokensPerSecond: decode,
    foreignCpu,
  });
  const rep = (app: [number, number], plain: [number, number], foreignCpu: number | null = 0) => ({
    app: { turn1: turn(...app, foreignCpu), turn2: turn(...app, foreignCpu), firstDeltaMs: 1010 },
    plain: { turn1: turn(...plain, foreignCpu), turn2: turn(...plain, foreignCpu) },
  });

  it("uses only the repetitions other processes left alone, when there are some", () => {
    const summary = summarizeRuns([rep([200, 25], [200, 25]), rep([50, 5], [200, 25], 0.5), rep([198, 25], [200, 24])]);
    expect(summary.basis).toMatchObject({ repetitions: 2, quiet: true });
    expect(summary.ratios.prefill).toBeCloseTo(0.995, 10);
    expect(summary.ratios.decode).toBeCloseTo((1 + 25 / 24) / 2, 10);
    expect(summary.ratios.meetsTarget).toBe(true);
    expect(summary.foreignCpuMax).toBe(0.5);
  });

  it("falls back to every repetition, and says so, when none was quiet", () => {
    const summary = summarizeRuns([rep([100, 10], [200, 20], 0.4), rep([90, 9], [100, 10], 0.3)]);
    expect(summary.basis).toMatchObject({ repetitions: 2, quiet: false });
    expect(summary.ratios.prefill).toBeCloseTo(0.7, 10);
    expect(summary.ratios.meetsTarget).toBe(false);
  });
});
