import type { ApiServerService } from "../api-server/api-server-service.js";
import type { Handlers } from "../dispatch.js";

type ApiServerHandlers = Pick<Handlers, "getApiServer" | "updateApiServer" | "rotateApiKey" | "revealApiKey" | "listApiActivity">;

/** The contract's local API methods: Settings' section and the activity view. */
export function apiServerHandlers(deps: { apiServer: ApiServerService }): ApiServerHandlers {
  const { apiServer } = deps;
  return {
    async getApiServer() {
      return apiServer.state();
    },
    async updateApiServer(input) {
      return apiServer.update(input);
    },
    async rotateApiKey() {
      return apiServer.rotateKey();
    },
    async revealApiKey() {
      return { key: apiServer.revealKey() };
    },
    async listApiActivity(input) {
      return apiServer.activityList(input.limit);
    },
  };
}
