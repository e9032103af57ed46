import type { AuditEntry } from "../../api/contract.js";

/**
 * Where a provider's requests go, in words: "the cloud", or "your organisation's server" when the core found its base
 * URL among the organisation policy's `internalHosts` (Provider.internal, CloudAccess refs, AuditEntry.destination).
 * The UI never matches hosts itself; it only words the core's decision.
 */
export function destinationPhrase(internal: boolean | undefined): string {
  return internal ? "your organisation's server" : "the cloud";
}

/** The audit row's destination line; null for entries that do not record one (Hugging Face, older entries). */
export function auditDestinationLabel(entry: Pick<AuditEntry, "destination">): string | null {
  if (entry.destination === "organisation") return "Your organisation's server";
  if (entry.destination === "cloud") return "The cloud";
  return null;
}
