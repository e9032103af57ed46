import fs from "node:fs";
import path from "node:path";
import {
  AppError,
  DATA_ARCHIVE_FORMAT,
  DATA_ARCHIVE_VERSION,
  dataArchiveSchema,
  MAX_DATA_ARCHIVE_BYTES,
  type DataArchive,
} from "../../contract/index.js";
import type { AuditLog } from "../cloud/audit-log.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import { insertConversationTrees } from "../store/conversation-trees.js";
import { ensurePrivateDir, ensurePrivateFile } from "../store/private-files.js";
import type { Store } from "../store/store.js";
import { buildConversationExport } from "./conversation-export.js";
import { describeIssue, orderTree, parseJsonBounded } from "./conversation-import.js";

export type ArchiveCounts = { conversations: number; messages: number; settings: number; providers: number; auditEntries: number };

const countsOf = (archive: DataArchive): ArchiveCounts => ({
  conversations: archive.conversations.length,
  messages: archive.conversations.reduce((sum, c) => sum + c.messages.length, 0),
  settings: archive.settings.length,
  providers: archive.providers.length,
  auditEntries: archive.audit.length,
});

/** Everything in the data folder that is data (not model files, not secrets), in one versioned object. */
export function buildDataArchive(deps: {
  store: Store;
  providers: Pick<ProviderStore, "list">;
  audit: Pick<AuditLog, "list">;
  appVersion: string | null;
  now: number;
}): DataArchive {
  const { store, now, appVersion } = deps;
  // Oldest first, so a restore lists them in the same order (by updated time) and appends the audit log in order.
  const conversations = store.listConversations().reverse().map((c) => buildConversationExport(store, c.id, { appVersion, now }));
  const settings = (store.db.prepare("SELECT key, value FROM settings ORDER BY key").all() as { key: string; value: string }[]).map(
    (row): [string, string] => [row.key, row.value],
  );
  const providers = deps.providers.list().map((p) => ({
    id: p.id,
    kind: p.kind,
    name: p.name,
    baseUrl: p.baseUrl,
    model: p.model,
    inputPricePerMTok: p.inputPricePerMTok,
    outputPricePerMTok: p.outputPricePerMTok,
  }));
  const audit: DataArchive["audit"] = [];
  // The log pages newest first; walked to its start, then turned around.
  for (let before: string | undefined; ; ) {
    const page = deps.audit.list({ limit: 1000, ...(before ? { before } : {}) });
    audit.push(...page);
    if (page.length < 1000) break;
    before = page.at(-1)!.id;
  }
  audit.reverse();
  return { format: DATA_ARCHIVE_FORMAT, version: DATA_ARCHIVE_VERSION, exportedAt: now, appVersion, conversations, settings, providers, audit };
}

/** Writes the archive into the data folder's exports/ (owner-only, like the rest of it); returns where and what. */
export function writeDataArchive(archive: DataArchive, dataDir: string): { path: string; bytes: number; counts: ArchiveCounts } {
  const dir = path.join(dataDir, "exports");
  ensurePrivateDir(dir);
  const stamp = new Date(archive.exportedAt).toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const file = path.join(dir, `hearth-data-${stamp}.hearth-archive.json`);
  ensurePrivateFile(file);
  const text = JSON.stringify(archive);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return { path: file, bytes: Buffer.byteLength(text), counts: countsOf(archive) };
}

/** An archive file, checked: its size before reading, then format, version and every record. */
export function readDataArchive(file: string): DataArchive {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new AppError("INVALID_INPUT", "That path is not a file.");
    size = stat.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("NOT_FOUND", "There is no archive at that path.", { cause: error });
  }
  if (size > MAX_DATA_ARCHIVE_BYTES) throw new AppError("INVALID_INPUT", `The archive is too large to restore (over ${MAX_DATA_ARCHIVE_BYTES / 1024 ** 3} GB).`);
  const value = parseJsonBounded(fs.readFileSync(file, "utf8"));
  const head = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if (head.format !== DATA_ARCHIVE_FORMAT) throw new AppError("INVALID_INPUT", "This file is not a Hearth data archive (Export all data).");
  if (head.version !== DATA_ARCHIVE_VERSION) {
    throw new AppError("INVALID_INPUT", `This archive is of version ${String(head.version).slice(0, 20)}; this Hearth restores version ${DATA_ARCHIVE_VERSION}. Update Hearth to restore it.`);
  }
  const parsed = dataArchiveSchema.safeParse(value);
  if (!parsed.success) throw new AppError("INVALID_INPUT", `The archive is damaged: ${describeIssue(parsed.error)}.`);
  return parsed.data;
}

/**
 * Restores an archive into this data folder, which must hold no conversations, providers or audit entries yet (a
 * new one): ids are kept, so per-conversation settings and audit entries still name their conversations. The audit
 * log is appended again entry by entry at its original times, so it is chained and signed by this folder's key.
 */
export function restoreDataArchive(
  archive: DataArchive,
  deps: { store: Store; providers: Pick<ProviderStore, "save">; auditAt: (now: () => number) => Pick<AuditLog, "begin" | "finish" | "recordDeclined"> },
): ArchiveCounts {
  const { store } = deps;
  const used = store.db
    .prepare("SELECT (SELECT COUNT(*) FROM conversations) + (SELECT COUNT(*) FROM providers) + (SELECT COUNT(*) FROM audit_log) AS n")
    .get() as { n: number };
  if (used.n > 0) {
    throw new AppError("DATABASE_STATE", "An archive is restored into a new data folder; this one already has conversations, providers or an audit log.");
  }
  const trees = archive.conversations.map((file) => {
    const s = file.conversation.settings;
    return {
      id: file.conversation.id,
      title: file.conversation.title,
      createdAt: file.conversation.createdAt,
      updatedAt: file.conversation.updatedAt,
      settings: { ...s, modelId: s.modelId !== null && store.getModel(s.modelId) ? s.modelId : null },
      stopAndAsk: s.contextOverflow === "stop-and-ask",
      messages: orderTree(file.messages),
      activeLeafId: file.activeLeafId,
    };
  });
  store.db.transaction(() => {
    for (const provider of archive.providers) deps.providers.save(provider);
    insertConversationTrees(store.db, trees);
    // Settings last: the archive's own rows win over any written above (e.g. stop-and-ask keys).
    for (const [key, value] of archive.settings) store.setSetting(key, value);
  })();
  let time = 0;
  const audit = deps.auditAt(() => time);
  for (const entry of archive.audit) {
    time = entry.time;
    const { id: _id, time: _time, bytesReceived, tokensIn, tokensOut, costUsd, outcome, error, durationMs, review, ...sent } = entry;
    if (outcome === "declined" && review) {
      audit.recordDeclined({ ...sent, review });
      continue;
    }
    const opened = audit.begin({ ...sent, review: review ?? null });
    // An entry Hearth never closed (it died mid-request) stays open, as it was.
    if (durationMs !== null) audit.finish(opened.id, { bytesReceived, tokensIn, tokensOut, costUsd, outcome, error, durationMs });
  }
  return countsOf(archive);
}
