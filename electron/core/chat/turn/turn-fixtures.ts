import type { EscalationProposal, RouterDecisionInfo } from "../../../contract/index.js";
import type { ProviderRef, TurnInput } from "./turn-schema.js";

/** Data builders for the turn engine's tests (plain data, no test framework, so both test files share them). */

export const provider: ProviderRef = { id: "p1", name: "OpenAI", model: "gpt-test" };

export function turnInput(overrides: Partial<TurnInput> = {}): TurnInput {
  return {
    turnId: "t1",
    conversationId: "c1",
    userMessageId: "u1",
    origin: "send",
    mode: "auto",
    forced: null,
    askWhenUnsure: true,
    localModel: { id: "m1", name: "stories260K" },
    provider,
    ...overrides,
  };
}

export function decision(target: "local" | "cloud", reasons: string[] = [target === "cloud" ? "multi-step math" : "short question"]): RouterDecisionInfo {
  return { score: target === "cloud" ? 0.8 : 0.2, threshold: 0.5, target, reasons };
}

export function proposal(overrides: Partial<EscalationProposal> = {}): EscalationProposal {
  return {
    id: "prop-1",
    conversationId: "c1",
    userMessageId: "u1",
    providerId: provider.id,
    providerName: provider.name,
    model: provider.model,
    payload: [{ role: "user", content: "What is [PERSON_1]'s age times 3?" }],
    redactions: [],
    requestBody: "{}",
    bytes: 2,
    router: decision("cloud"),
    createdAt: 1,
    ...overrides,
  };
}
