import type { Policy } from "../../contract/index.js";
import { cloudAccess } from "../cloud/cloud-access.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import type { Handlers } from "../dispatch.js";
import type { Store } from "../store/store.js";

/** getCloudAccess: the core's one decision about a conversation and the cloud, for the UI to show. */
export function cloudAccessHandlers(deps: {
  store: Pick<Store, "requireConversation">;
  providers: Pick<ProviderStore, "list">;
  policy: () => Policy;
}): Pick<Handlers, "getCloudAccess"> {
  return {
    async getCloudAccess({ conversationId }) {
      const conversation = deps.store.requireConversation(conversationId);
      return cloudAccess({ conversation, policy: deps.policy(), providers: deps.providers.list() });
    },
  };
}
