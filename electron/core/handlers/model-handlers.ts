import { AppError } from "../../contract/index.js";
import type { ChatService } from "../chat/chat-service.js";
import type { Handlers } from "../dispatch.js";
import type { ModelManager } from "../models/model-manager.js";
import type { Store } from "../store/store.js";

type ModelHandlers = Pick<
  Handlers,
  "listModels" | "importModel" | "removeModel" | "getCatalog" | "searchModels" | "listRepoFiles" | "checkFit"
>;

/** The contract's model methods: the local list, import and removal, the catalog, Hugging Face search, fit checks. */
export function modelHandlers(deps: {
  models: ModelManager;
  store: Pick<Store, "getModel">;
  chat: Pick<ChatService, "conversationsUsingModel" | "stopAndWait">;
}): ModelHandlers {
  const { models, store, chat } = deps;
  return {
    async listModels() {
      return models.list();
    },

    async importModel({ path: filePath }) {
      return models.import(filePath);
    },

    async removeModel({ modelId }) {
      if (!store.getModel(modelId)) throw new AppError("MODEL_NOT_FOUND", "That model is not in the list any more.");
      await Promise.all(chat.conversationsUsingModel(modelId).map((id) => chat.stopAndWait(id)));
      const { freedBytes } = await models.remove(modelId);
      return { ok: true as const, freedBytes };
    },

    async getCatalog() {
      return models.catalog();
    },

    async searchModels({ query, limit }) {
      return models.hf.search(query, limit);
    },

    async listRepoFiles({ repo }) {
      return models.hf.listFiles(repo);
    },

    async checkFit({ repo, fileName, contextSize }) {
      return models.checkFit(repo, fileName, contextSize);
    },
  };
}
