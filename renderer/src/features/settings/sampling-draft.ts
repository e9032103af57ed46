import { defaultSamplingSettings, type SamplingSettings } from "../../api/contract.js";

/** The sampling fields as the form holds them: text, parsed on Save by the contract's schema. */
export type SamplingDraft = Record<keyof SamplingSettings, string>;

export const samplingLabels: Record<keyof SamplingSettings, string> = {
  topP: "Top-p",
  topK: "Top-k",
  minP: "Min-p",
  repeatPenalty: "Repeat penalty",
  seed: "Seed",
};

export function toSamplingDraft(sampling: SamplingSettings = defaultSamplingSettings): SamplingDraft {
  return {
    topP: String(sampling.topP),
    topK: String(sampling.topK),
    minP: String(sampling.minP),
    repeatPenalty: String(sampling.repeatPenalty),
    seed: sampling.seed === null ? "" : String(sampling.seed),
  };
}

/** An empty field is no number (the schema refuses it), except the seed, where empty means a new seed each answer. */
function numberOf(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

/** What the schema parses; the schema, not this, decides what is allowed. */
export function samplingFromDraft(draft: SamplingDraft): Record<keyof SamplingSettings, number | null> {
  return {
    topP: numberOf(draft.topP),
    topK: numberOf(draft.topK),
    minP: numberOf(draft.minP),
    repeatPenalty: numberOf(draft.repeatPenalty),
    seed: draft.seed.trim() === "" ? null : numberOf(draft.seed),
  };
}
