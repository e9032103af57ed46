import { randomUUID } from "node:crypto";
import {
  AppError,
  type AuditReview,
  type CloudAccess,
  type Conversation,
  type DoubtCount,
  type EscalationProposal,
  type Message,
  type PayloadMessage,
  type Policy,
  type PrivacyMode,
  type ProposalDoubt,
  type Provider,
  type RedactionInfo,
  type RouterDecisionInfo,
  requestBodyOf,
  shareRequestBody,
} from "../../contract/index.js";
import type { DeclinedAuditEntry } from "../cloud/audit-log.js";
import type { LocalModelCheck } from "../cloud/redact/llm-pass-engine.js";
import { placeholdersIn } from "../cloud/redact/placeholders-in.js";
import { createRedactor, emptyPlaceholderMap, type PlaceholderMap } from "../cloud/redact/redactor.js";
import { requestBodyFor } from "../cloud/cloud-chat.js";
import { cloudAccess, cloudRefusal } from "../cloud/cloud-access.js";
import { providerIsInternal } from "../cloud/egress.js";
import { effectiveBaseUrl } from "../cloud/providers/registry.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import { shouldEscalateAfterLocal, type CascadeDecision, type CascadeVerdict } from "../router/cascade.js";
import { loadRouter, type Router } from "../router/router.js";
import type { SettingsService } from "../settings/settings-service.js";
import type { Store } from "../store/store.js";
import { toCloudMessages, toRouterHistory } from "./context/cloud-messages.js";
import { buildWhole } from "./context/context-builder.js";

export type EscalationDeps = {
  store: Store;
  providers: ProviderStore;
  settings: SettingsService;
  policy: () => Policy;
  /** Replaces the cascade's rule (tests: the small test models are not chat models, so their confidence says little). */
  cascadeDecision?: CascadeDecision;
  /** The optional second redaction pass by the loaded local model (runs only while its setting is on). */
  localCheck?: LocalModelCheck;
};

/**
 * Everything about "may this go to the cloud, and what exactly would go": the mode (with the policy on top),
 * the router's decision, the provider, and the redacted payload with stable per-conversation placeholders.
 */
export class Escalation {
  private router: Router | null = null;

  constructor(private readonly deps: EscalationDeps) {}

  /** The one decision about this conversation and the cloud (mode, provider, offers), as the UI is shown it. */
  access(conversation: Conversation): CloudAccess {
    return cloudAccess({ conversation, policy: this.deps.policy(), providers: this.deps.providers.list() });
  }

  /** Refuses (EGRESS_BLOCKED / NO_PROVIDER, with the reason the UI shows) unless this conversation may use the cloud now. */
  requireCloud(conversation: Conversation): void {
    const refusal = cloudRefusal(this.access(conversation));
    if (refusal) throw refusal;
  }

  /** The mode that applies: the organisation's lock wins over the conversation's setting. */
  effectiveMode(conversation: Conversation): PrivacyMode {
    return this.access(conversation).mode;
  }

  /** The router's view of the prompt, with the local model's size taken into account. */
  route(prompt: string, history: Message[], localModelParameters: number | null): RouterDecisionInfo {
    this.router ??= loadRouter();
    return this.router.decide(
      {
        prompt,
        history: toRouterHistory(buildWhole({ branch: history, systemPrompt: "" })),
        localModel: { parameters: localModelParameters },
      },
      this.deps.settings.escalationLevel(),
    );
  }

  /** Auto mode asks before sending a message the redactor is unsure about (Settings; the policy can force it). */
  askWhenUnsure(): boolean {
    return this.deps.settings.askWhenUnsure();
  }

  /** Cascade: whether a local answer the router chose looks unsure, at the level set in Settings. */
  judgeLocalAnswer(confidences: number[]): CascadeVerdict {
    return (this.deps.cascadeDecision ?? shouldEscalateAfterLocal)(confidences, this.deps.settings.escalationLevel());
  }

  /** The provider a cloud request of this conversation goes to (cloud-access.ts decides); null when there is none. */
  provider(conversation: Conversation): Provider | null {
    const chosen = this.access(conversation).provider;
    return chosen ? this.deps.providers.get(chosen.id) : null;
  }

  requireProvider(conversation: Conversation): Provider {
    const access = this.access(conversation);
    const provider = access.provider ? this.deps.providers.get(access.provider.id) : null;
    if (!provider) {
      throw new AppError("NO_PROVIDER", access.providerProblem?.message ?? "No cloud provider is set up for this conversation. Add one in Settings.");
    }
    return provider;
  }

  /**
   * The proposal for a conversation's history up to and including `userMessage`: system prompt and turns,
   * each redacted with the conversation's placeholder map (saved, so placeholders stay stable across turns).
   */
  async propose(input: {
    conversation: Conversation;
    history: Message[];
    userMessageId: string;
    provider: Provider;
    router: RouterDecisionInfo | null;
    /** Text the user edited in the preview; redacted again. */
    edited?: PayloadMessage[];
    /** Cascade: the local answer the cloud answer would replace. */
    replacesMessageId?: string | null;
  }): Promise<EscalationProposal> {
    const { conversation } = input;
    const plain: Array<PayloadMessage & { fresh: boolean }> = input.edited
      ? input.edited.map((m) => ({ ...m, fresh: true }))
      : contextMessages(conversation, input.history);
    const customTerms = this.deps.settings.redactionTerms();
    let map = this.deps.store.getPlaceholderMap<PlaceholderMap>(conversation.id) ?? emptyPlaceholderMap();
    // The local model reads the first pass's output of the messages not yet sent; what it adds is hidden everywhere.
    const second = await this.deps.localCheck?.run(plain.map((m) => m.content), map, createRedactor({ customTerms }), plain.map((m) => m.fresh));
    const redactor = createRedactor({ customTerms, detectors: second?.detectors ?? [] });
    const redactions: RedactionInfo[] = [];
    const doubts: ProposalDoubt[] = [];
    const payload = plain.map((message, messageIndex) => {
      const result = redactor.redact(message.content, map);
      map = result.map;
      // Every placeholder in the text is reported where it stands, not only the redactor's new finds: an edited
      // payload still holds the first preview's placeholders (plain text to the redactor), and the redactor's
      // offsets are in the text before redaction. Otherwise the preview counts fewer hidden values than it marks.
      const byModel = second?.placeholdersFound(result.redactions, message.content);
      redactions.push(...placeholdersIn(result.text, messageIndex, map).map((r) => (byModel?.has(r.placeholder) ? { ...r, foundByLocalModel: true } : r)));
      // Doubts about text that already left once (an earlier cloud turn) are not raised again at every turn.
      if (message.fresh) {
        for (const d of result.doubts) doubts.push({ reason: d.reason, ...(d.type ? { type: d.type } : {}), note: d.note, messageIndex });
      }
      return { role: message.role, content: result.text };
    });
    this.deps.store.setPlaceholderMap(conversation.id, map);
    // The body is built as the send will build it, with the conversation's parameters as they are now.
    const requestBody = await requestBodyFor({
      provider: input.provider,
      payload,
      temperature: conversation.settings.temperature,
      maxOutputTokens: conversation.settings.maxOutputTokens,
    });
    return {
      id: randomUUID(),
      conversationId: conversation.id,
      userMessageId: input.userMessageId,
      providerId: input.provider.id,
      providerName: input.provider.name,
      model: input.provider.model,
      payload,
      redactions,
      requestBody: shareRequestBody(requestBody, payload),
      bytes: Buffer.byteLength(requestBody, "utf8"),
      router: input.router,
      ...(input.replacesMessageId ? { replacesMessageId: input.replacesMessageId } : {}),
      // Bounded like the contract: a pathological payload must not make the proposal unsendable.
      ...(doubts.length > 0 ? { doubts: doubts.slice(0, MAX_PROPOSAL_DOUBTS) } : {}),
      ...(second ? { secondPass: { status: second.summary.status, found: second.summary.found, ms: second.summary.ms, message: second.summary.message } } : {}),
      createdAt: Date.now(),
    };
  }

  /**
   * The proposal with the request body the send would now build (same payload, the conversation's parameters and
   * the provider as they are now), or null when it is unchanged.
   */
  async renewIfChanged(pending: EscalationProposal, conversation: Conversation, provider: Provider): Promise<EscalationProposal | null> {
    const requestBody = await requestBodyFor({
      provider,
      payload: pending.payload,
      temperature: conversation.settings.temperature,
      maxOutputTokens: conversation.settings.maxOutputTokens,
    });
    if (requestBody === requestBodyOf(pending)) return null;
    return {
      ...pending,
      id: randomUUID(),
      providerName: provider.name,
      model: provider.model,
      requestBody: shareRequestBody(requestBody, pending.payload),
      bytes: Buffer.byteLength(requestBody, "utf8"),
      createdAt: Date.now(),
    };
  }

  /**
   * The conversation's title as the audit log keeps it: redacted with the same placeholders as its payloads (the
   * title is the start of the first message, and the log outlives the conversation).
   */
  redactedTitle(conversation: Conversation): string {
    const redactor = createRedactor({ customTerms: this.deps.settings.redactionTerms() });
    const result = redactor.redact(conversation.title, this.placeholderMap(conversation.id));
    this.deps.store.setPlaceholderMap(conversation.id, result.map);
    return result.text;
  }

  /**
   * The audit entry of a held proposal the user refused: who it was for and why it was held, with no payload (the
   * text never left, and the log outlives the conversation).
   */
  declinedEntry(pending: EscalationProposal, conversation: Conversation): DeclinedAuditEntry {
    const provider = this.deps.providers.get(pending.providerId);
    let host = "";
    try {
      if (provider) host = new URL(effectiveBaseUrl(provider)).host;
    } catch {
      // A provider whose base URL no longer parses: the entry still records the decision.
    }
    return {
      conversationId: conversation.id,
      conversationTitle: this.redactedTitle(conversation),
      purpose: "chat",
      providerName: pending.providerName,
      providerKind: provider?.kind ?? "removed",
      model: pending.model,
      host,
      // Recorded like a sent entry's, so the log's filters and labels treat the refusal the same way.
      ...(provider ? { destination: providerIsInternal(this.deps.policy(), provider) ? ("organisation" as const) : ("cloud" as const) } : {}),
      review: auditReview(pending, "kept-local"),
    };
  }

  placeholderMap(conversationId: string): PlaceholderMap {
    return this.deps.store.getPlaceholderMap<PlaceholderMap>(conversationId) ?? emptyPlaceholderMap();
  }
}

/**
 * The conversation as the cloud would get it, from the one context builder (whole: the provider's context is not
 * counted here): system prompt and turns, each marked `fresh` when it has not left this machine yet (it comes
 * after the last answer a cloud provider gave, or there was none). Redaction runs on this.
 */
function contextMessages(conversation: Conversation, history: Message[]): Array<PayloadMessage & { fresh: boolean }> {
  return toCloudMessages(buildWhole({ branch: history, systemPrompt: conversation.settings.systemPrompt }), history);
}

/** Doubts a proposal lists at most (the contract's bound); one is enough to ask. */
const MAX_PROPOSAL_DOUBTS = 1000;

const DOUBT_REASONS = ["credential", "disagreement", "low-confidence"] as const;

/** Doubts counted by kind, with the value types they were about (sorted): what the audit log may keep of them. */
export function doubtCounts(doubts: readonly ProposalDoubt[] | undefined): DoubtCount[] {
  return DOUBT_REASONS.flatMap((reason) => {
    const of = (doubts ?? []).filter((d) => d.reason === reason);
    if (of.length === 0) return [];
    const types = [...new Set(of.flatMap((d) => (d.type ? [d.type] : [])))].sort().slice(0, 32);
    return [{ reason, count: of.length, types }];
  });
}

/**
 * Why a pending proposal was held and what the user decided, for its audit entry. Every saved proposal was held:
 * Auto saves one only when it asks because of doubts, Ask saves every one.
 */
export function auditReview(pending: EscalationProposal, decision: AuditReview["decision"]): AuditReview {
  return {
    heldBecause: pending.askedBecauseUnsure ? "unsure" : "ask-mode",
    doubts: pending.askedBecauseUnsure ? (pending.heldFor ?? doubtCounts(pending.doubts)) : doubtCounts(pending.doubts),
    decision,
    edited: pending.edited === true,
    bytes: pending.bytes,
  };
}
