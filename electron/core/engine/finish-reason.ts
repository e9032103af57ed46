import type { FinishReason } from "../../contract/index.js";
import type { GenerateResult } from "./engine.js";

/**
 * node-llama-cpp's stop reason as the contract's finish reason, which an answer's stats keep: "length" is how the
 * UI knows an answer was cut off at the output limit and can be continued.
 */
export function finishReasonOf(stopReason: GenerateResult["stopReason"]): FinishReason {
  switch (stopReason) {
    case "abort":
      return "abort";
    case "maxTokens":
      return "length";
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return "stop";
    case "functionCalls":
      return "other";
    default:
      return stopReason satisfies never;
  }
}
