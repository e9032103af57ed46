import fs from "node:fs";
import path from "node:path";
import type { Llama } from "node-llama-cpp";
import { AppError, type CatalogEntry, type Download, type Fit, type ModelInfo } from "../../contract/index.js";
import type { EgressGate } from "../cloud/egress.js";
import type { Logger } from "../core-types.js";
import { DownloadManager, type CompletedFile, type DownloadManagerOptions } from "../downloads/download-manager.js";
import type { EnginePort } from "../engine-host/engine-port.js";
import type { Store, StoredModel } from "../store/store.js";
import { loadCatalog } from "./catalog.js";
import { estimateFit, machineResources, readRemoteGgufInfo, type MachineResources } from "./fit.js";
import { HuggingFaceClient } from "./hf-client.js";
import type { SpawnChild } from "./gguf-probe.js";
import { inspectGguf, type GgufSummary } from "./inspect-gguf.js";
import { alreadyInstalledError, InstalledContent } from "./installed-content.js";
import { cardForDownload } from "./model-card.js";
import { resolveUserPath } from "./open-model-file.js";
import { splitParts } from "./split-parts.js";

export type ModelManagerOptions = {
  store: Store;
  engine: EnginePort;
  modelsDir: string;
  stagingDir: string;
  catalogDir: string;
  endpoint: () => string;
  token: () => string | null;
  onModelsChanged: () => void;
  onDownloadUpdate: DownloadManagerOptions["onUpdate"];
  /** Hub traffic goes through the egress gate's own rule and into the audit log. */
  egress: EgressGate;
  /** Simulated machine for fit checks (tests, or a user's memory cap). */
  machine?: Partial<MachineResources>;
  freeDiskBytes?: DownloadManagerOptions["freeDiskBytes"];
  downloadTuning?: Pick<DownloadManagerOptions, "retry" | "stallTimeoutMs">;
  /** Starts the child process that parses GGUF headers (Electron: utilityProcess; default: Node's fork). */
  spawnChild?: SpawnChild;
  logger?: Logger;
};

/** The local model registry and everything that adds to it: import, the catalog, Hugging Face, downloads. */
export class ModelManager {
  readonly hf: HuggingFaceClient;
  readonly downloads: DownloadManager;
  private catalogCache: CatalogEntry[] | null = null;
  private readonly content = new InstalledContent();

  constructor(private readonly options: ModelManagerOptions) {
    this.hf = new HuggingFaceClient({
      endpoint: options.endpoint,
      token: options.token,
      fetch: options.egress.hubFetch("search", options.endpoint),
    });
    fs.mkdirSync(options.modelsDir, { recursive: true });
    fs.mkdirSync(options.stagingDir, { recursive: true });
    this.downloads = new DownloadManager({
      db: options.store.db,
      modelsDir: options.modelsDir,
      stagingDir: options.stagingDir,
      source: {
        fileUrl: (repo, fileName) => this.hf.fileUrl(repo, fileName),
        headers: (url?: string) => this.hf.headers(url),
        endpoint: options.endpoint,
      },
      register: (file) => this.registerDownloaded(file),
      // Each probe and transfer attempt is its own hub transfer in the audit log, opened before its first byte.
      egress: options.egress,
      onUpdate: options.onDownloadUpdate,
      knownSha256: (repo, fileName) => this.catalogFile(repo, fileName)?.sha256 ?? null,
      alreadyInstalled: async (file) => {
        const same = await this.content.find(this.options.store.listModels(), file);
        return same ? alreadyInstalledError(same) : null;
      },
      freeDiskBytes: options.freeDiskBytes,
      ...options.downloadTuning,
      logger: options.logger,
    });
  }

  async startDownload(input: { repo: string; fileName: string; catalogId?: string }): Promise<Download> {
    const url = this.hf.fileUrl(input.repo, input.fileName);
    this.options.egress.assertHubAllowed(url, this.options.endpoint());
    // A token refused for plain http (INSECURE_ENDPOINT) is said now, before a download is queued.
    this.hf.headers(url);
    return this.downloads.start(input);
  }

  catalog(): CatalogEntry[] {
    this.catalogCache ??= loadCatalog(this.options.catalogDir);
    return this.catalogCache;
  }

  private catalogEntry(repo: string, fileName: string): CatalogEntry | null {
    return this.catalog().find((e) => e.repo === repo && e.files.some((f) => f.fileName === fileName)) ?? null;
  }

  private catalogFile(repo: string, fileName: string) {
    return this.catalogEntry(repo, fileName)?.files.find((f) => f.fileName === fileName) ?? null;
  }

  list(): ModelInfo[] {
    const { store } = this.options;
    return store.listModels().map((model) => this.withState(model));
  }

  private withState(model: StoredModel): ModelInfo {
    return {
      ...model,
      available: fs.existsSync(model.path),
      usedBy: this.options.store.conversationsUsingModel(model.id),
    };
  }

  get(modelId: string): ModelInfo | null {
    const model = this.options.store.getModel(modelId);
    return model ? this.withState(model) : null;
  }

  async import(filePath: string): Promise<ModelInfo> {
    const summary = await inspectGguf(resolveUserPath(filePath), this.probeOptions());
    const existing = this.options.store.findModelByPath(summary.path);
    if (existing) return this.withState(existing);
    await this.refuseSameContent(summary.path);
    const model = this.options.store.addModel(summary);
    this.options.logger?.info("model imported", { name: summary.name, bytes: summary.sizeBytes });
    this.options.onModelsChanged();
    return this.withState(model);
  }

  /** Unregisters a model; a downloaded one's files (all split parts and its card) are deleted from the models folder. */
  async remove(modelId: string): Promise<{ freedBytes: number }> {
    const { store, engine } = this.options;
    const model = store.getModel(modelId);
    if (!model) throw new AppError("MODEL_NOT_FOUND", "That model is not in the list any more.");
    if (engine.loadedModelId === modelId) await engine.unload();
    let freedBytes = 0;
    if (model.source === "downloaded" && isInside(this.options.modelsDir, model.path)) {
      for (const file of [...splitParts(model.path), `${model.path}.card.md`]) {
        const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
        fs.rmSync(file, { force: true });
        if (file.endsWith(".gguf")) freedBytes += size;
      }
      removeEmptyParents(path.dirname(model.path), this.options.modelsDir);
    }
    store.removeModel(modelId);
    this.options.onModelsChanged();
    return { freedBytes };
  }

  async checkFit(repo: string, fileName: string, contextSize = 4096): Promise<Fit> {
    const llama = await this.options.engine.getLlama();
    const url = this.hf.fileUrl(repo, fileName);
    const headers = this.hf.headers(url);
    // node-llama-cpp reads the header with range requests through the global fetch, which the transfer routes.
    const info = await this.options.egress.hubRequest({ purpose: "search", method: "GET", url, endpoint: this.options.endpoint() }, () =>
      readRemoteGgufInfo(url, headers),
    );
    return estimateFit(llama, info, contextSize, await this.machine(llama));
  }

  private async machine(llama: Llama): Promise<MachineResources> {
    return machineResources(llama, this.options.machine);
  }

  private probeOptions() {
    return { spawn: this.options.spawnChild, logger: this.options.logger };
  }

  /** Two paths, one file: a copy of an installed model is refused, naming the model it duplicates. */
  private async refuseSameContent(filePath: string): Promise<void> {
    const sizeBytes = fs.statSync(filePath).size;
    const same = await this.content.find(this.options.store.listModels(), { sizeBytes, sha256: null, path: filePath });
    if (same) throw alreadyInstalledError(same);
  }

  private async registerDownloaded(file: CompletedFile): Promise<string> {
    const summary: GgufSummary = await inspectGguf(file.path, this.probeOptions());
    // The hub may not have said the sha256 before the transfer: the finished file is checked too.
    if (!this.options.store.findModelByPath(summary.path)) await this.refuseSameContent(summary.path);
    const { repo, fileName, catalogId } = file.download;
    const entry = (catalogId ? this.catalog().find((e) => e.id === catalogId) : null) ?? this.catalogEntry(repo, fileName);
    const card = entry?.card ?? cardForDownload({ repo, fileName, summary, endpoint: this.options.endpoint() });
    const name = entry ? `${entry.name} ${summary.quantization ?? ""}`.trim() : summary.name;
    const model =
      this.options.store.findModelByPath(summary.path) ??
      this.options.store.addModel({ ...summary, name, source: "downloaded", repo, card });
    // The card travels with the file: a user who copies the models folder keeps it.
    fs.writeFileSync(`${file.path}.card.md`, card);
    this.options.onModelsChanged();
    return model.id;
  }
}

/** Downloads live in <models>/<owner>/<repo>/: drop those folders once the last file in them is gone. */
function removeEmptyParents(dir: string, root: string): void {
  for (let current = dir; isInside(root, current); current = path.dirname(current)) {
    try {
      fs.rmdirSync(current);
    } catch {
      return; // not empty (or already gone)
    }
  }
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
