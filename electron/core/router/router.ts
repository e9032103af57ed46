/**
 * The on-device escalation router: decides, on this machine and in well under a millisecond, whether a prompt is
 * likely too hard for the local model and worth sending to the cloud. Nothing leaves the machine to decide.
 *
 * Public API (stable; the app's Ask and Auto modes use it):
 *
 *   const router = loadRouter();                   // loads the shipped model once (router-model.json)
 *   router.score({ prompt, history });             // 0..1, higher = more in need of the strong (cloud) model:
 *                                                  // (1 + expected quality gain of escalating) / 2, one scale
 *                                                  // for every kind of prompt (calibration.ts)
 *   router.decide({ prompt, history, localModel }, "balanced")
 *     // -> { score, target: "local" | "cloud", threshold, reasons: ["multi-step math", ...] }
 *   shouldEscalateAfterLocal(tokenConfidences, "balanced")
 *     // cascade: after answering locally, whether the answer looks unsure enough to propose the cloud
 *   router.usesLocalSignals                        // whether passing `local` (local-signals.ts) changes anything
 *
 * `local` (prompt perplexity, self-assessment, answer confidences of the loaded model; measure them with
 * local-probe.ts) moves the score only when the model file has learned weights for them. The shipped model has
 * none (no local-model outputs are labelled in the training data), so today the signals are accepted and ignored.
 *
 * Levels map to the share of prompts sent to the cloud on the benchmark (see LEVEL_SHARES, reported by
 * `npm run bench:router`): rarely ~15%, balanced ~35%, often ~60%, for a local model about as capable as the
 * benchmark's weak model (Mixtral-8x7B, roughly a current 8B model). A smaller local model escalates more
 * (a 1B model about 60% at balanced), a larger one less: the model was trained against one weak model only, so
 * this size adjustment is a stated prior, not learned.
 */

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type HistoryTurn } from "./features.js";
import { adjustScore, type LocalSignals } from "./local-signals.js";
import { RouterModel, type EscalationThresholds, type ModelFile } from "./model.js";

export type EscalationLevel = "rarely" | "balanced" | "often";

export type RouterInput = {
  prompt: string;
  history?: HistoryTurn[];
  localModel?: { parameters: number | null; name?: string };
  /** Signals measured with the loaded local model (used only by a model file with weights for them). */
  local?: LocalSignals;
};

export type RouterDecision = {
  /** The prompt's score (as Router.score). */
  score: number;
  target: "local" | "cloud";
  /** Score at or above which this decision goes to the cloud (after the local model's size adjustment). */
  threshold: number;
  /** Why, in words a user can read. */
  reasons: string[];
};

export interface Router {
  /** Whether the model file has learned weights for the local model's signals (`input.local`). */
  readonly usesLocalSignals: boolean;
  score(input: RouterInput): number;
  decide(input: RouterInput, level: EscalationLevel): RouterDecision;
}

export const MODEL_FILE_NAME = "router-model.json";
/** Parameters of the local model the benchmark's weak model is about as capable as. */
const REFERENCE_PARAMETERS = 8e9;

/** Finds router-model.json next to this module, or in electron/core/router/ of an ancestor (compiled dist). */
export function defaultModelPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    for (const candidate of [path.join(dir, MODEL_FILE_NAME), path.join(dir, "electron", "core", "router", MODEL_FILE_NAME)]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`${MODEL_FILE_NAME} not found near ${fileURLToPath(import.meta.url)}`);
}

let shipped: Router | null = null;

/** The shipped router, loaded once. */
export function loadRouter(): Router {
  shipped ??= routerFromFile(defaultModelPath());
  return shipped;
}

export function routerFromFile(file: string): Router {
  return createRouter(JSON.parse(fs.readFileSync(file, "utf8")) as ModelFile);
}

export function createRouter(file: ModelFile): Router {
  const model = RouterModel.fromFile(file);
  const spread = typeof file.training.scoreStd === "number" ? file.training.scoreStd : 0.05;
  const local = file.localSignals ?? null;
  return {
    usesLocalSignals: local !== null,
    score(input) {
      return adjustScore(model.score(model.features(input.prompt, input.history)), input.local, local);
    },
    decide(input, level) {
      const f = model.features(input.prompt, input.history);
      const score = adjustScore(model.score(f), input.local, local);
      const params = input.localModel?.parameters ?? null;
      // Without a size adjustment this is exactly the calibrated threshold of the level.
      const threshold = params === null ? file.thresholds[level] : quantileAt(file.scoreQuantiles, 1 - adjustedShare(file.thresholdShares[level], params));
      const target = score >= threshold ? "cloud" : "local";
      const reasons: string[] = [];
      if (target === "cloud") {
        const contributions = model
          .contributions(f)
          .filter((c) => c.label !== null && c.notable && c.value > 0.1 * spread)
          .sort((a, b) => b.value - a.value)
          .slice(0, 3);
        for (const c of contributions) reasons.push(c.label!);
        if (params !== null && params < 4e9) reasons.push(`local model is small (${formatParameters(params)})`);
        if (reasons.length === 0) reasons.push("harder than most prompts the local model handles well");
      } else {
        reasons.push("looks within the local model's reach");
        if (params !== null && params > 20e9) reasons.push(`local model is large (${formatParameters(params)})`);
      }
      return { score, target, threshold, reasons };
    },
  };
}

/**
 * Strong-call share for a local model of `parameters`: 1 - (1 - share)^m with m = (8B / parameters)^0.35,
 * clamped, so a 1B model escalates about twice as often at the same level and a 70B model about half.
 */
export function adjustedShare(share: number, parameters: number | null): number {
  if (parameters === null || !(parameters > 0)) return share;
  const m = Math.min(3, Math.max(0.4, (REFERENCE_PARAMETERS / parameters) ** 0.35));
  return 1 - (1 - share) ** m;
}

/** Score at cumulative fraction q of the training scores (quantiles[i] is the i/(len-1) quantile). */
function quantileAt(quantiles: readonly number[], q: number): number {
  const pos = Math.min(1, Math.max(0, q)) * (quantiles.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, quantiles.length - 1);
  return quantiles[lo]! + (pos - lo) * (quantiles[hi]! - quantiles[lo]!);
}

export function formatParameters(parameters: number): string {
  if (parameters >= 1e9) return `${Number((parameters / 1e9).toFixed(1))}B`;
  if (parameters >= 1e6) return `${Number((parameters / 1e6).toFixed(parameters >= 1e7 ? 0 : 1))}M`;
  return `${Math.max(1, Math.round(parameters / 1e3))}K`;
}

export type { EscalationThresholds };
export { shouldEscalateAfterLocal } from "./cascade.js";
