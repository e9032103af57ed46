import { describe, expect, it } from "vitest";
import { formatBytes, formatParameters, formatStats } from "./format.js";

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
});
