import { AppError, requestBodyOf, serializeError, type EscalationProposal, type Provider } from "../../../contract/index.js";
import { createStreamingRestorer } from "../../cloud/redact/redactor.js";
import type { ChatDeps } from "../chat-deps.js";
import { contextOptions } from "../context/context-options.js";
import { requireLocalModel } from "../local-model.js";
import { auditReview, doubtCounts } from "../escalation.js";
import { cloudGenerator } from "./cloud-generator.js";
import { engineGenerator } from "./engine-generator.js";
import type { StateOf, TurnState } from "./turn-schema.js";
import type { TurnPorts } from "./turn-ports.js";
import type { TurnNotice } from "./turn-types.js";

export type PortHooks = {
  save(state: TurnState): void;
  emit(notice: TurnNotice, state: TurnState): void;
};

/**
 * The turn engine's ports on the real core: the router and the redacted proposal from Escalation, the local engine
 * and the cloud providers as generators, the egress gate (with the audit review of an approved send), the store.
 */
export function corePorts(deps: ChatDeps, hooks: PortHooks): TurnPorts {
  const { store, escalation } = deps;
  const conversationOf = (state: TurnState) => store.requireConversation(state.input.conversationId);
  const historyOf = (state: TurnState) => store.listBranchTo(state.input.userMessageId);

  return {
    save: hooks.save,
    emit: hooks.emit,
    route(state) {
      const history = historyOf(state);
      const model = store.getModel(state.input.localModel.id);
      return escalation.route(history.at(-1)?.content ?? "", history.slice(0, -1), model?.parameters ?? null);
    },
    async propose(request, state) {
      const conversation = conversationOf(state);
      const provider = requireProvider(deps, request.provider.id);
      const made = await escalation.propose({
        conversation,
        history: historyOf(state),
        userMessageId: state.input.userMessageId,
        provider,
        router: request.router,
        ...(request.edited ? { edited: request.edited } : {}),
        replacesMessageId: request.replacesAttemptId,
      });
      return request.purpose === "revise" ? revised(made, state) : made;
    },
    async checkRequest(proposal, state) {
      const conversation = conversationOf(state);
      // The same rule (and reason) the UI was shown: the mode, the policy, the provider and its key, as they are now.
      try {
        escalation.requireCloud(conversation);
      } catch (error) {
        return { kind: "refused", error: serializeError(error) };
      }
      const provider = deps.providers.get(proposal.providerId);
      if (!provider) return { kind: "refused", error: noProvider().toJSON() };
      if (escalation.access(conversation).provider?.id !== provider.id) {
        return { kind: "refused", error: new AppError("NO_PROVIDER", `This conversation no longer uses ${provider.name}. Nothing was sent: send the message again to see what would go.`).toJSON() };
      }
      const renewed = await escalation.renewIfChanged(proposal, conversation, provider);
      return renewed ? { kind: "renewed", proposal: renewed } : { kind: "unchanged" };
    },
    judge(request, state) {
      const verdict = escalation.judgeLocalAnswer(request.confidences);
      const conversation = store.getConversation(state.input.conversationId);
      const mode = conversation ? escalation.effectiveMode(conversation) : "local";
      const provider = conversation && mode !== "local" ? escalation.provider(conversation) : null;
      return { verdict, cloud: { mode, provider: provider ? { id: provider.id, name: provider.name, model: provider.model } : null } };
    },
    generateLocal: engineGenerator(deps.engine, ({ input, attempt }) => {
      const conversation = store.requireConversation(input.conversationId);
      const model = requireLocalModel(store, input.localModel.id);
      // A continued answer's branch ends with the cut-off answer itself: the model goes on writing it.
      const branch = input.continues && attempt.kind === "continue" ? store.listBranchTo(input.continues.messageId) : store.listBranchTo(input.userMessageId);
      // Stop and ask, or drop the oldest (keeping the start the last answer kept, so the KV cache is reused).
      const fit = contextOptions(conversation, branch, input.contextOverflow ? { contextOverflow: input.contextOverflow } : {});
      return {
        model: { id: model.id, path: model.path, name: model.name },
        conversationId: input.conversationId,
        contextSize: conversation.settings.contextSize,
        prompt: { systemPrompt: conversation.settings.systemPrompt, branch, ...fit },
        temperature: conversation.settings.temperature,
        sampling: conversation.settings.sampling,
        maxOutputTokens: conversation.settings.maxOutputTokens,
      };
    }),
    generateCloud: cloudGenerator(
      ({ input, attempt, proposal }) => {
        const conversation = store.requireConversation(input.conversationId);
        const provider = requireProvider(deps, proposal.providerId);
        return {
          provider,
          apiKey: deps.providers.apiKey(provider.id),
          payload: proposal.payload,
          // The body the preview showed: a send that would differ is refused before anything leaves.
          expectedBody: requestBodyOf(proposal),
          temperature: conversation.settings.temperature,
          maxOutputTokens: conversation.settings.maxOutputTokens,
          fetch: deps.egress.chatFetch({
            conversationId: conversation.id,
            conversationTitle: escalation.redactedTitle(conversation),
            privacyMode: escalation.effectiveMode(conversation),
            provider,
            purpose: "chat",
            // Held for the user's approval first: why, and what they decided, go with the audit entry.
            review: attempt.reason.code === "approved" ? auditReview(proposal, "sent") : null,
          }),
          stallTimeoutMs: deps.cloudStallTimeoutMs,
        };
      },
      ({ input }) => createStreamingRestorer(escalation.placeholderMap(input.conversationId)),
    ),
  };
}

/** A revised payload is still the answer to the question that was asked (and why): recorded as approved after an edit. */
function revised(made: EscalationProposal, state: StateOf<"proposing">): EscalationProposal {
  const previous = state.previous;
  const unsure = previous?.askedBecauseUnsure === true;
  return { ...made, edited: true, ...(unsure ? { askedBecauseUnsure: true, heldFor: previous?.heldFor ?? doubtCounts(previous?.doubts) } : {}) };
}

function requireProvider(deps: ChatDeps, id: string): Provider {
  const provider = deps.providers.get(id);
  if (!provider) throw noProvider();
  return provider;
}

function noProvider(): AppError {
  return new AppError("NO_PROVIDER", "That cloud provider was removed. Choose another in Settings.");
}

