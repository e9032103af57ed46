import type { ChatEvent, Conversation } from "../../contract/index.js";
import type { EgressGate } from "../cloud/egress.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import type { Logger } from "../core-types.js";
import type { EnginePort } from "../engine-host/engine-port.js";
import type { Store } from "../store/store.js";
import type { Escalation } from "./escalation.js";

/** What the chat service and the turn engine's ports use of the rest of the core. */
export type ChatDeps = {
  store: Store;
  engine: EnginePort;
  escalation: Escalation;
  providers: ProviderStore;
  egress: EgressGate;
  emitChat: (event: ChatEvent) => void;
  onConversationChanged: (conversation: Conversation) => void;
  cloudStallTimeoutMs?: number;
  logger?: Logger;
};
