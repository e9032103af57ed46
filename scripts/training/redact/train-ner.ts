import { detectPatterns } from "../../../electron/core/cloud/redact/patterns.js";
import { tokenFeatures } from "../../../electron/core/cloud/redact/ner-features.js";
import type { PerceptronModel } from "../../../electron/core/cloud/redact/perceptron.js";
import { train, type TrainingSequence } from "./perceptron-train.js";
import type { LabelledText } from "./pii-dataset.js";
import { tokenize } from "../../../electron/core/cloud/redact/tokenize.js";

/** Dataset types the tagger learns, and what it calls them; the rest are O or left to the patterns. */
const TAGGED: Record<string, string> = {
  PERSON: "PERSON",
  STREET_ADDRESS: "ADDRESS",
  ZIP_CODE: "ADDRESS",
  ORGANIZATION: "ORG",
  GPE: "LOCATION",
};
/** Spans the patterns own (numbers, emails, dates): neither taught as O nor as an entity. */
const NOT_LEARNED = new Set(["CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "DOMAIN_NAME", "IBAN_CODE", "US_SSN",
  "IP_ADDRESS", "US_DRIVER_LICENSE", "DATE_TIME", "AGE"]);

export const NER_LABELS = ["O", "PERSON", "ADDRESS", "ORG", "LOCATION"];

export function toSequence(row: LabelledText): TrainingSequence {
  const tokens = tokenize(row.text);
  const patternSpans = detectPatterns(row.text);
  const labels = tokens.map((tok): string | null => {
    const span = row.spans.find((s) => s.start < tok.end && s.end > tok.start);
    if (span) {
      if (NOT_LEARNED.has(span.type)) return null;
      return TAGGED[span.type] ?? "O";
    }
    // Tokens a pattern would redact anyway teach nothing about names.
    if (patternSpans.some((p) => p.start < tok.end && p.end > tok.start)) return null;
    return "O";
  });
  return { features: tokenFeatures(tokens), labels };
}

export function trainNer(rows: readonly LabelledText[], options: { epochs?: number; minCount?: number } = {}): PerceptronModel {
  return train(rows.map(toSequence), NER_LABELS, { epochs: options.epochs ?? 10, minCount: options.minCount ?? 1, seed: 7 });
}
