import { describe, expect, it } from "vitest";
import { DENSE, DENSE_COUNT, type PromptFeatures } from "../../../electron/core/router/features.js";
import { scaledPairFromFile, scaledPairToFile } from "../../../electron/core/router/scaled-head.js";
import { fitScaledPair } from "./fit-scaled-head.js";

const NAMES = ["wp_ages", "wp_relations", "wp_clock"];
const at = (name: string) => DENSE.findIndex((d) => d.name === name);

function features(values: Record<string, number>): PromptFeatures {
  const dense = new Float64Array(DENSE_COUNT);
  for (const [name, v] of Object.entries(values)) dense[at(name)] = v;
  return { dense, hashedIndex: new Uint32Array(0), hashedValue: new Float32Array(0) };
}

// Deterministic pseudo-random numbers (a linear congruential generator), so the test never flakes.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("scaled head (word-problem model)", () => {
  it("recovers which features make a problem hard, and ignores one that does not vary", () => {
    const rand = lcg(7);
    const rows: PromptFeatures[] = [];
    const weakWrong: number[] = [];
    const strongRight: number[] = [];
    for (let i = 0; i < 600; i++) {
      const ages = rand() < 0.3 ? 1 : 0;
      const relations = Math.log1p(Math.floor(rand() * 4));
      rows.push(features({ wp_ages: ages, wp_relations: relations, wp_clock: 0 }));
      // The truth: ages and relations make the weak model fail; the strong model is right 90% of the time.
      const p = 1 / (1 + Math.exp(-(-1.5 + 2 * ages + 1.2 * relations)));
      weakWrong.push(rand() < p ? 1 : 0);
      strongRight.push(rand() < 0.9 ? 1 : 0);
    }
    const pair = fitScaledPair(rows, NAMES, { strongRight, weakWrong }, 0.01);
    const ww = pair.weakWrong;
    expect(ww.weights[0]!).toBeGreaterThan(0.5);
    expect(ww.weights[1]!).toBeGreaterThan(0.3);
    expect(ww.weights[2]).toBe(0);
    const easy = features({ wp_ages: 0, wp_relations: 0 });
    const hard = features({ wp_ages: 1, wp_relations: Math.log1p(3) });
    expect(ww.logit(hard)).toBeGreaterThan(ww.logit(easy) + 2);
    // Contributions are relative to the average problem and sum with the bias to the logit.
    const c = ww.denseContributions(hard);
    expect(c[at("wp_ages")]!).toBeGreaterThan(0);
    expect(ww.bias + c.reduce((a, b) => a + b, 0)).toBeCloseTo(ww.logit(hard), 9);
    expect(pair.strongRight.weights.every((w) => Math.abs(w) < 0.3)).toBe(true);
  });

  it("is deterministic and survives a save/load round trip", () => {
    const rows = [0, 1, 2, 3, 4, 5].map((k) => features({ wp_ages: k % 2, wp_relations: k / 5, wp_clock: k % 3 }));
    const targets = { strongRight: [1, 1, 0, 1, 1, 1], weakWrong: [0, 1, 0, 1, 1, 0] };
    const a = fitScaledPair(rows, NAMES, targets, 0.1);
    const b = fitScaledPair(rows, NAMES, targets, 0.1);
    expect([...a.weakWrong.weights]).toEqual([...b.weakWrong.weights]);
    const file = scaledPairToFile(a);
    expect(file.features).toEqual(NAMES);
    const loaded = scaledPairFromFile(JSON.parse(JSON.stringify(file)));
    for (const f of rows) expect(loaded.weakWrong.logit(f)).toBeCloseTo(a.weakWrong.logit(f), 5);
  });

  it("refuses a file with unknown features or mismatched sizes", () => {
    const rows = [0, 1, 2, 3].map((k) => features({ wp_ages: k % 2, wp_relations: k }));
    const file = scaledPairToFile(fitScaledPair(rows, NAMES, { strongRight: [1, 0, 1, 1], weakWrong: [0, 1, 0, 1] }, 0.1));
    expect(() => scaledPairFromFile({ ...file, features: ["wp_ages", "no_such_feature", "wp_clock"] })).toThrow(/unknown feature no_such_feature/);
    expect(() => scaledPairFromFile({ ...file, mean: [0] })).toThrow(/wrong size/);
    expect(() => scaledPairFromFile({ ...file, scale: [1, 0, 1] })).toThrow(/scales must be positive/);
  });
});
