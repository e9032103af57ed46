import type { CloudAccess, Message, PrivacyMode, Provider } from "../../api/contract.js";

export type PrivacyModeOption = { mode: PrivacyMode; label: string; description: string };

export const privacyModeOptions: readonly PrivacyModeOption[] = [
  { mode: "local", label: "Local only", description: "Nothing leaves this computer. Only the local model answers." },
  { mode: "ask", label: "Ask", description: "Before anything goes to the cloud, you see exactly what would be sent and decide." },
  { mode: "auto", label: "Auto", description: "Hard questions go to the cloud without asking, personal details hidden; all logged." },
];

export function privacyModeOption(mode: PrivacyMode): PrivacyModeOption {
  return privacyModeOptions.find((o) => o.mode === mode) ?? privacyModeOptions[0]!;
}

/**
 * "Ask <cloud>" for the composer: its label and tooltip, or null when the core's decision does not offer the cloud
 * (Local only, by choice or policy; no provider usable) or has not arrived yet. Presentation only: whether to offer it
 * is the core's (CloudAccess).
 */
export function cloudButton(access: CloudAccess | undefined): { label: string; title: string } | null {
  if (!access?.offers.escalate.allowed || !access.provider) return null;
  const name = providerLabel(access.provider);
  return {
    label: `Ask ${name}`,
    title:
      access.mode === "ask"
        ? `Show exactly what would be sent to ${name}, then decide`
        : `Send this message to ${name} now (personal details hidden, logged in the audit log)`,
  };
}

/** "Acme · acme-large": what the composer's button and the retry button name. */
export function providerLabel(provider: Pick<Provider, "name" | "model">): string {
  return provider.name.toLowerCase().includes(provider.model.toLowerCase()) ? provider.name : `${provider.name} ${provider.model}`;
}

type AnsweredBy = NonNullable<Message["answeredBy"]>;

/** "Local · stories260K" or "Cloud · OpenAI gpt-4.1". */
export function answeredByLabel(answeredBy: AnsweredBy): string {
  if (answeredBy.kind === "local") return `Local · ${answeredBy.model}`;
  return `Cloud · ${[answeredBy.provider, answeredBy.model].filter(Boolean).join(" ")}`;
}

/**
 * Whether an answer is one the cloud failed to give (a failover, or a cloud error): it gets the failover note, with
 * "Retry with <cloud>" when the core's decision offers it (CloudAccess.offers.retryWithCloud).
 */
export function canRetryCloud(message: Pick<Message, "role" | "status" | "answeredBy">): boolean {
  if (message.role !== "assistant" || message.status === "streaming") return false;
  const by = message.answeredBy;
  if (!by) return false;
  return by.failover || (by.kind === "cloud" && message.status === "error");
}
