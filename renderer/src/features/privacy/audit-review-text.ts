import type { AuditReview } from "../../api/contract.js";
import { formatExactBytes, redactionTypeLabel } from "./redaction-segments.js";

const reasonLabels: Record<AuditReview["doubts"][number]["reason"], [string, string]> = {
  credential: ["credential-like value", "credential-like values"],
  disagreement: ["value the detectors disagreed on", "values the detectors disagreed on"],
  "low-confidence": ["value found with low confidence", "values found with low confidence"],
};

/**
 * What the audit viewer says of a request held for approval: why it was held (Ask mode, or Auto was not sure it hid
 * everything, and of what kinds), whether it was edited, and the decision. Counts and types only, never the text.
 */
export function auditReviewText(review: AuditReview): { held: string; decision: string } {
  const kinds = review.doubts.map((d) => {
    const [one, many] = reasonLabels[d.reason];
    const types = d.types.length > 0 ? ` (${d.types.map(redactionTypeLabel).join(", ")})` : "";
    return `${d.count} ${d.count === 1 ? one : many}${types}`;
  });
  const listed = kinds.length <= 1 ? (kinds[0] ?? "") : `${kinds.slice(0, -1).join(", ")} and ${kinds.at(-1)!}`;
  const held =
    review.heldBecause === "unsure"
      ? `Held for approval in Auto mode: Hearth was not sure it hid everything${listed ? ` (${listed})` : ""}.`
      : `Held for approval (Ask mode)${listed ? `; Hearth was not sure about ${listed}` : ""}.`;
  const edited = review.edited ? "You edited it, then " : "You ";
  const decision =
    review.decision === "sent"
      ? `${edited}approved sending it (${formatExactBytes(review.bytes)}).`
      : `${edited}kept it on this computer: nothing was sent (${formatExactBytes(review.bytes)} held back).`;
  return { held, decision };
}
