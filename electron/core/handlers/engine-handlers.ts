import type { ChatService } from "../chat/chat-service.js";
import type { Handlers } from "../dispatch.js";
import type { EnginePort } from "../engine-host/engine-port.js";

type EngineHandlers = Pick<Handlers, "getLoadedModel" | "ejectModel">;

/** The contract's engine methods: what is loaded (for the model indicator), and Eject. */
export function engineHandlers(deps: {
  engine: Pick<EnginePort, "loadedInfo" | "unload">;
  chat: Pick<ChatService, "conversationsUsingModel" | "stopAndWait">;
}): EngineHandlers {
  const { engine, chat } = deps;
  return {
    async getLoadedModel() {
      return { loaded: engine.loadedInfo() };
    },

    async ejectModel() {
      const loaded = engine.loadedInfo();
      if (!loaded) return { ok: true as const, freedBytes: 0 };
      // An answer being written holds the engine's lock: stop it rather than make Eject wait for its end.
      await Promise.all(chat.conversationsUsingModel(loaded.modelId).map((id) => chat.stopAndWait(id)));
      await engine.unload();
      return { ok: true as const, freedBytes: loaded.memoryBytes };
    },
  };
}
