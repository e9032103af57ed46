import type { Conversation, Message, Policy, PrivacyMode, Provider } from "../../api/contract.js";

export type PrivacyModeOption = { mode: PrivacyMode; label: string; description: string };

export const privacyModeOptions: readonly PrivacyModeOption[] = [
  { mode: "local", label: "Local only", description: "Nothing leaves this computer. Only the local model answers." },
  { mode: "ask", label: "Ask", description: "Before anything goes to the cloud, you see exactly what would be sent and decide." },
  { mode: "auto", label: "Auto", description: "Hard questions go to the cloud without asking, personal details hidden; all logged." },
];

export function privacyModeOption(mode: PrivacyMode): PrivacyModeOption {
  return privacyModeOptions.find((o) => o.mode === mode) ?? privacyModeOptions[0]!;
}

export type EffectivePrivacy = {
  mode: PrivacyMode;
  /** Set by the organisation: shown read-only with the reason. */
  locked: boolean;
  reason: string | null;
};

/** The mode a conversation really runs in: the organisation's lock wins over the conversation's own choice. */
export function effectivePrivacy(conversation: Pick<Conversation, "settings">, policy: Policy | null | undefined): EffectivePrivacy {
  const lockedMode = policy?.lockedPrivacyMode ?? null;
  if (lockedMode === null) return { mode: conversation.settings.privacyMode, locked: false, reason: null };
  const source = policy?.source ? ` (${policy.source})` : "";
  return {
    mode: lockedMode,
    locked: true,
    reason: `Your organisation's policy${source} sets every chat to “${privacyModeOption(lockedMode).label}”.`,
  };
}

/** Mirrors the policy's host rules ("host", "host:port", "*.example.org") to hint in the UI; the core enforces them. */
function hostRuleMatches(rule: string, hostname: string, port: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rule);
  const parts = rule.split(":");
  const [ruleHost, rulePort] = bracketed
    ? [bracketed[1] ?? "", bracketed[2]]
    : parts.length === 2 && /^\d+$/.test(parts[1] ?? "")
      ? [parts[0] ?? "", parts[1]]
      : [rule, undefined];
  if (rulePort !== undefined && rulePort !== port) return false;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const wanted = ruleHost.toLowerCase();
  if (wanted.startsWith("*.")) return host.endsWith(wanted.slice(1)) && host.length > wanted.length - 1;
  return host === wanted;
}

/** Whether the organisation's policy lets Hearth send to this provider (kind and host). */
export function providerAllowed(provider: Provider, policy: Policy | null | undefined): boolean {
  if (!policy) return true;
  if (policy.allowedProviderKinds && !policy.allowedProviderKinds.includes(provider.kind)) return false;
  const rules = policy.allowedProviderHosts;
  // A provider on its vendor's default address has no base URL here; the core knows its host and decides.
  if (rules && provider.baseUrl !== null) {
    let url: URL;
    try {
      url = new URL(provider.baseUrl);
    } catch {
      return false;
    }
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    if (!rules.some((rule) => hostRuleMatches(rule, url.hostname, port))) return false;
  }
  return true;
}

/** The provider a conversation escalates to: its own choice if still there and allowed, else the first allowed one. */
export function conversationProvider(
  conversation: Pick<Conversation, "settings">,
  providers: readonly Provider[],
  policy: Policy | null | undefined,
): Provider | null {
  const allowed = providers.filter((p) => providerAllowed(p, policy));
  const chosen = conversation.settings.cloudProviderId;
  return allowed.find((p) => p.id === chosen) ?? allowed[0] ?? null;
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

/** Whether to offer "Retry with <cloud>" under an answer: the cloud failed (failover or a cloud error). */
export function canRetryCloud(message: Pick<Message, "role" | "status" | "answeredBy">): boolean {
  if (message.role !== "assistant" || message.status === "streaming") return false;
  const by = message.answeredBy;
  if (!by) return false;
  return by.failover || (by.kind === "cloud" && message.status === "error");
}
