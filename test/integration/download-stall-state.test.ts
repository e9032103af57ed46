import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Download } from "../../electron/contract/index.js";
import { AuditLog } from "../../electron/core/cloud/audit-log.js";
import { EgressGate } from "../../electron/core/cloud/egress.js";
import { emptyPolicy } from "../../electron/core/cloud/policy.js";
import { DownloadManager } from "../../electron/core/downloads/download-manager.js";
import { openDatabase, type Db } from "../../electron/core/store/database.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { paddedGguf } from "../fake-hf/gguf-fixtures.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// What the downloads panel is told while the connection is silent: not the last speed and ETA, frozen.
const REPO = "acme/stall-GGUF";
const FILE = "stall-big.gguf";
const STALL_TIMEOUT_MS = 2500;
const big = paddedGguf(storiesModel, 7_300_000);

let hf: FakeHf;
let db: Db | null = null;
let manager: DownloadManager | null = null;

beforeAll(async () => {
  hf = await startFakeHf({ repos: { [REPO]: { files: { [FILE]: big } } } });
});
afterAll(() => hf.close());
afterEach(async () => {
  hf.setFault(null);
  await manager?.dispose();
  db?.close();
});

function start(events: Download[]): DownloadManager {
  const dir = tempDir("hearth-dl-stall-");
  db = openDatabase(path.join(dir, "hearth.db"));
  const egress = new EgressGate({ policy: () => emptyPolicy, audit: new AuditLog(db), onAudit: () => undefined });
  manager = new DownloadManager({
    db,
    egress,
    modelsDir: path.join(dir, "models"),
    stagingDir: path.join(dir, "downloads"),
    source: { fileUrl: (repo, name) => `${hf.url}/${repo}/resolve/main/${name}`, headers: () => ({}), endpoint: () => hf.url },
    register: async () => "model-1",
    onUpdate: (download) => events.push(download),
    retry: { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 400 },
    stallTimeoutMs: STALL_TIMEOUT_MS,
    stallNoticeMs: 300,
  });
  return manager;
}

async function until(events: Download[], done: (d: Download) => boolean, timeoutMs = 30_000): Promise<Download> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = events.find(done);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(events.at(-1))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a stalled download", () => {
  it("says the connection is lost and when it retries, instead of its last speed and ETA", async () => {
    const events: Download[] = [];
    hf.setFault({ kind: "stall", afterFraction: 0.9, forMs: 60_000, file: FILE });
    const { id } = await start(events).start({ repo: REPO, fileName: FILE });

    const stalled = await until(events, (d) => typeof d.stalledSince === "number");
    expect(stalled).toMatchObject({ status: "downloading", bytesPerSecond: 0, etaSeconds: null });
    expect(stalled.retryAt).toBe(stalled.stalledSince! + STALL_TIMEOUT_MS);
    // The notice comes soon after the last byte, not when the watchdog gives up.
    expect(Date.now() - stalled.stalledSince!).toBeLessThan(STALL_TIMEOUT_MS);
    // The list answer says the same while the silence lasts.
    expect(manager!.list().find((d) => d.id === id)).toMatchObject({ stalledSince: stalled.stalledSince, bytesPerSecond: 0, etaSeconds: null });

    const retrying = await until(events, (d) => d.status === "retrying");
    expect(retrying.stalledSince).toBeNull();
    expect(retrying.retryAt).not.toBeNull();
    expect(retrying.retryAt! - retrying.updatedAt).toBeGreaterThanOrEqual(150);
    expect(retrying.retryAt! - retrying.updatedAt).toBeLessThanOrEqual(450);

    const done = await until(events, (d) => d.status === "completed");
    expect(done).toMatchObject({ stalledSince: null, retryAt: null });
    // Between the notice and the retry nothing claims bytes are flowing.
    const during = events.slice(events.indexOf(stalled), events.indexOf(retrying));
    expect(during.every((d) => d.bytesPerSecond === 0 && d.etaSeconds === null)).toBe(true);
  });
});
