/**
 * Runs a DownloadManager in a process of its own, so a test can SIGKILL it mid-download like a crash.
 * Usage: node download-child.mjs <dataDir> <endpoint> <repo> <fileName> [bytesPerSecondHint]
 * Prints one JSON line per update on stdout.
 */
import path from "node:path";
import { AuditLog } from "../../electron/core/cloud/audit-log.js";
import { EgressGate } from "../../electron/core/cloud/egress.js";
import { emptyPolicy } from "../../electron/core/cloud/policy.js";
import { DownloadManager } from "../../electron/core/downloads/download-manager.js";
import { openDatabase } from "../../electron/core/store/database.js";

const [dataDir, endpoint, repo, fileName] = process.argv.slice(2);
if (!dataDir || !endpoint || !repo || !fileName) throw new Error("usage: download-child <dataDir> <endpoint> <repo> <fileName>");

const db = openDatabase(path.join(dataDir, "hearth.db"));
const manager = new DownloadManager({
  db,
  // Through the gate, as in the app: the audit entry is opened before the first byte and its bytes kept current.
  egress: new EgressGate({ policy: () => emptyPolicy, audit: new AuditLog(db), onAudit: () => {} }),
  modelsDir: path.join(dataDir, "models"),
  stagingDir: path.join(dataDir, "downloads"),
  source: {
    fileUrl: (r, f) => `${endpoint}/${r}/resolve/main/${f}`,
    headers: () => ({}),
    endpoint: () => endpoint,
  },
  register: async () => {
    throw new Error("this process is killed before it finishes");
  },
  onUpdate: (download) => {
    process.stdout.write(`${JSON.stringify({ status: download.status, downloadedBytes: download.downloadedBytes })}\n`);
  },
  retry: { baseDelayMs: 50, maxDelayMs: 200 },
  stallTimeoutMs: 5000,
});
await manager.start({ repo, fileName });
