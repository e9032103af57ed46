import { create, type StateCreator } from "zustand";
import type { AppInfo, Conversation, ModelInfo } from "../api/contract.js";
import type { ConnectionStatus } from "../api/connection.js";
import { emptyMessagesState, type MessagesState } from "./messages-state.js";

export type ConversationsSlice = {
  conversations: Record<string, Conversation>;
  conversationsLoaded: boolean;
};

export type MessagesSlice = {
  messages: MessagesState;
  /** Conversations whose messages were fetched from the core. */
  loadedConversations: Record<string, true>;
};

export type ModelsSlice = {
  models: ModelInfo[];
  modelsLoaded: boolean;
};

export type AppSlice = {
  appInfo: AppInfo | null;
  connection: ConnectionStatus;
};

export type Notice = { id: number; code: string; message: string };
export type View = "chat" | "models";

export type UiSlice = {
  view: View;
  activeConversationId: string | null;
  settingsOpen: boolean;
  /** Errors not tied to a form; shown in one alert region until dismissed. */
  notices: Notice[];
};

export type HearthState = ConversationsSlice & MessagesSlice & ModelsSlice & AppSlice & UiSlice;

type Slice<T> = StateCreator<HearthState, [], [], T>;

const conversationsSlice: Slice<ConversationsSlice> = () => ({ conversations: {}, conversationsLoaded: false });
const messagesSlice: Slice<MessagesSlice> = () => ({ messages: emptyMessagesState, loadedConversations: {} });
const modelsSlice: Slice<ModelsSlice> = () => ({ models: [], modelsLoaded: false });
const appSlice: Slice<AppSlice> = () => ({ appInfo: null, connection: "connecting" });
const uiSlice: Slice<UiSlice> = () => ({ view: "chat", activeConversationId: null, settingsOpen: false, notices: [] });

/** One store from slices; actions live in actions.ts as module functions, components only select. */
export const useHearth = create<HearthState>()((...a) => ({
  ...conversationsSlice(...a),
  ...messagesSlice(...a),
  ...modelsSlice(...a),
  ...appSlice(...a),
  ...uiSlice(...a),
}));
