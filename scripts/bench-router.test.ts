import { describe, expect, it } from "vitest";
import { formatBench, parseArgs, type BenchReport } from "./bench-router.js";

describe("bench:router", () => {
  it("parses its options", () => {
    const args = parseArgs(["--no-latency", "--l2", "0.01", "--hash-bits", "14", "--gsm8k-weight", "0.5", "--l2-word-problem", "0.3"]);
    expect(args.latency).toBe(false);
    expect(args.train.l2Hashed).toBe(0.01);
    expect(args.train.hashBits).toBe(14);
    expect(args.train.l2WordProblem).toBe(0.3);
    expect(args.train.sourceWeight).toEqual({ mmlu: 1, gsm8k: 0.5 });
    expect(() => parseArgs(["--nope"])).toThrow(/unknown option/);
    expect(parseArgs(["--seeds", "4"]).seeds).toBe(4);
    expect(() => parseArgs(["--seeds", "0"])).toThrow(/whole number/);
  });

  it("prints APGR, CPT and the comparison per source, and the decision time", () => {
    const report: BenchReport = {
      sources: [
        { source: "mmlu", n: 10, weakQuality: 0.5, strongQuality: 0.8, apgr: 0.64, cpt50: 0.3, cpt80: 0.63, apgrRouteLLM: 0.639, foldApgr: [0.6, 0.7], splitApgr: [0.64, 0.66], levelShares: { rarely: 0.1, balanced: 0.3, often: 0.5 } },
      ],
      latencyMs: { p50: 0.07, p99: 0.7, n: 10 },
      train: { hashBits: 16, l2Dense: 1e-4, l2Hashed: 3e-4, l2WordProblem: 0.1, iterations: 60 },
      shippedMatches: true,
    };
    const text = formatBench(report);
    expect(text).toMatch(/mmlu\s+10\s+0\.640\s+\(0\.639\)\s+0\.500\s+0\.603\s+30\.0%\s+63\.0%/);
    expect(text).toMatch(/p50 0\.070 ms, p99 0\.700 ms/);
    expect(text).toMatch(/APGR over 2 repeated splits[^\n]*\n\s+mmlu\s+0\.650\s+0\.640 0\.660/);
    expect(text).toMatch(/= this recipe on this data: yes/);
  });
});
