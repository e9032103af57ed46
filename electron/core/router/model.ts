/**
 * The router's model: a logistic regression over the dense features (twice: once shared, once only for
 * free-form prompts, so chat-style prompts get their own structural weights) and the hashed n-grams.
 * Shipped as a small JSON file: dense weights as numbers, hashed weights as base64 int16 with one scale.
 */

import { DENSE, DENSE_COUNT, extractFeatures, type HistoryTurn, type PromptFeatures } from "./features.js";

export const MODEL_FORMAT = "hearth-router";
export const MODEL_VERSION = 1;

export type EscalationThresholds = { rarely: number; balanced: number; often: number };

export type ModelFile = {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  hashBits: number;
  /** Dense feature names, in order; checked against the code's features at load time. */
  denseNames: string[];
  /** 2 * denseNames.length weights: shared, then free-form-only. */
  denseWeights: number[];
  /** base64 of little-endian int16 hashed weights; weight = int * hashedScale. */
  hashedWeights: string;
  hashedScale: number;
  /** Score thresholds for the three escalation levels, and the strong-call share each gives on the training data. */
  thresholds: EscalationThresholds;
  thresholdShares: EscalationThresholds;
  /** How the model was trained, for the record. */
  training: Record<string, unknown>;
};

export class LinearRouterModel {
  readonly hashBits: number;
  /** Shared dense weights, then free-form-only dense weights. */
  readonly dense: Float64Array;
  readonly hashed: Float32Array;

  constructor(hashBits: number, dense?: Float64Array, hashed?: Float32Array) {
    this.hashBits = hashBits;
    this.dense = dense ?? new Float64Array(2 * DENSE_COUNT);
    this.hashed = hashed ?? new Float32Array(1 << hashBits);
  }

  features(prompt: string, history?: readonly HistoryTurn[]): PromptFeatures {
    return extractFeatures(prompt, history, { hashBits: this.hashBits });
  }

  logit(f: PromptFeatures): number {
    const freeForm = f.dense[MC_INDEX] === 0;
    let z = 0;
    for (let i = 0; i < DENSE_COUNT; i++) {
      const v = f.dense[i]!;
      if (v === 0) continue;
      z += v * this.dense[i]!;
      if (freeForm) z += v * this.dense[DENSE_COUNT + i]!;
    }
    for (let k = 0; k < f.hashedIndex.length; k++) z += f.hashedValue[k]! * this.hashed[f.hashedIndex[k]!]!;
    return z;
  }

  /** Each dense feature's contribution to the logit (for reasons). */
  contributions(f: PromptFeatures): { name: string; label: string | null; value: number }[] {
    const freeForm = f.dense[MC_INDEX] === 0;
    return DENSE.map((spec, i) => {
      const v = f.dense[i]!;
      const w = this.dense[i]! + (freeForm ? this.dense[DENSE_COUNT + i]! : 0);
      return { name: spec.name, label: spec.label, value: v * w };
    });
  }

  toFile(extra: Pick<ModelFile, "thresholds" | "thresholdShares" | "training">): ModelFile {
    let max = 0;
    for (const w of this.hashed) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? max / 32767 : 1;
    const ints = new Int16Array(this.hashed.length);
    for (let i = 0; i < ints.length; i++) ints[i] = Math.round(this.hashed[i]! / scale);
    const bytes = Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength);
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      hashBits: this.hashBits,
      denseNames: DENSE.map((d) => d.name),
      denseWeights: [...this.dense].map((w) => Number(w.toPrecision(6))),
      hashedWeights: bytes.toString("base64"),
      hashedScale: scale,
      ...extra,
    };
  }

  static fromFile(file: ModelFile): LinearRouterModel {
    if (file.format !== MODEL_FORMAT || file.version !== MODEL_VERSION) throw new Error("not a Hearth router model (format/version)");
    const names = DENSE.map((d) => d.name);
    if (file.denseNames.length !== names.length || file.denseNames.some((n, i) => n !== names[i])) {
      throw new Error("router model was trained with different features; retrain it (npm run router:train)");
    }
    const bytes = Buffer.from(file.hashedWeights, "base64");
    if (bytes.length !== 2 << file.hashBits) throw new Error("router model: hashed weights have the wrong size");
    const ints = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const hashed = new Float32Array(ints.length);
    for (let i = 0; i < ints.length; i++) hashed[i] = ints[i]! * file.hashedScale;
    return new LinearRouterModel(file.hashBits, Float64Array.from(file.denseWeights), hashed);
  }
}

const MC_INDEX = DENSE.findIndex((d) => d.name === "multiple_choice");

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
