import {
  AppError,
  type ChatEvent,
  type Conversation,
  type ConversationEvent,
  type ConversationSettings,
  type ModelInfo,
} from "../api/contract.js";
import { getApi, getConnection } from "../api/get-api.js";
import { applyChatEvent } from "./apply-chat-event.js";
import { ChatFollower } from "./chat-follower.js";
import { handleAuditEvent, loadAudit, refreshAudit } from "./audit-actions.js";
import { followsCloudAccess, forgetCloudAccess, loadCloudAccess, refreshCloudAccess } from "./cloud-access-actions.js";
import { loadPendingEscalation, showProposal } from "./escalation-actions.js";
import { applyEscalationEvent } from "./escalation-state.js";
import { loadProviders } from "./provider-actions.js";
import { removeConversationMessages, setConversationMessages, upsertMessage } from "./messages-state.js";
import { reloadLimit, withOlder } from "./older-messages-actions.js";
import { loadConversations } from "./conversation-pages.js";
import { handleDownloadEvent, loadDownloads } from "./download-actions.js";
import { handleEngineEvent, loadLoadedModel } from "./engine-actions.js";
import { loadAppSettings } from "./settings-actions.js";
import { loadModels } from "./model-actions.js";
import { reportError, reportInfo, toAppError } from "./notices.js";
import { formatBytes } from "../ui/format.js";
import { selectConversationIds } from "./selectors.js";
import { useHearth, type ModelsTab, type View } from "./store.js";

export { dismissNotice, reportError, reportInfo, toAppError } from "./notices.js";

const set = useHearth.setState;
const get = useHearth.getState;

function upsertConversation(conversation: Conversation): void {
  set((s) => ({ conversations: { ...s.conversations, [conversation.id]: conversation } }));
}

/** Answers first seen mid-stream (e.g. after a reload): deltas before we joined are missing, so refetch at the end. */
const catchUpOnFinish = new Set<string>();

function applyToStore(event: ChatEvent): void {
  set((s) => {
    const messages = applyChatEvent(s.messages, event);
    const pendingProposals = applyEscalationEvent(s.pendingProposals, event);
    if (messages === s.messages && pendingProposals === s.pendingProposals) return s;
    return { messages, pendingProposals };
  });
  if (event.type === "message-finish" && catchUpOnFinish.delete(event.messageId)) {
    loadMessages(event.conversationId).catch(reportError);
  }
}

/** Each open conversation's events once and in order, and after the link drops, what it missed (chat-follower.ts). */
const follower = new ChatFollower({
  catchUp: (conversationId, afterSeq) => getApi().catchUpChat({ conversationId, afterSeq }),
  apply: applyToStore,
  reload: loadMessages,
  onError: reportError,
});

/** A conversation the page follows catches up on what it missed; another is loaded. */
function refreshMessages(conversationId: string): Promise<void> {
  return follower.follows(conversationId) ? follower.catchUp(conversationId) : loadMessages(conversationId);
}

function handleConversationEvent(event: ConversationEvent): void {
  switch (event.type) {
    case "conversation-updated":
      upsertConversation(event.conversation);
      // Its mode or provider may have changed: what the UI may offer is the core's to say again.
      if (followsCloudAccess(event.conversation.id)) loadCloudAccess(event.conversation.id).catch(reportError);
      return;
    case "conversation-deleted":
      forgetConversation(event.conversationId);
      return;
    case "conversations-added":
      // An import of many at once: the list is fetched again rather than sent one by one.
      loadConversations().catch(reportError);
      return;
    default:
      event satisfies never;
  }
}

function forgetConversation(conversationId: string): void {
  follower.forget(conversationId);
  set((s) => {
    const conversations = { ...s.conversations };
    delete conversations[conversationId];
    const loadedConversations = { ...s.loadedConversations };
    delete loadedConversations[conversationId];
    const pendingProposals = { ...s.pendingProposals };
    delete pendingProposals[conversationId];
    return {
      conversations,
      loadedConversations,
      pendingProposals,
      cloudAccess: forgetCloudAccess(s, conversationId),
      messages: removeConversationMessages(s.messages, conversationId),
      activeConversationId: s.activeConversationId === conversationId ? null : s.activeConversationId,
    };
  });
}

async function loadMessages(conversationId: string): Promise<void> {
  // An Ask-mode proposal survives a reload: it is restored beside the messages.
  const pending = loadPendingEscalation(conversationId).catch(reportError);
  const access = loadCloudAccess(conversationId).catch(reportError);
  // The latest page only: a long chat opens at once, older pages come as the user scrolls up.
  const { conversation, messages, hasOlder, lastSeq } = await getApi().getConversation({ conversationId, limit: reloadLimit(conversationId) });
  upsertConversation(conversation);
  for (const message of messages) {
    if (message.status === "streaming" && get().messages.byId[message.id]?.status !== "streaming") {
      catchUpOnFinish.add(message.id);
    }
  }
  set((s) => ({
    // The core's copy is exact up to `lastSeq` (streaming answers included): the follower applies what follows.
    messages: setConversationMessages(s.messages, conversationId, messages, { keepStreaming: false }),
    loadedConversations: { ...s.loadedConversations, [conversationId]: true },
    olderMessages: withOlder(s.olderMessages, conversationId, hasOlder === true),
  }));
  follower.opened(conversationId, lastSeq);
  await Promise.all([pending, access]);
}

/** Fetches everything the page shows; used at start and after the link to the core comes back. */
async function sync(): Promise<void> {
  try {
    const [appInfo] = await Promise.all([getApi().getAppInfo({}), loadModels(), loadConversations()]);
    set({ appInfo });
    // The model manager's state is not needed to chat: load it alongside, and let its failures stand alone.
    loadDownloads().catch(reportError);
    loadAppSettings().catch(reportError);
    loadProviders().catch(reportError);
    // The core may have restarted with another policy or other providers.
    refreshCloudAccess().catch(reportError);
    refreshAudit().catch(reportError);
    const state = get();
    const active = state.activeConversationId;
    if (active && state.conversations[active]) await refreshMessages(active);
    else {
      const newest = selectConversationIds(state)[0];
      set({ activeConversationId: newest ?? null });
      if (newest) await loadMessages(newest);
    }
  } catch (error) {
    reportError(error);
  }
}

let started = false;
/** Wires events and loads the first data. Idempotent. */
export function startApp(): void {
  if (started) return;
  started = true;
  const api = getApi();
  api.subscribe.chat((event) => follower.receive(event));
  api.subscribe.conversations(handleConversationEvent);
  api.subscribe.downloads(handleDownloadEvent);
  api.subscribe.audit(handleAuditEvent);
  api.subscribe.engine(handleEngineEvent);
  void loadLoadedModel().catch(reportError);
  // A download finished, or a model was imported or removed elsewhere: the list (and usedBy) changed.
  api.subscribe.models(() => void loadModels().catch(reportError));
  // A provider was saved or removed (here or in another window): the list and every open chat's cloud access change.
  api.subscribe.providers(() => {
    loadProviders().catch(reportError);
    refreshCloudAccess().catch(reportError);
  });
  const connection = getConnection();
  let wasDisconnected = false;
  set({ connection: connection.status() });
  connection.subscribe((status) => {
    set({ connection: status });
    if (status === "disconnected") wasDisconnected = true;
    if (status === "connected" && wasDisconnected) {
      wasDisconnected = false;
      // The core may have restarted: answers cut mid-stream are now "interrupted" there.
      void sync();
    }
  });
  void sync();
}

export function setView(view: View): void {
  set({ view });
}

export function openModels(tab?: ModelsTab): void {
  set((s) => ({ view: "models", modelsTab: tab ?? s.modelsTab }));
}

/** Shows one model in My models, scrolled to with its card open. */
export function focusModel(modelId: string): void {
  set({ view: "models", modelsTab: "installed", focusedModelId: modelId });
}

export function toggleSettings(open?: boolean): void {
  set((s) => ({ settingsOpen: open ?? !s.settingsOpen }));
}

export async function openConversation(conversationId: string): Promise<void> {
  set({ activeConversationId: conversationId, view: "chat" });
  try {
    await loadMessages(conversationId);
  } catch (error) {
    reportError(error);
  }
}

/** The model a new chat starts with: the current chat's, else the first one whose file is there. */
function defaultModelId(): string | null {
  const state = get();
  const current = state.activeConversationId ? state.conversations[state.activeConversationId] : undefined;
  const available = state.models.filter((m) => m.available);
  const currentModel = current?.settings.modelId;
  if (currentModel && available.some((m) => m.id === currentModel)) return currentModel;
  return available[0]?.id ?? null;
}

/** Opens a new chat, with the given model or the default one. */
export async function newChat(modelId?: string): Promise<Conversation | null> {
  try {
    const conversation = await getApi().createConversation({ modelId: modelId ?? defaultModelId() });
    upsertConversation(conversation);
    loadCloudAccess(conversation.id).catch(reportError);
    set((s) => ({
      activeConversationId: conversation.id,
      view: "chat",
      messages: setConversationMessages(s.messages, conversation.id, []),
      loadedConversations: { ...s.loadedConversations, [conversation.id]: true },
    }));
    return conversation;
  } catch (error) {
    reportError(error);
    return null;
  }
}

/**
 * Sends a prompt, creating a chat first when none is open. Resolves true once the core has stored it.
 * `escalate` is the "Ask <cloud>" button: Ask mode answers with a proposal to approve, Auto mode sends.
 */
export async function sendMessage(text: string, options: { escalate?: boolean } = {}): Promise<boolean> {
  const conversationId = get().activeConversationId ?? (await newChat())?.id;
  if (!conversationId) return false;
  try {
    const { userMessage, proposal } = await getApi().sendMessage({
      conversationId,
      text,
      ...(options.escalate ? { escalate: true } : {}),
    });
    set((s) => ({ messages: upsertMessage(s.messages, userMessage) }));
    if (proposal) showProposal(conversationId, proposal);
    return true;
  } catch (error) {
    reportError(error);
    return false;
  }
}

export async function stopGeneration(conversationId: string): Promise<void> {
  try {
    await getApi().stopGeneration({ conversationId });
  } catch (error) {
    reportError(error);
  }
}

/**
 * A new answer beside `messageId` (which stays as another version); `target: "cloud"` is "Retry with <cloud>" after a
 * failover. The core sends the branch it now shows (branch-changed), so nothing is removed here. `contextOverflow`:
 * for this answer only, drop the oldest messages the conversation would otherwise stop and ask about.
 */
export async function regenerate(
  conversationId: string,
  messageId: string,
  target?: "local" | "cloud",
  options: { contextOverflow?: "drop-oldest" } = {},
): Promise<void> {
  try {
    const { proposal } = await getApi().regenerateMessage({ conversationId, messageId, ...(target ? { target } : {}), ...options });
    if (proposal) {
      showProposal(conversationId, proposal);
      // Ask mode: nothing streams until the user answers; show the conversation exactly as the core keeps it.
      await loadMessages(conversationId);
    }
  } catch (error) {
    reportError(error);
  }
}

export async function renameConversation(conversationId: string, title: string): Promise<void> {
  try {
    upsertConversation(await getApi().renameConversation({ conversationId, title }));
  } catch (error) {
    reportError(error);
  }
}

/** Deletes a conversation; with `eraseAudit`, also the payloads its cloud requests left in the audit log. */
export async function deleteConversation(conversationId: string, options: { eraseAudit?: boolean } = {}): Promise<void> {
  try {
    await getApi().deleteConversation({ conversationId, ...(options.eraseAudit ? { eraseAudit: true } : {}) });
    // An open audit view shows the tombstones, not the payloads it loaded before.
    const { view, auditConversationId } = useHearth.getState();
    if (options.eraseAudit && view === "audit") await loadAudit(auditConversationId ?? undefined);
    forgetConversation(conversationId);
  } catch (error) {
    reportError(error);
  }
}

/**
 * Whether the conversation has audit entries (what the delete dialog offers to erase).
 * One indexed query for the newest entry; when it cannot be asked, the offer is shown anyway.
 */
export async function conversationSentToCloud(conversationId: string): Promise<boolean> {
  try {
    // A refusal (outcome "declined") is logged too, but nothing of it left: only entries that sent count.
    const entries = await getApi().listAudit({ conversationId, limit: 1000 });
    return entries.some((e) => e.outcome !== "declined");
  } catch {
    return true;
  }
}

/** Returns the error instead of reporting it, so a form can show it beside its field. */
export async function updateConversationSettings(
  conversationId: string,
  settings: Partial<ConversationSettings>,
): Promise<AppError | null> {
  try {
    upsertConversation(await getApi().updateConversationSettings({ conversationId, settings }));
    return null;
  } catch (error) {
    return toAppError(error);
  }
}

/** `alreadyListed`: the path was imported before, so nothing new was added (the core answers with that model). */
export type ImportResult = { ok: true; model: ModelInfo; alreadyListed: boolean } | { ok: false; error: AppError } | { ok: false; error: null };

export async function importModel(path: string): Promise<ImportResult> {
  try {
    const model = await getApi().importModel({ path });
    const alreadyListed = get().models.some((m) => m.id === model.id);
    set((s) => ({ models: [...s.models.filter((m) => m.id !== model.id), model] }));
    // A chat opened before any model existed gets the new one, so the first prompt just works.
    const active = get().activeConversationId;
    const conversation = active ? get().conversations[active] : undefined;
    if (conversation && conversation.settings.modelId === null) {
      await updateConversationSettings(conversation.id, { modelId: model.id });
    }
    return { ok: true, model, alreadyListed };
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
}

/** Native picker (Electron) then import; `error: null` means the user cancelled. */
export async function pickAndImportModel(): Promise<ImportResult> {
  try {
    const { path } = await getApi().pickModelFile({});
    if (path === null) return { ok: false, error: null };
    return await importModel(path);
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
}

/** Removes a model (and a downloaded model's file); tells how much space that freed. */
export async function removeModel(modelId: string): Promise<void> {
  const model = get().models.find((m) => m.id === modelId);
  try {
    const { freedBytes } = await getApi().removeModel({ modelId });
    set((s) => ({ models: s.models.filter((m) => m.id !== modelId), focusedModelId: s.focusedModelId === modelId ? null : s.focusedModelId }));
    const name = model?.name ?? "The model";
    reportInfo(freedBytes > 0 ? `Deleted ${name} and freed ${formatBytes(freedBytes)}.` : `Removed ${name} from Hearth. Its file is still on disk.`);
    await loadConversations();
  } catch (error) {
    reportError(error);
  }
}

/** Opens an http(s) link outside the app window, never in it. The core checks it either way. */
export async function openExternalLink(url: string): Promise<void> {
  try {
    await getApi().openExternal({ url });
    // Browser mode has no shell to hand the link to: a new, detached tab is the equivalent.
    if (get().appInfo?.shell === "browser") window.open(url, "_blank", "noopener,noreferrer");
  } catch (error) {
    reportError(error);
  }
}
