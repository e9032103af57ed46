import { z } from "zod";
import { idSchema, privacyModeSchema } from "./schemas.js";

/** Why a conversation has no cloud provider to use, or why one provider cannot be used by it. */
export const providerProblemSchema = z.object({
  /**
   * "none-set-up": no provider at all; "none-allowed": the organisation's policy allows none of them;
   * "not-allowed": the policy refuses this one (its kind or host); "no-key": it needs an API key and has none.
   */
  kind: z.enum(["none-set-up", "none-allowed", "not-allowed", "no-key"]),
  /** One sentence for the user, with the way forward. */
  message: z.string().max(2000),
});
export type ProviderProblem = z.infer<typeof providerProblemSchema>;

/** Whether the UI may offer an action, and if not, why (for its tooltip or note). */
export const cloudOfferSchema = z.object({
  allowed: z.boolean(),
  /** Null when allowed. */
  reason: z.string().max(2000).nullable(),
});
export type CloudOffer = z.infer<typeof cloudOfferSchema>;

const providerRefSchema = z.object({
  id: idSchema,
  name: z.string(),
  model: z.string(),
  /** One of the organisation's own servers (policy `internalHosts`): shown as such, not as "the cloud". */
  internal: z.boolean().optional(),
});

/**
 * May this conversation use the cloud, and how: decided once in the core from the conversation's settings, the
 * organisation's policy and the providers (with their keys); the UI only shows it (getCloudAccess). The core's own
 * checks before a send use the same decision, so the UI never offers what the core would refuse.
 */
export const cloudAccessSchema = z.object({
  conversationId: idSchema,
  /** The mode that applies: the policy's lock wins over the conversation's own setting. */
  mode: privacyModeSchema,
  /** The organisation's policy fixes the mode (`offers.changeMode.reason` says so). */
  locked: z.boolean(),
  /** The modes the user may choose for this conversation: all three, or only the locked one. */
  modes: z.array(privacyModeSchema).min(1).max(3),
  /** The provider a cloud request of this conversation would go to; null with `providerProblem` saying why. */
  provider: providerRefSchema.nullable(),
  providerProblem: providerProblemSchema.nullable(),
  /** Every provider set up, in order, with why this conversation could not use it (null: it could). */
  providerChoices: z.array(providerRefSchema.extend({ problem: providerProblemSchema.nullable() })),
  /** What the UI may offer now. */
  offers: z.object({
    /** "Ask <cloud>" for the next message (and the router's proposals). */
    escalate: cloudOfferSchema,
    /** "Retry with <cloud>" under an answer the cloud did not give. */
    retryWithCloud: cloudOfferSchema,
    /** Switching the privacy mode (Local only / Ask / Auto). */
    changeMode: cloudOfferSchema,
  }),
});
export type CloudAccess = z.infer<typeof cloudAccessSchema>;
