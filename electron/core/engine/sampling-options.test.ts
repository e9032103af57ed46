import { describe, expect, it } from "vitest";
import { defaultSamplingSettings } from "../../contract/index.js";
import { samplingOptions } from "./sampling-options.js";

describe("samplingOptions", () => {
  it("passes a conversation's settings to node-llama-cpp, a seed only when one is set", () => {
    expect(samplingOptions(defaultSamplingSettings)).toEqual({ topP: 0.95, topK: 40, minP: 0, repeatPenalty: { penalty: 1.1 } });
    expect(samplingOptions({ topP: 0.5, topK: 0, minP: 0.1, repeatPenalty: 1.25, seed: 0 })).toEqual({
      topP: 0.5,
      topK: 0,
      minP: 0.1,
      seed: 0,
      repeatPenalty: { penalty: 1.25 },
    });
  });

  it("turns the repeat penalty off at 1, and passes nothing without settings", () => {
    expect(samplingOptions({ ...defaultSamplingSettings, repeatPenalty: 1 }).repeatPenalty).toBe(false);
    expect(samplingOptions(undefined)).toEqual({});
  });
});
