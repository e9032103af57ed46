import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EventName, EventPayload } from "../contract/index.js";
import { ChatEventLog } from "./chat/chat-event-log.js";
import { ChatService } from "./chat/chat-service.js";
import { Escalation } from "./chat/escalation.js";
import { MessageVersions } from "./chat/message-versions.js";
import { AuditForwarder } from "./cloud/audit-forward/audit-forwarder.js";
import { AuditKey } from "./cloud/audit-key.js";
import { AuditLog } from "./cloud/audit-log.js";
import { EgressGate } from "./cloud/egress.js";
import { readPolicy } from "./cloud/policy.js";
import { ProviderStore } from "./cloud/provider-store.js";
import type { Core, CoreConfig } from "./core-types.js";
import { dispatch, type Handlers } from "./dispatch.js";
import { Engine } from "./engine/engine.js";
import { EngineHostClient } from "./engine-host/engine-host-client.js";
import type { EnginePort } from "./engine-host/engine-port.js";
import { InProcessEngine } from "./engine-host/in-process-engine.js";
import { ApiServerService } from "./api-server/api-server-service.js";
import { apiServerHandlers } from "./handlers/api-server-handlers.js";
import { appHandlers } from "./handlers/app-handlers.js";
import { auditHandlers } from "./handlers/audit-handlers.js";
import { chatHandlers } from "./handlers/chat-handlers.js";
import { cloudAccessHandlers } from "./handlers/cloud-access-handlers.js";
import { conversationHandlers } from "./handlers/conversation-handlers.js";
import { databaseHandlers } from "./handlers/database-handlers.js";
import { searchHandlers } from "./handlers/search-handlers.js";
import { downloadHandlers } from "./handlers/download-handlers.js";
import { engineHandlers } from "./handlers/engine-handlers.js";
import { modelHandlers } from "./handlers/model-handlers.js";
import { providerHandlers } from "./handlers/provider-handlers.js";
import { settingsHandlers } from "./handlers/settings-handlers.js";
import { transferHandlers } from "./handlers/transfer-handlers.js";
import { LocalModelCheck } from "./cloud/redact/llm-pass-engine.js";
import { ModelManager } from "./models/model-manager.js";
import { fileKeyCipher, SecretStore } from "./secrets/secret-store.js";
import { SettingsService } from "./settings/settings-service.js";
import { DatabaseGuard } from "./store/database-guard.js";
import { recoveryRefusal } from "./store/recovery-gate.js";
import { ensurePrivateDir } from "./store/private-files.js";
import { Store } from "./store/store.js";

export type { Core, CoreConfig } from "./core-types.js";

export type CoreInternals = Core & {
  /** For tests and the benchmark: the real services behind the contract. */
  readonly engine: EnginePort;
  /** The engine itself when it runs in this process (no `engineHost` in the config), else null. */
  readonly localEngine: Engine | null;
  readonly store: Store;
  readonly models: ModelManager;
  readonly egress: EgressGate;
  readonly handlers: Handlers;
  readonly apiServer: ApiServerService;
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

  // The built app runs llama.cpp in a child process that may die alone; a core built from sources (tests) keeps it here.
  const localEngine = config.engineHost ? null : new Engine({ threads: config.threads, memory: config.memory, logger });
  const engine: EnginePort = localEngine
    ? new InProcessEngine(localEngine)
    : new EngineHostClient({ ...config.engineHost, threads: config.threads, memory: config.memory, logger });
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => emitter.emit(event, payload);
  engine.onLoadedChange = (loaded) => emit("engine", { type: "loaded-model-changed", loaded });

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
  const providers = new ProviderStore(store.db, secrets, () => policy);
  // Every window shows which provider each chat would use: a change elsewhere must reach them all.
  providers.onChange(() => emit("providers", { type: "providers-changed" }));
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

  const escalation = new Escalation({
    store,
    providers,
    settings,
    policy: () => policy,
    cascadeDecision: config.cascadeDecision,
    localCheck: new LocalModelCheck({ engine, enabled: () => settings.localModelCheck(), ...config.localModelCheck }),
  });
  const chatLog = new ChatEventLog();
  const chat = new ChatService({
    store,
    engine,
    escalation,
    providers,
    egress,
    // The one place chat events are numbered (per conversation) and kept for windows that catch up.
    emitChat: (event) => emit("chat", chatLog.stamp(event)),
    onConversationChanged: (conversation) => emit("conversations", { type: "conversation-updated", conversation }),
    cloudStallTimeoutMs: config.cloudStallTimeoutMs,
    logger,
  });
  const versions = new MessageVersions({ store, chat });
  // Off unless switched on in Settings or started with --api-port; the policy can forbid it.
  const apiServer = new ApiServerService({
    engine,
    models: () => models.list().filter((model) => model.available),
    settings: store,
    secrets,
    policy: () => policy,
    launchPort: config.apiServer?.port,
    launchKey: config.apiServer?.key,
    limits: config.apiServer?.limits,
    logger,
  });

  const handlers: Handlers = {
    ...appHandlers({ config, engine }),
    ...modelHandlers({ models, store, chat }),
    ...downloadHandlers({ models }),
    ...engineHandlers({ engine, chat }),
    ...settingsHandlers({ settings }),
    ...conversationHandlers({
      store,
      engine,
      settings,
      providers,
      audit,
      chat,
      chatLog,
      policy: () => policy,
      emitConversations: (event) => emit("conversations", event),
      logger,
    }),
    ...transferHandlers({
      store,
      settings,
      providers,
      audit,
      auditAt: (now) =>
        new AuditLog(store.db, now, auditKeyReading.key ? { key: auditKeyReading.key, dataDir: config.dataDir, created: false } : null),
      dataDir: config.dataDir,
      appVersion: config.appVersion ?? null,
      emitConversations: (event) => emit("conversations", event),
      emitImports: (event) => emit("imports", event),
    }),
    ...chatHandlers({ chat, versions }),
    ...providerHandlers({ providers, egress }),
    ...cloudAccessHandlers({ store, providers, policy: () => policy }),
    ...auditHandlers({ audit, auditKey, auditKeyReading, forwarder, dataDir: config.dataDir }),
    ...databaseHandlers(database, store, () => emit("models", { type: "models-changed" })),
    ...searchHandlers({ store }),
    ...apiServerHandlers({ apiServer }),
  };

  // Downloads left unfinished when the app was last quit or crashed go on from their partial files.
  void models.downloads.resumeInterrupted().catch((error: unknown) =>
    logger?.error("could not resume downloads", { error: error instanceof Error ? error.message : String(error) }),
  );

  await apiServer.apply();

  let disposed = false;
  return {
    engine,
    localEngine,
    apiServer,
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
      await apiServer.dispose();
      await chat.stopAll();
      await forwarder.stop();
      await engine.dispose();
      store.close();
      emitter.removeAllListeners();
    },
  };
}
