import type { EscalationProposal } from "../../api/contract.js";
import { redactionTypeLabel } from "./redaction-segments.js";

/** The values the local model's second check hid, once each, in the order they stand. */
export function secondPassFinds(proposal: EscalationProposal): { placeholder: string; type: string; original: string }[] {
  const seen = new Set<string>();
  const out: { placeholder: string; type: string; original: string }[] = [];
  for (const r of proposal.redactions) {
    if (!r.foundByLocalModel || seen.has(r.placeholder)) continue;
    seen.add(r.placeholder);
    out.push({ placeholder: r.placeholder, type: r.type, original: r.original });
  }
  return out;
}

/**
 * What the local model's second check did for this preview: which values it hid ("found by the local model"), or
 * that it did not finish and only the first pass applies. Nothing while the setting is off.
 */
export function SecondPassNote({ proposal }: { proposal: EscalationProposal }) {
  const pass = proposal.secondPass;
  if (!pass) return null;
  const finds = secondPassFinds(proposal);
  const unfinished = pass.status !== "done";
  return (
    <div
      className={unfinished ? "escalation-why second-pass second-pass-unfinished" : "escalation-why second-pass"}
      role="note"
      data-testid="second-pass"
      data-status={pass.status}
    >
      <span>{pass.message}</span>
      {finds.length > 0 && (
        <ul className="reason-list" data-testid="second-pass-finds">
          {finds.map((f) => (
            <li key={f.placeholder}>
              <mark className="redaction-mark found-by-model">{f.placeholder}</mark> {redactionTypeLabel(f.type)} &ldquo;{f.original}&rdquo;:{" "}
              found by the local model
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
