import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError, type EventName, type EventPayload } from "../contract/index.js";
import { isSafeExternalUrl } from "../contract/links.js";
import { ChatService } from "./chat/chat-service.js";
import { measureConversation } from "./chat/context/conversation-meter.js";
import { Escalation } from "./chat/escalation.js";
import { MessageVersions } from "./chat/message-versions.js";
import { AuditForwarder } from "./cloud/audit-forward/audit-forwarder.js";
import { deleteAndErase } from "./cloud/audit-erase.js";
import { AuditKey } from "./cloud/audit-key.js";
import { AuditLog } from "./cloud/audit-log.js";
import { verifyAuditLog } from "./cloud/audit-verification.js";
import { testProviderConnection } from "./cloud/cloud-chat.js";
import { EgressGate } from "./cloud/egress.js";
import { readPolicy } from "./cloud/policy.js";
import { ProviderStore } from "./cloud/provider-store.js";
import type { Core, CoreConfig } from "./core-types.js";
import { dispatch, type Handlers } from "./dispatch.js";
import { Engine } from "./engine/engine.js";
import { LocalModelCheck } from "./cloud/redact/llm-pass-engine.js";
import { ModelManager } from "./models/model-manager.js";
import { fileKeyCipher, SecretStore } from "./secrets/secret-store.js";
import { SettingsService } from "./settings/settings-service.js";
import { DatabaseGuard } from "./store/database-guard.js";
import { recoveryRefusal } from "./store/recovery-gate.js";
import { databaseHandlers } from "./store/database-handlers.js";
import { ensurePrivateDir } from "./store/private-files.js";
import { Store } from "./store/store.js";

export type { Core, CoreConfig } from "./core-types.js";

export type CoreInternals = Core & {
  /** For tests and the benchmark: the real services behind the contract. */
  readonly engine: Engine;
  readonly store: Store;
  readonly models: ModelManager;
  readonly egress: EgressGate;
  readonly handlers: Handlers;
};

/** The app's own models/ folder (catalog and cards), found upwards from this file in source and built layouts. */
function defaultCatalogDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "models");
    if (fs.existsSync(path.join(candidate, "catalog.json"))) return candidate;
    dir = path.dirname(dir);
  }
  return path.join(process.cwd(), "models");
}

/** Wires the services; the only place that knows them all. */
export async function createCore(config: CoreConfig): Promise<CoreInternals> {
  // Owner-only: the folder holds every conversation and the exact payloads sent to providers.
  ensurePrivateDir(config.dataDir);
  const logger = config.logger;
  const policyReading = readPolicy({ file: config.policyFile });
  const policy = policyReading.policy;
  const auditCollector = policyReading.auditCollector;
  const secretCipher = config.secretCipher ?? fileKeyCipher(path.join(config.dataDir, "secrets.key"));
  // Checks the file, backs it up, or moves a damaged one aside and starts in recovery (see getDatabaseState).
  const database = new DatabaseGuard({
    dataDir: config.dataDir,
    cipher: secretCipher,
    requireEncryption: () => policy.requireDatabaseEncryption,
    logger,
  });
  const store = new Store(database.db);
  const interrupted = store.markInterrupted();
  if (interrupted > 0) logger?.warn("answers interrupted by the last shutdown", { count: interrupted });

  const engine = new Engine({ threads: config.threads, memory: config.memory, logger });
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => emitter.emit(event, payload);

  const secrets = new SecretStore(
    path.join(config.dataDir, "secrets.json"),
    secretCipher,
  );
  if (secrets.warning) logger?.warn("secret storage is weak", { protection: secrets.protection });
  const modelsDir = path.join(config.dataDir, "models");
  if (policy.source) logger?.info("organisation policy in force", { source: policy.source });
  if (policyReading.problem) logger?.error("organisation policy refused", { problem: policyReading.problem });
  const settings = new SettingsService(store, secrets, () => policy, {
    huggingFaceEndpoint: config.huggingFaceEndpoint,
    modelsDir,
  });
  const providers = new ProviderStore(store.db, secrets);
  // The audit log's signing key, sealed like the database key; without it links keep only their hashes.
  const auditKey = AuditKey.inDataDir(config.dataDir, secretCipher);
  const auditKeyReading = auditKey.loadOrCreate();
  if (!auditKeyReading.key) logger?.warn("audit log signing is off", { reason: auditKeyReading.reason });
  const audit = new AuditLog(
    store.db,
    Date.now,
    auditKeyReading.key ? { key: auditKeyReading.key, dataDir: config.dataDir, created: auditKeyReading.created } : null,
  );
  // Entries still open were left by a Hearth that was killed mid-request; they keep their bytes and say so.
  audit.closeInterrupted();
  const egress = new EgressGate({
    policy: () => policy,
    audit,
    onAudit: (entry) => emit("audit", { type: "audit-appended", entry }),
    fetch: config.fetch,
    auditCollector: () => auditCollector,
    logger,
  });
  // A copy of every audit record goes to the organisation's collector, if the policy names one.
  const forwarder = new AuditForwarder({
    db: store.db,
    collector: auditCollector,
    network: (run) => egress.collectorNetwork(auditCollector!, run),
    logger,
    ...config.auditForwardTuning,
  });
  audit.onAppend = () => forwarder.wake();
  forwarder.start();
  const models = new ModelManager({
    store,
    engine,
    modelsDir,
    stagingDir: path.join(config.dataDir, "downloads"),
    catalogDir: config.catalogDir ?? defaultCatalogDir(),
    endpoint: () => settings.huggingFaceEndpoint(),
    token: () => settings.huggingFaceToken(),
    onModelsChanged: () => emit("models", { type: "models-changed" }),
    onDownloadUpdate: (download) => emit("downloads", { type: "download-updated", download }),
    egress,
    machine: config.machine,
    freeDiskBytes: config.freeDiskBytes,
    downloadTuning: config.downloadTuning,
    spawnChild: config.spawnChild,
    logger,
  });

  const requireConversation = (id: string) => store.requireConversation(id);

  const handlers: Handlers = {
    async getAppInfo() {
      const { gpu } = await engine.describe();
      return {
        version: config.appVersion ?? "0.0.0",
        shell: config.shell,
        dataDir: config.dataDir,
        canPickFiles: config.pickModelFile != null,
        gpu,
        totalRamBytes: config.memory?.totalRamBytes ?? os.totalmem(),
      };
    },

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

    async startDownload(input) {
      return models.startDownload(input);
    },

    async pauseDownload({ downloadId }) {
      return models.downloads.pause(downloadId);
    },

    async resumeDownload({ downloadId }) {
      return models.downloads.resume(downloadId);
    },

    async cancelDownload({ downloadId }) {
      return models.downloads.cancel(downloadId);
    },

    async listDownloads() {
      return models.downloads.list();
    },

    async getSettings() {
      return settings.get();
    },

    async updateSettings(input) {
      return settings.update(input);
    },

    async pickModelFile() {
      return { path: config.pickModelFile ? await config.pickModelFile() : null };
    },

    async listConversations() {
      return store.listConversations();
    },

    async createConversation({ modelId }) {
      let chosen = modelId ?? null;
      if (chosen && !store.getModel(chosen)) throw new AppError("MODEL_NOT_FOUND", "That model is not imported.");
      // A new chat starts with the most recently used model, so a user with one model never has to pick it.
      chosen ??= store.listConversations().find((c) => c.settings.modelId)?.settings.modelId ?? store.listModels().at(-1)?.id ?? null;
      const conversation = store.createConversation(chosen, settings.defaultPrivacyMode());
      emit("conversations", { type: "conversation-updated", conversation });
      return conversation;
    },

    async getConversation({ conversationId }) {
      const conversation = requireConversation(conversationId);
      return { conversation, messages: store.listActiveBranch(conversationId) };
    },

    async getContextMeter({ conversationId }) {
      return { meter: await measureConversation({ store, engine, logger }, conversationId) };
    },

    async renameConversation({ conversationId, title }) {
      requireConversation(conversationId);
      store.renameConversation(conversationId, title);
      const conversation = requireConversation(conversationId);
      emit("conversations", { type: "conversation-updated", conversation });
      return conversation;
    },

    async updateConversationSettings({ conversationId, settings: changes }) {
      requireConversation(conversationId);
      if (changes.modelId && !store.getModel(changes.modelId)) {
        throw new AppError("MODEL_NOT_FOUND", "That model is not imported.");
      }
      if (changes.privacyMode && policy.lockedPrivacyMode && changes.privacyMode !== policy.lockedPrivacyMode) {
        throw new AppError("POLICY_LOCKED", `Your organisation's policy keeps every conversation in "${policy.lockedPrivacyMode}" mode.`);
      }
      if (changes.cloudProviderId && !providers.get(changes.cloudProviderId)) {
        throw new AppError("NO_PROVIDER", "That cloud provider does not exist any more.");
      }
      store.updateConversationSettings(conversationId, changes);
      const conversation = requireConversation(conversationId);
      emit("conversations", { type: "conversation-updated", conversation });
      return conversation;
    },

    async deleteConversation({ conversationId, eraseAudit }) {
      requireConversation(conversationId);
      await chat.stopAndWait(conversationId);
      const remove = () => store.deleteConversation(conversationId);
      if (eraseAudit) deleteAndErase(audit, conversationId, remove);
      else remove();
      emit("conversations", { type: "conversation-deleted", conversationId });
      return { ok: true as const };
    },

    async sendMessage({ conversationId, text, escalate }) {
      return chat.send(conversationId, text, escalate ?? false);
    },

    async regenerateMessage({ conversationId, messageId, target }) {
      return chat.regenerate(conversationId, messageId, target);
    },

    async editMessage({ conversationId, messageId, content }) {
      return chat.edit(conversationId, messageId, content);
    },

    async selectVersion({ conversationId, messageId }) {
      return { messages: versions.selectVersion(conversationId, messageId) };
    },

    async deleteMessage({ conversationId, messageId, dryRun }) {
      return versions.deleteMessage(conversationId, messageId, dryRun ?? false);
    },

    async reviseEscalation({ conversationId, proposalId, payload }) {
      return chat.revise(conversationId, proposalId, payload);
    },

    async resolveEscalation({ conversationId, proposalId, action }) {
      return chat.resolve(conversationId, proposalId, action);
    },

    async getPendingEscalation({ conversationId }) {
      return { proposal: chat.pending(conversationId) };
    },

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

    async listAudit({ conversationId, limit }) {
      return audit.list({ conversationId, limit });
    },

    async exportAudit({ format, conversationId }) {
      return audit.export(format, conversationId);
    },

    async verifyAudit() {
      return verifyAuditLog(audit.db, { dataDir: config.dataDir, keyReading: auditKey.exists() ? auditKeyReading : null });
    },

    async auditForwardingStatus() {
      return forwarder.status();
    },

    async stopGeneration({ conversationId }) {
      chat.stop(conversationId);
      return { ok: true as const };
    },

    async openExternal({ url }) {
      if (!isSafeExternalUrl(url)) throw new AppError("INVALID_INPUT", "Only web links (http or https) can be opened.");
      // In browser mode the page opens the checked link itself; the desktop shell hands it to the OS.
      await config.openExternal?.(url);
      return { ok: true as const };
    },

    ...databaseHandlers(database, store, () => emit("models", { type: "models-changed" })),
  };

  const escalation = new Escalation({
    store,
    providers,
    settings,
    policy: () => policy,
    cascadeDecision: config.cascadeDecision,
    localCheck: new LocalModelCheck({ engine, enabled: () => settings.localModelCheck(), ...config.localModelCheck }),
  });
  const chat = new ChatService({
    store,
    engine,
    escalation,
    providers,
    egress,
    emitChat: (event) => emit("chat", event),
    onConversationChanged: (conversation) => emit("conversations", { type: "conversation-updated", conversation }),
    cloudStallTimeoutMs: config.cloudStallTimeoutMs,
    logger,
  });
  const versions = new MessageVersions({ store, chat });

  // Downloads left unfinished when the app was last quit or crashed go on from their partial files.
  void models.downloads.resumeInterrupted().catch((error: unknown) =>
    logger?.error("could not resume downloads", { error: error instanceof Error ? error.message : String(error) }),
  );

  let disposed = false;
  return {
    engine,
    store,
    models,
    egress,
    handlers,
    call: async (method, input) => {
      const refusal = recoveryRefusal(method, database.inRecovery);
      if (refusal) return { ok: false, error: refusal.toJSON() };
      return dispatch(handlers, method, input, (error, name) =>
        logger?.error("request failed", { method: name, error: error instanceof Error ? error.message : String(error) }),
      );
    },
    subscribe(event, listener) {
      const wrapped = listener as (payload: unknown) => void;
      emitter.on(event, wrapped);
      return () => emitter.off(event, wrapped);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await models.downloads.dispose();
      await chat.stopAll();
      await forwarder.stop();
      await engine.dispose();
      store.close();
      emitter.removeAllListeners();
    },
  };
}
