import {
  AppError,
  type CloudAccess,
  type CloudOffer,
  type Conversation,
  type Policy,
  type PrivacyMode,
  type Provider,
  type ProviderProblem,
} from "../../contract/index.js";
import { providerIsInternal, providerRefusal } from "./egress.js";

const ALL_MODES: readonly PrivacyMode[] = ["local", "ask", "auto"];
const MODE_LABELS: Record<PrivacyMode, string> = { local: "Local only", ask: "Ask", auto: "Auto" };

export type CloudAccessInput = {
  conversation: Pick<Conversation, "id" | "settings">;
  policy: Policy;
  /** Every provider set up, in the order Settings lists them (the first usable one is the default). */
  providers: readonly Provider[];
};

/**
 * THE decision "may this conversation use the cloud, with which provider, and what may the UI offer", from the
 * conversation's settings, the organisation's policy and the providers with their key state. Pure. The chat flow
 * (through Escalation) and the UI (through getCloudAccess) both use it, so they cannot disagree.
 *
 * Provider rules: the conversation's own choice when it is still set up (if the policy refuses it or it lacks its
 * key, there is none, and why: another provider is never used behind the user's back); when it chose none or its
 * choice was removed, the first provider the policy allows that can send (has a key, or is an OpenAI-compatible
 * server, which may need none).
 */
export function cloudAccess({ conversation, policy, providers }: CloudAccessInput): CloudAccess {
  const locked = policy.lockedPrivacyMode;
  const mode = locked ?? conversation.settings.privacyMode;
  const choices = providers.map((p) => ({ provider: p, problem: providerProblem(p, policy) }));
  const chosen = choices.find((c) => c.provider.id === conversation.settings.cloudProviderId);
  const pick = chosen ?? choices.find((c) => c.problem === null) ?? null;
  const provider = pick && pick.problem === null ? pick.provider : null;
  const problem = provider ? null : (chosen?.problem ?? noUsableProvider(choices));

  const cloud = cloudOffer(mode, locked !== null, problem);
  return {
    conversationId: conversation.id,
    mode,
    locked: locked !== null,
    modes: locked ? [locked] : [...ALL_MODES],
    provider: provider ? ref(provider, policy) : null,
    providerProblem: problem,
    providerChoices: choices.map((c) => ({ ...ref(c.provider, policy), problem: c.problem })),
    offers: {
      escalate: cloud,
      retryWithCloud: cloud,
      changeMode: locked ? refused(lockReason(locked, policy.source)) : ALLOWED,
    },
  };
}

/**
 * The error a request to use the cloud now gets under this decision (an "Ask <cloud>", a "Retry with <cloud>", an
 * approval), or null when it may: Local only (by choice or by policy) is EGRESS_BLOCKED, no usable provider NO_PROVIDER.
 */
export function cloudRefusal(access: CloudAccess): AppError | null {
  if (access.offers.escalate.allowed) return null;
  const reason = access.offers.escalate.reason ?? "This conversation may not use the cloud.";
  return new AppError(access.mode === "local" ? "EGRESS_BLOCKED" : "NO_PROVIDER", reason);
}

/** Why this provider cannot send for a conversation under this policy; null when it can. */
export function providerProblem(provider: Provider, policy: Policy): ProviderProblem | null {
  // One rule with the egress gate: a provider is offered only if the gate would let it send.
  const refusal = providerRefusal(policy, provider);
  if (refusal) return { kind: "not-allowed", message: `${refusal.message} Choose another provider for this conversation.` };
  // OpenAI-compatible servers (a local vLLM, llama.cpp or Ollama) often need no key; the vendors always do.
  if (!provider.hasKey && provider.kind !== "openai-compatible") {
    return { kind: "no-key", message: `${provider.name} has no API key. Enter it in Settings, or choose another provider.` };
  }
  return null;
}

function noUsableProvider(choices: ReadonlyArray<{ problem: ProviderProblem | null }>): ProviderProblem {
  if (choices.length === 0) return { kind: "none-set-up", message: "No cloud provider is set up. Add one in Settings to use the cloud." };
  if (choices.every((c) => c.problem?.kind === "not-allowed")) {
    return {
      kind: "none-allowed",
      message: "Your organisation's policy allows none of the cloud providers set up. Add an allowed one in Settings.",
    };
  }
  return { kind: "no-key", message: "No cloud provider the policy allows has an API key. Enter one in Settings." };
}

function cloudOffer(mode: PrivacyMode, locked: boolean, problem: ProviderProblem | null): CloudOffer {
  if (mode === "local") {
    return refused(
      locked
        ? "Your organisation's policy keeps every conversation on this computer (Local only)."
        : "This conversation is Local only: nothing leaves this computer. Switch it to Ask or Auto to use the cloud.",
    );
  }
  return problem ? refused(problem.message) : ALLOWED;
}

function lockReason(mode: PrivacyMode, source: string | null): string {
  return `Your organisation's policy${source ? ` (${source})` : ""} sets every chat to “${MODE_LABELS[mode]}”.`;
}

const ALLOWED: CloudOffer = { allowed: true, reason: null };
const refused = (reason: string): CloudOffer => ({ allowed: false, reason });
// `internal` only when true, so a decision reads exactly as before where the policy names no internal hosts.
const ref = (p: Provider, policy: Policy) => ({ id: p.id, name: p.name, model: p.model, ...(providerIsInternal(policy, p) ? { internal: true } : {}) });
