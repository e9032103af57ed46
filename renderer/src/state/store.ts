import { create, type StateCreator } from "zustand";
import type { AppInfo, AppSettings, CatalogEntry, CloudAccess, Conversation, LoadedModel, ModelInfo, Provider } from "../api/contract.js";
import type { ConnectionStatus } from "../api/connection.js";
import { emptyAuditState, type AuditState } from "./audit-state.js";
import { emptyDownloadsState, type DownloadsState } from "./downloads-state.js";
import { noPendingProposals, type PendingProposals } from "./escalation-state.js";
import { emptyHubState, type HubState } from "./hub-state.js";
import { emptyMessagesState, type MessagesState } from "./messages-state.js";
import { emptyFindState, emptySearchState, type SearchSlice } from "./search-state.js";

export type ConversationsSlice = {
  conversations: Record<string, Conversation>;
  conversationsLoaded: boolean;
  /** Older conversations not fetched yet (the list loads a page at a time); "loading" while they come. */
  conversationsMore: "more" | "loading" | null;
};

export type MessagesSlice = {
  messages: MessagesState;
  /** Conversations whose messages were fetched from the core. */
  loadedConversations: Record<string, true>;
  /** Conversations with older messages not fetched yet (long chats load a page at a time); "loading" while they come. */
  olderMessages: Record<string, "more" | "loading">;
};

export type ModelsSlice = {
  models: ModelInfo[];
  modelsLoaded: boolean;
  /** The model in memory now (engine events keep it current), for the model indicator. */
  loadedModel: LoadedModel | null;
  /** Curated catalog; null until the Catalog tab is first opened. */
  catalog: CatalogEntry[] | null;
};

export type DownloadsSlice = {
  downloads: DownloadsState;
};

export type HubSlice = {
  /** Hugging Face search, the repository being looked at, and fit verdicts per file. */
  hub: HubState;
};

export type CloudSlice = {
  /** Ask mode: what would be sent, waiting for Send / Edit / Keep local, per conversation. */
  pendingProposals: PendingProposals;
  providers: Provider[];
  providersLoaded: boolean;
  /** The core's decision about each open conversation and the cloud (mode, provider, what may be offered). */
  cloudAccess: Record<string, CloudAccess>;
  /** Every egress the page has seen; the log itself lives in the core and cannot be edited. */
  audit: AuditState;
};

export type AppSlice = {
  appInfo: AppInfo | null;
  connection: ConnectionStatus;
  /** App-wide settings (Hugging Face endpoint, token presence); null until loaded. */
  appSettings: AppSettings | null;
};

export type Notice = { id: number; code: string; message: string; kind: "error" | "info" };
export type View = "chat" | "models" | "settings" | "audit";
export type ModelsTab = "installed" | "catalog" | "search";

export type UiSlice = {
  view: View;
  modelsTab: ModelsTab;
  /** A model to scroll to and open in My models (after a download, from a link). */
  focusedModelId: string | null;
  activeConversationId: string | null;
  settingsOpen: boolean;
  /** The audit view shows this conversation's entries, or all when null. */
  auditConversationId: string | null;
  /** Errors and confirmations not tied to a form; shown in one region until dismissed. */
  notices: Notice[];
  /** The keyboard shortcuts sheet (Ctrl/Cmd+/) is open. */
  shortcutsOpen: boolean;
  /** A user message to open in its inline editor (↑ in an empty composer); the message clears it once open. */
  editRequestId: string | null;
  /**
   * Texts of user messages open in their inline editor, by message id: kept here, not in the row, because the
   * message list only mounts the rows near the screen and a row scrolled away (or re-made) must not lose an edit.
   */
  editDrafts: Readonly<Record<string, string>>;
};

export type HearthState = ConversationsSlice & MessagesSlice & ModelsSlice & DownloadsSlice & HubSlice & CloudSlice & AppSlice & UiSlice & SearchSlice;

type Slice<T> = StateCreator<HearthState, [], [], T>;

const conversationsSlice: Slice<ConversationsSlice> = () => ({ conversations: {}, conversationsLoaded: false, conversationsMore: null });
const messagesSlice: Slice<MessagesSlice> = () => ({ messages: emptyMessagesState, loadedConversations: {}, olderMessages: {} });
const modelsSlice: Slice<ModelsSlice> = () => ({ models: [], modelsLoaded: false, catalog: null, loadedModel: null });
const downloadsSlice: Slice<DownloadsSlice> = () => ({ downloads: emptyDownloadsState });
const hubSlice: Slice<HubSlice> = () => ({ hub: emptyHubState });
const cloudSlice: Slice<CloudSlice> = () => ({
  pendingProposals: noPendingProposals,
  providers: [],
  providersLoaded: false,
  cloudAccess: {},
  audit: emptyAuditState,
});
const appSlice: Slice<AppSlice> = () => ({ appInfo: null, connection: "connecting", appSettings: null });
const searchSlice: Slice<SearchSlice> = () => ({ search: emptySearchState, find: emptyFindState, revealMessageId: null });
const uiSlice: Slice<UiSlice> = () => ({
  view: "chat",
  modelsTab: "installed",
  focusedModelId: null,
  activeConversationId: null,
  settingsOpen: false,
  auditConversationId: null,
  notices: [],
  shortcutsOpen: false,
  editRequestId: null,
  editDrafts: {},
});

/** One store from slices; actions live in *-actions.ts as module functions, components only select. */
export const useHearth = create<HearthState>()((...a) => ({
  ...conversationsSlice(...a),
  ...messagesSlice(...a),
  ...modelsSlice(...a),
  ...downloadsSlice(...a),
  ...hubSlice(...a),
  ...cloudSlice(...a),
  ...appSlice(...a),
  ...uiSlice(...a),
  ...searchSlice(...a),
}));
