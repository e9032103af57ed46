import type { EventName, EventPayload, WireResult } from "../contract/index.js";
import type { ApiServerLimits } from "./api-server/api-server.js";
import type { AuditForwarderOptions } from "./cloud/audit-forward/audit-forwarder.js";
import type { DownloadManagerOptions } from "./downloads/download-manager.js";
import type { EngineHostOptions } from "./engine-host/engine-host-client.js";
import type { MachineResources } from "./models/fit.js";
import type { SpawnChild } from "./models/gguf-probe.js";
import type { CascadeDecision } from "./router/cascade.js";
import type { SecretCipher } from "./secrets/secret-store.js";
import type { LocalModelCheckOptions } from "./cloud/redact/llm-pass-engine.js";

export type Logger = {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};

export type CoreConfig = {
  /** Where the database (and later downloads) live: Electron's userData, or --data-dir in browser mode. */
  dataDir: string;
  shell: "electron" | "browser";
  appVersion?: string;
  /** CPU threads for inference; defaults to the physical core count. */
  threads?: number;
  /** Native file dialog, provided by the Electron shell only. */
  pickModelFile?: () => Promise<string | null>;
  /** Native file dialog for a conversations file to import (Electron shell only). */
  pickImportFile?: () => Promise<string | null>;
  /** Opens an already-checked http(s) URL in the system browser; absent in browser mode (the page opens it). */
  openExternal?: (url: string) => Promise<void>;
  /** Overrides for what the machine has, so tests can simulate a small machine against the real estimates. */
  memory?: { totalRamBytes?: number; freeRamBytes?: number };
  /** Simulated machine for "will it fit" badges (tests). */
  machine?: Partial<MachineResources>;
  /** Hugging Face endpoint used until the user saves one in Settings (e.g. an organisation's mirror). */
  huggingFaceEndpoint?: string;
  /** How secrets are sealed: Electron passes the OS keychain (safeStorage); browser mode uses a key file. */
  secretCipher?: SecretCipher;
  /** Folder with catalog.json and cards/ (defaults to the app's own models/ folder). */
  catalogDir?: string;
  /** Free-disk override, to simulate a full disk in tests. */
  freeDiskBytes?: DownloadManagerOptions["freeDiskBytes"];
  /** Retry and stall timing of downloads (tests shorten them). */
  downloadTuning?: Pick<DownloadManagerOptions, "retry" | "stallTimeoutMs">;
  /** Organisation policy file; default: the documented per-OS location or HEARTH_POLICY_FILE. */
  policyFile?: string | null;
  /** A cloud answer with no byte for this long fails over to the local model (default 30 s). */
  cloudStallTimeoutMs?: number;
  /** Replaces the cascade's rule for "the local answer looks unsure" (tests drive both outcomes with it). */
  cascadeDecision?: CascadeDecision;
  /** The second redaction pass's time budget, whether models under 1B may run it, a narrower grammar (tests). */
  localModelCheck?: Pick<LocalModelCheckOptions, "timeoutMs" | "allowAnyModel" | "schema">;
  /** Retry and timeout of audit forwarding to the policy's collector (tests shorten them). */
  auditForwardTuning?: Pick<AuditForwarderOptions, "retry" | "timeoutMs" | "idlePollMs">;
  /** The network fetch the egress gate uses (tests wrap it to count requests). */
  fetch?: typeof fetch;
  /** The local OpenAI-compatible API server for this launch (--api-port, --api-key; 0: any free port, tests). */
  apiServer?: { port?: number | null; key?: string | null; limits?: Partial<ApiServerLimits> };
  /** Starts the child process that parses untrusted GGUF headers; Electron passes utilityProcess (default: fork). */
  spawnChild?: SpawnChild;
  /**
   * Runs the engine (llama.cpp) in a child process: the built app (serve.js, main.js) passes how to start it.
   * Absent: the engine runs in this process (tests that build the core from its TypeScript sources).
   */
  engineHost?: Pick<EngineHostOptions, "spawn" | "script" | "gpu" | "restart" | "maxHeapMb">;
  logger?: Logger;
};

export type Core = {
  /** Validates, runs and serializes one contract method; never throws. */
  call(method: string, input: unknown): Promise<WireResult<unknown>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  dispose(): Promise<void>;
};
