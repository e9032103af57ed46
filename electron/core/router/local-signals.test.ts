import { getLlama } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { storiesModel } from "../../../test/fixtures/paths.js";
import { llamaOptions } from "../engine/llama-options.js";
import { measureLocalSignals } from "./local-probe.js";
import { adjustScore, localSignalValues } from "./local-signals.js";

describe("local-model signals", () => {
  it("turn into values that rise as the local model is less sure; missing ones stay missing", () => {
    const sure = localSignalValues({ promptNll: 1.2, selfAssessment: 0.9, answerConfidences: [0.95, 0.9, 0.97, 0.99, 0.92] });
    const unsure = localSignalValues({ promptNll: 4, selfAssessment: 0.2, answerConfidences: [0.3, 0.2, 0.9, 0.25, 0.1] });
    for (let k = 0; k < sure.length; k++) expect(unsure[k]!).toBeGreaterThan(sure[k]!);
    expect(localSignalValues({})).toEqual([null, null, null, null]);
    expect(localSignalValues({ answerConfidences: [0.1, 0.2] })).toEqual([null, null, null, null]);
  });

  it("leave the score alone without learned weights", () => {
    expect(adjustScore(0.42, { promptNll: 9, selfAssessment: 0 }, null)).toBe(0.42);
  });

  describe("measured with a loaded model (plumbing only: the tiny test model's values mean nothing)", async () => {
    const llama = await getLlama(llamaOptions({ gpu: false }));
    const model = await llama.loadModel({ modelPath: storiesModel });
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    afterAll(async () => {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    });

    it("gives a finite prompt perplexity and a self-assessment in 0..1, deterministically", async () => {
      const sequence = context.getSequence();
      try {
        const prompt = "Once upon a time there was a little girl who liked to play in the park.";
        const a = await measureLocalSignals(model, sequence, prompt);
        const b = await measureLocalSignals(model, sequence, prompt);
        expect(a.promptNll).toBeGreaterThan(0);
        expect(Number.isFinite(a.promptNll)).toBe(true);
        expect(a.selfAssessment).toBeGreaterThanOrEqual(0);
        expect(a.selfAssessment).toBeLessThanOrEqual(1);
        expect(b).toEqual(a);
        // Text like its training data is less surprising to the model than noise.
        const noise = await measureLocalSignals(model, sequence, "qz xv jjk wpf zzq kxq vvb qqj xxz pfw jzq");
        expect(noise.promptNll!).toBeGreaterThan(a.promptNll!);
        expect(sequence.nextTokenIndex).toBe(0);
      } finally {
        sequence.dispose();
      }
    });
  });
});
