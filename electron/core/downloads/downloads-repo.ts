import { randomUUID } from "node:crypto";
import type { Download, DownloadStatus, SerializedAppError } from "../../contract/index.js";
import type { Db } from "../store/database.js";

type DownloadRow = {
  id: string; repo: string; file_name: string; catalog_id: string | null; status: DownloadStatus;
  total_bytes: number; downloaded_bytes: number; expected_sha256: string | null; error: string | null;
  model_id: string | null; created_at: number; updated_at: number;
};

/** What is persisted of a download; speed, ETA, attempts and the connection's state live only while it runs. */
export type StoredDownload = Omit<Download, "bytesPerSecond" | "etaSeconds" | "attempts" | "stalledSince" | "retryAt"> & {
  /** One sha256 per part, in part order (one for a single file); empty until known. */
  expectedSha256: (string | null)[];
};

export type DownloadPatch = Partial<
  Pick<StoredDownload, "status" | "totalBytes" | "downloadedBytes" | "expectedSha256" | "error" | "modelId">
>;

/** Statuses of a download that has not reached an end; a row left in one of these was interrupted. */
export const unfinishedStatuses: readonly DownloadStatus[] = ["queued", "downloading", "retrying", "verifying"];

const toStored = (row: DownloadRow): StoredDownload => ({
  id: row.id,
  repo: row.repo,
  fileName: row.file_name,
  catalogId: row.catalog_id,
  status: row.status,
  totalBytes: row.total_bytes,
  downloadedBytes: row.downloaded_bytes,
  // Split models keep one hash per part, space-separated; "-" marks a part whose hash is unknown.
  expectedSha256: row.expected_sha256 ? row.expected_sha256.split(" ").map((h) => (h === "-" ? null : h)) : [],
  error: row.error ? (JSON.parse(row.error) as SerializedAppError) : null,
  modelId: row.model_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class DownloadsRepo {
  constructor(private readonly db: Db) {}

  create(input: { repo: string; fileName: string; catalogId: string | null }): StoredDownload {
    const now = Date.now();
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO downloads (id, repo, file_name, catalog_id, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(id, input.repo, input.fileName, input.catalogId, now, now);
    return this.get(id)!;
  }

  get(id: string): StoredDownload | null {
    const row = this.db.prepare("SELECT * FROM downloads WHERE id = ?").get(id) as DownloadRow | undefined;
    return row ? toStored(row) : null;
  }

  list(): StoredDownload[] {
    const rows = this.db.prepare("SELECT * FROM downloads ORDER BY created_at DESC, rowid DESC").all() as DownloadRow[];
    return rows.map(toStored);
  }

  /** Downloads of this file that have not ended (including paused ones, which own a partial file). */
  findOpen(repo: string, fileName: string): StoredDownload | null {
    const row = this.db
      .prepare(
        `SELECT * FROM downloads WHERE repo = ? AND file_name = ?
         AND status IN ('queued', 'downloading', 'retrying', 'verifying', 'paused') LIMIT 1`,
      )
      .get(repo, fileName) as DownloadRow | undefined;
    return row ? toStored(row) : null;
  }

  listUnfinished(): StoredDownload[] {
    const marks = unfinishedStatuses.map(() => "?").join(", ");
    const rows = this.db
      .prepare(`SELECT * FROM downloads WHERE status IN (${marks}) ORDER BY created_at`)
      .all(...unfinishedStatuses) as DownloadRow[];
    return rows.map(toStored);
  }

  update(id: string, patch: DownloadPatch): StoredDownload {
    const columns: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      columns.push(`${column} = ?`);
      values.push(value);
    };
    if (patch.status !== undefined) set("status", patch.status);
    if (patch.totalBytes !== undefined) set("total_bytes", Math.round(patch.totalBytes));
    if (patch.downloadedBytes !== undefined) set("downloaded_bytes", Math.round(patch.downloadedBytes));
    if (patch.expectedSha256 !== undefined) {
      set("expected_sha256", patch.expectedSha256.length ? patch.expectedSha256.map((h) => h ?? "-").join(" ") : null);
    }
    if (patch.error !== undefined) set("error", patch.error ? JSON.stringify(patch.error) : null);
    if (patch.modelId !== undefined) set("model_id", patch.modelId);
    set("updated_at", Date.now());
    this.db.prepare(`UPDATE downloads SET ${columns.join(", ")} WHERE id = ?`).run(...values, id);
    const row = this.get(id);
    if (!row) throw new Error(`download ${id} vanished`);
    return row;
  }
}
