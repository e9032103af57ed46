import type { EscalationProposal } from "../../api/contract.js";

/**
 * "Hearth is not sure it hid everything: a password-like value and a token." The core's notes never quote the text,
 * so this line is safe to show and to keep.
 */
export function unsureText(proposal: Pick<EscalationProposal, "doubts">): string | null {
  const notes = [...new Set((proposal.doubts ?? []).map((d) => d.note))];
  if (notes.length === 0) return null;
  const listed = notes.length === 1 ? notes[0]! : `${notes.slice(0, -1).join(", ")} and ${notes.at(-1)!}`;
  return `Hearth is not sure it hid everything: ${listed}.`;
}
