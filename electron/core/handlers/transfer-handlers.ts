import { randomUUID } from "node:crypto";
import { AppError, type EventPayload } from "../../contract/index.js";
import type { AuditLog } from "../cloud/audit-log.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import type { Handlers } from "../dispatch.js";
import type { SettingsService } from "../settings/settings-service.js";
import { insertConversationTrees } from "../store/conversation-trees.js";
import type { Store } from "../store/store.js";
import { looksLikeChatGpt, readChatGptFile } from "../transfer/chatgpt-import.js";
import { exportConversationFile } from "../transfer/conversation-export.js";
import { buildDataArchive, readDataArchive, restoreDataArchive, writeDataArchive } from "../transfer/data-archive.js";
import { parseImportText, planImport, readConversationFile } from "../transfer/conversation-import.js";
import { importConversationsFromPath } from "../transfer/path-import.js";

type TransferHandlers = Pick<Handlers, "exportConversation" | "importConversation" | "importConversationPath" | "exportAllData" | "importAllData">;

/**
 * The contract's export and import methods: a conversation as Markdown or JSON, JSON (Hearth or ChatGPT) back, and
 * the whole data folder as one archive restored into a new one.
 */
export function transferHandlers(deps: {
  store: Store;
  settings: Pick<SettingsService, "defaultPrivacyMode">;
  providers: Pick<ProviderStore, "get" | "list" | "save">;
  audit: Pick<AuditLog, "list">;
  /** An audit log on this database whose clock the restore sets (each entry keeps its time), signed like the core's. */
  auditAt: (now: () => number) => Pick<AuditLog, "begin" | "finish" | "recordDeclined">;
  dataDir: string;
  appVersion: string | null;
  emitConversations: (event: EventPayload<"conversations">) => void;
  emitImports?: (event: EventPayload<"imports">) => void;
  now?: () => number;
}): TransferHandlers {
  const { store, settings, providers, audit, auditAt, dataDir, appVersion, emitConversations } = deps;
  const now = () => (deps.now ?? Date.now)();
  return {
    async exportConversation({ conversationId, format }) {
      return exportConversationFile(store, conversationId, format, { appVersion, now: now() });
    },

    async importConversation({ json }) {
      const value = parseImportText(json);
      const { files, skipped } = looksLikeChatGpt(value) ? readChatGptFile(value, now()) : { files: [readConversationFile(value)], skipped: 0 };
      if (files.length === 0) throw new AppError("INVALID_INPUT", "No conversation in this file has any text to import.");
      const context = {
        newId: randomUUID,
        modelExists: (id: string) => store.getModel(id) !== null,
        providerExists: (id: string) => providers.get(id) !== null,
        privacyMode: settings.defaultPrivacyMode(),
      };
      // Every file is checked before anything is written, and all are written in one transaction.
      const trees = files.map((file) => planImport(file, context));
      insertConversationTrees(store.db, trees);
      const conversations = trees.map((tree) => store.requireConversation(tree.id));
      for (const conversation of conversations) emitConversations({ type: "conversation-updated", conversation });
      return { conversations, messageCount: trees.reduce((sum, tree) => sum + tree.messages.length, 0), skipped };
    },

    async importConversationPath({ path }) {
      const context = {
        newId: randomUUID,
        modelExists: (id: string) => store.getModel(id) !== null,
        providerExists: (id: string) => providers.get(id) !== null,
        privacyMode: settings.defaultPrivacyMode(),
      };
      let imported = 0;
      try {
        const result = await importConversationsFromPath(path, {
          db: store.db,
          context,
          now: now(),
          onProgress: (progress) => deps.emitImports?.({ type: "import-progress", progress }),
        });
        imported = result.imported;
        return result;
      } finally {
        // One event for the lot (an export may hold thousands): windows list the conversations again. Sent on a
        // failure too, since a file that broke off keeps what was read before the break.
        emitConversations({ type: "conversations-added", count: imported });
      }
    },

    async exportAllData() {
      return writeDataArchive(buildDataArchive({ store, providers, audit, appVersion, now: now() }), dataDir);
    },

    async importAllData({ path }) {
      const counts = restoreDataArchive(readDataArchive(path), { store, providers, auditAt });
      for (const conversation of store.listConversations()) emitConversations({ type: "conversation-updated", conversation });
      return counts;
    },
  };
}
