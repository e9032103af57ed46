import fs from "node:fs/promises";
import path from "node:path";
import { AppError, type Download } from "../../contract/index.js";
import type { EgressGate } from "../cloud/egress.js";
import type { Logger } from "../core-types.js";
import type { Db } from "../store/database.js";
import { toDownloadError } from "./download-errors.js";
import { DownloadsRepo, unfinishedStatuses, type DownloadPatch, type StoredDownload } from "./downloads-repo.js";
import { fileSize, moveIntoPlace } from "./file-ops.js";
import { probeRemoteFile, splitPartNames, type RemotePart } from "./remote-file.js";
import {
  ensureDiskSpace,
  hasPartial,
  reclaimMoved,
  restorePartials,
  stagedComplete,
  stagedFiles,
  sweepStaging,
  verifyStaged,
  type StagedFiles,
} from "./staging.js";
import { retryWithBackoff, type RetryPolicy } from "./retry.js";
import { transferOnce } from "./transfer.js";

export type DownloadSource = {
  /** Absolute URL of a file in a repository. */
  fileUrl(repo: string, fileName: string): string;
  /** Request headers for `url` (Authorization for gated repositories, only on the origin the token is bound to). */
  headers(url?: string): Record<string, string>;
  /** Endpoint base URL, for node-llama-cpp's downloader. */
  endpoint(): string;
};

export type CompletedFile = {
  download: Download;
  /** Absolute path of the verified file (the first part, for split models) inside the models folder. */
  path: string;
};

export type DownloadManagerOptions = {
  db: Db;
  /** Verified files end up here, in `<owner>/<name>/` folders. */
  modelsDir: string;
  /** Partial files live here until verified (one folder per download); keep it on the models folder's disk. */
  stagingDir: string;
  source: DownloadSource;
  /**
   * The egress gate: each probe and each transfer attempt is one hub transfer, checked against the hub rule and
   * recorded in the audit log before its first byte, with its bytes counted as they arrive.
   */
  egress: Pick<EgressGate, "hubRequest" | "markHubFailed">;
  /** Registers a verified file as a model; returns the model id. Throws (e.g. a bad GGUF) to fail the download. */
  register(file: CompletedFile): Promise<string>;
  onUpdate(download: Download): void;
  /**
   * The error to fail with when a model with the same contents is already installed (checked once the hub has said
   * the file's size and sha256, before a byte of it is fetched); null when it is new.
   */
  alreadyInstalled?(file: { sizeBytes: number; sha256: string | null }): Promise<AppError | null>;
  /** Known sha256 for a file (from the catalog), when there is one. */
  knownSha256?(repo: string, fileName: string): string | null;
  /** Free bytes on the disk of the models folder (override to simulate a full disk). */
  freeDiskBytes?(dir: string): Promise<number>;
  /** Free space to leave on the disk beyond the file itself (default 100 MB). */
  diskMarginBytes?: number;
  retry?: RetryPolicy;
  /** No byte received for this long counts as a dropped connection. */
  stallTimeoutMs?: number;
  /** No byte received for this long shows as a lost connection (speed and ETA cleared) until bytes flow again. */
  stallNoticeMs?: number;
  logger?: Logger;
};

type StopReason = "pause" | "cancel" | "dispose";
type DownloadContext = Parameters<typeof toDownloadError>[1];
type Run = { controller: AbortController; stop: StopReason | null; finalizing: boolean; done: Promise<void> };
type Live = {
  downloadedBytes: number;
  highWater: number;
  bytesPerSecond: number;
  attempts: number;
  lastEmit: number;
  lastPersist: number;
  sample: { at: number; bytes: number };
  /** A probe or transfer attempt is waiting for bytes: the only time silence means a stall. */
  watching: boolean;
  lastByteAt: number;
  stalledSince: number | null;
  retryAt: number | null;
};

const PROGRESS_INTERVAL_MS = 250;
const PERSIST_INTERVAL_MS = 1000;
const STALL_NOTICE_MS = 4000;

/** What the audit log says about a transfer the user (or Hearth's closing) stopped. */
const stopNotes: Readonly<Record<StopReason, string>> = {
  pause: "Paused",
  cancel: "Cancelled",
  dispose: "Stopped: Hearth was closing (it resumes at the next start)",
};

class Stopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`download ${reason}`);
  }
}

/**
 * Downloads GGUF files from Hugging Face with node-llama-cpp's downloader, and adds what a desktop app needs on
 * top: persistence across restarts and crashes, retries with backoff, stall detection, a disk space check, sha256
 * verification, and an atomic move into the models folder. A partial or unverified file never leaves staging.
 */
export class DownloadManager {
  private readonly repo: DownloadsRepo;
  private readonly runs = new Map<string, Run>();
  private readonly live = new Map<string, Live>();
  private disposed = false;

  constructor(readonly options: DownloadManagerOptions) {
    this.repo = new DownloadsRepo(options.db);
  }

  /** Picks up downloads left unfinished by the last run (quit or crash) and resumes them from their partial files. */
  async resumeInterrupted(): Promise<void> {
    const owners = this.repo.list().filter((d) => d.status !== "completed" && d.status !== "cancelled");
    await sweepStaging(this.options.stagingDir, new Set([...owners.map((d) => d.id), ...this.runs.keys()]));
    for (const stored of this.repo.listUnfinished()) {
      if (!this.runs.has(stored.id)) this.launch(stored.id);
    }
  }

  async start(input: { repo: string; fileName: string; catalogId?: string }): Promise<Download> {
    this.assertOpen();
    const segments = [...input.repo.split("/"), ...input.fileName.split("/")];
    if (input.repo.split("/").length !== 2 || segments.some((s) => s === "" || s === "." || s === "..")) {
      throw new AppError("INVALID_INPUT", `"${input.repo}/${input.fileName}" is not a file in a Hugging Face repository.`);
    }
    const open = this.repo.findOpen(input.repo, input.fileName);
    if (open) {
      throw new AppError(
        "BUSY",
        open.status === "paused"
          ? `${input.fileName} is already in your downloads, paused. Resume it there.`
          : `${input.fileName} is already being downloaded.`,
      );
    }
    const destination = stagedFiles(this.options, "", input.repo, input.fileName).destinations[0]!;
    if ((await fileSize(destination)) !== null) {
      throw new AppError("INVALID_INPUT", `${input.fileName} from ${input.repo} is already in your models folder.`);
    }
    const stored = this.repo.create({ repo: input.repo, fileName: input.fileName, catalogId: input.catalogId ?? null });
    this.emit(stored);
    this.launch(stored.id);
    return this.toDownload(this.repo.get(stored.id)!);
  }

  async pause(id: string): Promise<Download> {
    const stored = this.mustGet(id);
    const run = this.runs.get(id);
    if (run) {
      if (!run.finalizing && !run.stop) {
        run.stop = "pause";
        run.controller.abort(new Stopped("pause"));
      }
      await run.done;
    } else if (unfinishedStatuses.includes(stored.status)) {
      this.update(id, { status: "paused" });
    }
    return this.toDownload(this.mustGet(id));
  }

  async resume(id: string): Promise<Download> {
    this.assertOpen();
    const stored = this.mustGet(id);
    const running = this.runs.get(id);
    if (running && running.stop === null) return this.toDownload(stored);
    if (running) await running.done;
    const current = this.mustGet(id);
    if (current.status === "completed" || current.status === "cancelled") {
      throw new AppError("INVALID_INPUT", `This download has ${current.status === "completed" ? "finished" : "been cancelled"}; start it again from the model list.`);
    }
    this.update(id, { status: "queued", error: null });
    this.launch(id);
    return this.toDownload(this.mustGet(id));
  }

  async cancel(id: string): Promise<Download> {
    const stored = this.mustGet(id);
    const run = this.runs.get(id);
    if (run) {
      if (!run.finalizing) {
        run.stop = "cancel";
        run.controller.abort(new Stopped("cancel"));
      }
      await run.done;
    } else if (stored.status !== "completed" && stored.status !== "cancelled") {
      await fs.rm(stagedFiles(this.options, id, stored.repo, stored.fileName).dir, { recursive: true, force: true });
      this.update(id, { status: "cancelled", downloadedBytes: 0 });
    }
    return this.toDownload(this.mustGet(id));
  }

  list(): Download[] {
    return this.repo.list().map((stored) => this.toDownload(stored));
  }

  /** Stops transfers (keeping partial files, so the next start resumes) and waits for them to settle. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const runs = [...this.runs.values()];
    for (const run of runs) {
      if (!run.finalizing && !run.stop) {
        run.stop = "dispose";
        run.controller.abort(new Stopped("dispose"));
      }
    }
    await Promise.all(runs.map((run) => run.done));
  }

  // --- one run of a download, from probe to registration

  private launch(id: string): void {
    const stored = this.mustGet(id);
    const run: Run = { controller: new AbortController(), stop: null, finalizing: false, done: Promise.resolve() };
    this.runs.set(id, run);
    this.live.set(id, {
      downloadedBytes: stored.downloadedBytes,
      highWater: stored.downloadedBytes,
      bytesPerSecond: 0,
      attempts: 0,
      lastEmit: 0,
      lastPersist: 0,
      sample: { at: Date.now(), bytes: stored.downloadedBytes },
      watching: false,
      lastByteAt: Date.now(),
      stalledSince: null,
      retryAt: null,
    });
    const noticeMs = this.options.stallNoticeMs ?? STALL_NOTICE_MS;
    const stallCheck = setInterval(() => this.checkStall(id), Math.max(20, Math.min(1000, noticeMs / 4)));
    stallCheck.unref?.();
    run.done = this.execute(id, run)
      .catch((error: unknown) => this.options.logger?.error("download run crashed", { downloadId: id, error: String((error as Error)?.name) }))
      .finally(() => {
        clearInterval(stallCheck);
        if (this.runs.get(id) === run) this.runs.delete(id);
      });
  }

  private async execute(id: string, run: Run): Promise<void> {
    const signal = run.controller.signal;
    const stored = this.mustGet(id);
    const files = stagedFiles(this.options, id, stored.repo, stored.fileName);
    const { dir } = files;
    const partNames = splitPartNames(stored.fileName);
    const context = { repo: stored.repo, fileName: stored.fileName, dir, withToken: this.hasToken() };
    let parts: RemotePart[] | null = null;
    // The audit entry of the last transfer attempt that ended well: its bytes may still be refused.
    let delivered: string | null = null;
    try {
      await fs.mkdir(dir, { recursive: true });
      await reclaimMoved(files);
      this.update(id, { status: "downloading", error: null });
      parts = await this.withRetries(id, run, context, () => this.watched(id, () => this.probe(stored, partNames, run, context)));
      signal.throwIfAborted();
      const expected = parts.map((part) => this.options.knownSha256?.(stored.repo, part.fileName) ?? part.sha256);
      const totalBytes = parts.reduce((sum, part) => sum + part.sizeBytes, 0);
      if (stored.expectedSha256.length > 0 && stored.expectedSha256.join() !== expected.join()) {
        // The file changed on the server since the partial was written: never splice two versions.
        this.options.logger?.warn("remote file changed; restarting download", { downloadId: id });
        await this.clearStaging(id, dir);
      }
      this.update(id, { totalBytes, expectedSha256: expected });
      const duplicate = await this.options.alreadyInstalled?.({ sizeBytes: parts[0]!.sizeBytes, sha256: expected[0] ?? null });
      if (duplicate) throw duplicate;

      let interrupted = await hasPartial(files);
      for (let round = 0; ; round++) {
        if (!(await stagedComplete(files, parts))) {
          await ensureDiskSpace({
            dir: this.options.modelsDir,
            fileName: stored.fileName,
            remainingBytes: totalBytes - this.liveFor(id).downloadedBytes,
            marginBytes: this.options.diskMarginBytes ?? 100_000_000,
            freeBytes: this.options.freeDiskBytes,
          });
          await this.withRetries(id, run, context, async () => {
            await restorePartials(files, parts!);
            let entryId: string | null = null;
            const url = parts![0]!.url;
            await this.watched(id, () => this.options.egress.hubRequest(
              {
                ...this.hubTransfer(run, context, "GET", url, signal),
                onOpen: (entry) => (entryId = entry.id),
              },
              () =>
                transferOnce({
                  url,
                  dir,
                  localName: files.localNames[0]!,
                  headers: this.options.source.headers(url),
                  endpoint: this.options.source.endpoint(),
                  signal,
                  stallTimeoutMs: this.options.stallTimeoutMs ?? 30_000,
                  onProgress: ({ downloadedBytes }) => this.progress(id, downloadedBytes),
                }),
            ));
            delivered = entryId;
          });
        }
        signal.throwIfAborted();
        this.update(id, { status: "verifying", downloadedBytes: totalBytes });
        const failure = await verifyStaged(files, parts, expected, signal, this.options.logger);
        if (!failure) break;
        if (delivered) this.options.egress.markHubFailed(delivered, failure.message);
        delivered = null;
        await this.clearStaging(id, dir);
        interrupted ||= this.liveFor(id).attempts > 0;
        // A resumed partial is the one place where a crash can leave a damaged chunk: fetch it whole once more.
        if (!interrupted || round > 0) throw failure;
        this.options.logger?.warn("checksum mismatch after resuming; downloading again from the start", { downloadId: id });
        interrupted = false;
        this.update(id, { status: "downloading" });
      }

      signal.throwIfAborted();
      run.finalizing = true;
      await this.finalize(id, files);
    } catch (error) {
      if (run.stop) {
        if (parts && run.stop !== "cancel") await restorePartials(files, parts).catch(() => undefined);
        return void (await this.afterStop(id, run.stop, dir));
      }
      const appError = toDownloadError(error, context);
      // The bytes arrived but were thrown away (not a usable model, could not be added): the log says so.
      if (delivered) this.options.egress.markHubFailed(delivered, appError.message);
      if (appError.code === "DOWNLOAD_CHECKSUM" || appError.code === "ALREADY_INSTALLED") await this.clearStaging(id, dir);
      this.options.logger?.warn("download failed", { downloadId: id, code: appError.code });
      this.update(id, { status: "failed", error: appError.toJSON() });
    }
  }

  private async probe(stored: StoredDownload, partNames: string[], run: Run, context: DownloadContext): Promise<RemotePart[]> {
    const timeout = AbortSignal.timeout(this.options.stallTimeoutMs ?? 30_000);
    const signal = AbortSignal.any([run.controller.signal, timeout]);
    const first = this.options.source.fileUrl(stored.repo, partNames[0]!);
    return this.options.egress.hubRequest(this.hubTransfer(run, context, "HEAD", first, signal), async (gatedFetch) => {
      const parts: RemotePart[] = [];
      for (const fileName of partNames) {
        const url = this.options.source.fileUrl(stored.repo, fileName);
        parts.push(await probeRemoteFile({ repo: stored.repo, fileName, url, headers: this.options.source.headers(url), signal, fetch: gatedFetch }));
      }
      return parts;
    });
  }

  /** One hub transfer of this download; a stop reads as what it was (paused, cancelled), a failure as its message. */
  private hubTransfer(run: Run, context: DownloadContext, method: "GET" | "HEAD", url: string, signal: AbortSignal) {
    return {
      purpose: "download" as const,
      method,
      url,
      endpoint: this.options.source.endpoint(),
      signal,
      describeFailure: (error: unknown): ["aborted" | "error", string] => {
        if (run.stop) return ["aborted", stopNotes[run.stop]];
        return ["error", toDownloadError(error, context).message];
      },
    };
  }

  private withRetries<T>(id: string, run: Run, context: DownloadContext, attempt: () => Promise<T>): Promise<T> {
    const live = this.liveFor(id);
    return retryWithBackoff({
      attempt,
      signal: run.controller.signal,
      policy: this.options.retry,
      progress: () => live.highWater,
      toError: (error) => toDownloadError(error, context),
      onRetry: (error, delayMs) => {
        live.attempts++;
        live.retryAt = Date.now() + delayMs;
        this.options.logger?.info("download retrying", { downloadId: id, attempt: live.attempts, delayMs, code: error.code });
        this.update(id, { status: "retrying", error: error.toJSON() });
      },
      onResume: () => {
        live.retryAt = null;
        live.stalledSince = null;
        this.update(id, { status: "downloading", error: null });
      },
    });
  }

  /** Moves the verified files into the models folder, then registers the model; undoes the move if that fails. */
  private async finalize(id: string, files: StagedFiles): Promise<void> {
    const stored = this.mustGet(id);
    const { dir, localNames, destinations } = files;
    for (const destination of destinations) {
      if ((await fileSize(destination)) !== null) {
        throw new AppError("INVALID_INPUT", `${path.basename(destination)} is already in your models folder.`);
      }
    }
    const moved: string[] = [];
    try {
      for (const [index, local] of localNames.entries()) {
        await moveIntoPlace(path.join(dir, local), destinations[index]!);
        moved.push(destinations[index]!);
      }
      const modelId = await this.options.register({ download: this.toDownload(stored), path: destinations[0]! });
      await fs.rm(dir, { recursive: true, force: true });
      this.update(id, { status: "completed", modelId, error: null, downloadedBytes: stored.totalBytes });
    } catch (error) {
      await Promise.all(moved.map((file) => fs.rm(file, { force: true })));
      await fs.rm(dir, { recursive: true, force: true });
      throw error instanceof AppError
        ? error
        : new AppError("DOWNLOAD_FAILED", `${stored.fileName} was downloaded and verified, but Hearth could not add it.`, {
            cause: error,
          });
    }
  }

  private async afterStop(id: string, reason: StopReason, dir: string): Promise<void> {
    const downloadedBytes = this.liveFor(id).downloadedBytes;
    if (reason === "cancel") {
      await this.clearStaging(id, dir);
      this.update(id, { status: "cancelled", downloadedBytes: 0, error: null });
    } else if (reason === "pause") {
      this.update(id, { status: "paused", downloadedBytes });
    } else {
      // Left in its unfinished status: resumeInterrupted() picks it up on the next start, as after a crash.
      this.repo.update(id, { downloadedBytes });
    }
  }

  // --- state and events

  /** Runs one probe or transfer attempt with the stall notice armed: silence from here on reads as a lost connection. */
  private async watched<T>(id: string, attempt: () => Promise<T>): Promise<T> {
    const live = this.liveFor(id);
    live.watching = true;
    live.lastByteAt = Date.now();
    try {
      return await attempt();
    } finally {
      live.watching = false;
    }
  }

  /** Marks a silent attempt as stalled once, so the UI stops showing the last speed and ETA as if bytes still flowed. */
  private checkStall(id: string): void {
    const live = this.live.get(id);
    if (!live || !live.watching || live.stalledSince !== null) return;
    if (Date.now() - live.lastByteAt < (this.options.stallNoticeMs ?? STALL_NOTICE_MS)) return;
    live.stalledSince = live.lastByteAt;
    live.bytesPerSecond = 0;
    const stored = this.repo.get(id);
    if (stored && stored.status === "downloading") this.emit(stored);
  }

  private progress(id: string, downloadedBytes: number): void {
    const live = this.liveFor(id);
    const now = Date.now();
    if (downloadedBytes !== live.downloadedBytes) live.lastByteAt = now;
    if (live.stalledSince !== null && downloadedBytes > live.downloadedBytes) {
      // Bytes flow again: the speed starts over rather than averaging in the silence.
      live.stalledSince = null;
      live.bytesPerSecond = 0;
      live.sample = { at: now, bytes: downloadedBytes };
      live.lastEmit = 0;
    }
    live.downloadedBytes = downloadedBytes;
    live.highWater = Math.max(live.highWater, downloadedBytes);
    const elapsed = now - live.sample.at;
    if (elapsed >= 200) {
      const instant = (Math.max(0, downloadedBytes - live.sample.bytes) * 1000) / elapsed;
      live.bytesPerSecond = live.bytesPerSecond === 0 ? instant : live.bytesPerSecond * 0.7 + instant * 0.3;
      live.sample = { at: now, bytes: downloadedBytes };
    }
    if (now - live.lastPersist >= PERSIST_INTERVAL_MS) {
      live.lastPersist = now;
      this.repo.update(id, { downloadedBytes });
    }
    if (now - live.lastEmit >= PROGRESS_INTERVAL_MS) this.emit(this.mustGet(id));
  }

  private update(id: string, patch: DownloadPatch): StoredDownload {
    const live = this.live.get(id);
    if (live && patch.downloadedBytes !== undefined) live.downloadedBytes = patch.downloadedBytes;
    if (live && patch.status !== undefined && patch.status !== "downloading") live.bytesPerSecond = 0;
    const stored = this.repo.update(id, patch);
    this.emit(stored);
    return stored;
  }

  private emit(stored: StoredDownload): void {
    const live = this.live.get(stored.id);
    if (live) live.lastEmit = Date.now();
    try {
      this.options.onUpdate(this.toDownload(stored));
    } catch (error) {
      this.options.logger?.error("download listener failed", { error: String((error as Error)?.name) });
    }
  }

  private toDownload(stored: StoredDownload): Download {
    const { expectedSha256: _expected, ...rest } = stored;
    const live = this.runs.has(stored.id) ? this.live.get(stored.id) : undefined;
    const downloadedBytes = live && stored.status !== "completed" ? live.downloadedBytes : stored.downloadedBytes;
    const stalledSince = live && stored.status === "downloading" ? live.stalledSince : null;
    const speed = live && stalledSince === null && (stored.status === "downloading" || stored.status === "retrying") ? live.bytesPerSecond : 0;
    const left = Math.max(0, stored.totalBytes - downloadedBytes);
    let retryAt: number | null = null;
    if (live && stored.status === "retrying") retryAt = live.retryAt;
    // While stalled, the watchdog gives up on the attempt at this moment, and the next one follows.
    else if (stalledSince !== null) retryAt = stalledSince + (this.options.stallTimeoutMs ?? 30_000);
    return {
      ...rest,
      downloadedBytes,
      bytesPerSecond: Math.round(speed),
      etaSeconds: speed > 0 && stored.totalBytes > 0 ? Math.ceil(left / speed) : null,
      attempts: this.live.get(stored.id)?.attempts ?? 0,
      stalledSince,
      retryAt,
    };
  }

  // --- files

  /** Deletes the download's partial and staged files (the downloader recreates the folder when it starts). */
  private async clearStaging(id: string, dir: string): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
    const live = this.live.get(id);
    if (live) live.downloadedBytes = live.highWater = 0;
    this.repo.update(id, { downloadedBytes: 0 });
  }

  private hasToken(): boolean {
    try {
      return Object.keys(this.options.source.headers()).some((name) => name.toLowerCase() === "authorization");
    } catch {
      // A token refused for plain http: the probe reports INSECURE_ENDPOINT.
      return false;
    }
  }

  private liveFor(id: string): Live {
    const live = this.live.get(id);
    if (!live) throw new Error(`no live state for download ${id}`);
    return live;
  }

  private mustGet(id: string): StoredDownload {
    const stored = this.repo.get(id);
    if (!stored) throw new AppError("NOT_FOUND", "That download no longer exists.");
    return stored;
  }

  private assertOpen(): void {
    if (this.disposed) throw new AppError("BUSY", "Hearth is shutting down.");
  }
}
