import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatParameters, formatPercent, formatSpeed, formatStats, formatTimeLeft } from "./format.js";

describe("format", () => {
  it("formats sizes and parameter counts", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_185_376)).toBe("1.2 MB");
    expect(formatBytes(4_920_000_000)).toBe("4.9 GB");
    expect(formatParameters(260_000)).toBe("260K");
    expect(formatParameters(1_100_000_000)).toBe("1.1B");
    expect(formatParameters(null)).toBe("unknown");
  });

  it("formats answer stats", () => {
    expect(formatStats({ timeToFirstTokenMs: 210, tokensPerSecond: 85.34, outputTokens: 120, evaluatedInputTokens: 9 })).toBe(
      "210 ms to first token · 85.3 tokens/s · 120 tokens",
    );
    expect(formatStats({ timeToFirstTokenMs: null, tokensPerSecond: null, outputTokens: 1, evaluatedInputTokens: 0 })).toBe("1 token");
  });

  it("formats download speed, time left and progress", () => {
    expect(formatSpeed(1_250_000)).toBe("1.3 MB/s");
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(0.2)).toBe("almost done");
    expect(formatTimeLeft(12.2)).toBe("13 s left");
    expect(formatTimeLeft(250)).toBe("about 4 min left");
    expect(formatTimeLeft(4_800)).toBe("about 1 h 20 min left");
    expect(formatTimeLeft(7_200)).toBe("about 2 h left");
    expect(formatPercent(0.426)).toBe("42%");
    expect(formatPercent(0.999)).toBe("99%");
    expect(formatPercent(1)).toBe("100%");
  });

  it("formats hub counters", () => {
    expect(formatCount(950)).toBe("950");
    expect(formatCount(12_345)).toBe("12k");
    expect(formatCount(1_234)).toBe("1.2k");
    expect(formatCount(4_500_000)).toBe("4.5M");
  });
});
