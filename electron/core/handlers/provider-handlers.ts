import { AppError } from "../../contract/index.js";
import { testProviderConnection } from "../cloud/cloud-chat.js";
import type { EgressGate } from "../cloud/egress.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import type { Handlers } from "../dispatch.js";

type ProviderHandlers = Pick<Handlers, "listProviders" | "saveProvider" | "removeProvider" | "testProvider">;

/** The contract's cloud provider methods: list, save, remove, and a connection test through the egress gate. */
export function providerHandlers(deps: {
  providers: Pick<ProviderStore, "list" | "save" | "get" | "remove" | "apiKey">;
  egress: Pick<EgressGate, "chatFetch">;
}): ProviderHandlers {
  const { providers, egress } = deps;
  return {
    async listProviders() {
      return providers.list();
    },

    async saveProvider(input) {
      return providers.save(input);
    },

    async removeProvider({ providerId }) {
      if (!providers.get(providerId)) throw new AppError("NO_PROVIDER", "That cloud provider does not exist any more.");
      providers.remove(providerId);
      return { ok: true as const };
    },

    async testProvider({ providerId }) {
      const provider = providers.get(providerId);
      if (!provider) throw new AppError("NO_PROVIDER", "That cloud provider does not exist any more.");
      return testProviderConnection({
        provider,
        apiKey: providers.apiKey(providerId),
        signal: AbortSignal.timeout(30_000),
        // A connection test is egress like any other: checked against the policy and logged.
        fetch: egress.chatFetch({ conversationId: null, conversationTitle: null, privacyMode: "auto", provider, purpose: "provider-test" }),
      });
    },
  };
}
