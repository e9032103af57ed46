import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, Download } from "../../electron/contract/index.js";
import { AuditLog, INTERRUPTED } from "../../electron/core/cloud/audit-log.js";
import { EgressGate } from "../../electron/core/cloud/egress.js";
import { emptyPolicy } from "../../electron/core/cloud/policy.js";
import { createCore } from "../../electron/core/core.js";
import { DownloadManager, type DownloadManagerOptions } from "../../electron/core/downloads/download-manager.js";
import { inspectGguf } from "../../electron/core/models/inspect-gguf.js";
import { openDatabase, type Db } from "../../electron/core/store/database.js";
import { startFakeHf, type FakeHf, type FakeHfRequest } from "../fake-hf/fake-hf-server.js";
import { paddedGguf, splitBytes } from "../fake-hf/gguf-fixtures.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { buildChildScript } from "../fixtures/build-child.js";

const REPO = "acme/stories-GGUF";
const GATED = "acme/gated-GGUF";
const TOKEN = "hf_test_token_123";
const stories = fs.readFileSync(storiesModel);
// Over one 5 MiB chunk of the downloader (ipull), which is its unit of resume: 2 chunks.
const big = paddedGguf(storiesModel, 7_300_000);
const [split1, split2] = splitBytes(stories, 2);
const sha = (data: Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const shaOfFile = (file: string) => sha(fs.readFileSync(file));

let hf: FakeHf;
const builtDirs: string[] = [];

beforeAll(async () => {
  hf = await startFakeHf({
    repos: {
      [REPO]: {
        files: {
          "stories260K.gguf": "../shared/models/stories260K.gguf",
          "stories-big.gguf": big,
          "stories-split-00001-of-00002.gguf": split1!,
          "stories-split-00002-of-00002.gguf": split2!,
          "stories-cut.gguf": stories.subarray(0, 600_000),
        },
      },
      [GATED]: { files: { "gated-stories.gguf": stories }, gated: true, token: TOKEN },
    },
  });
});
afterAll(async () => {
  await hf.close();
  for (const dir of builtDirs) fs.rmSync(dir, { recursive: true, force: true });
});

type Harness = {
  dir: string;
  db: Db;
  manager: DownloadManager;
  events: Download[];
  registered: string[];
  audit: AuditLog;
  /** Every audit entry as the gate reported it: opened, as bytes flowed, closed. */
  auditEvents: AuditEntry[];
  setToken(token: string | null): void;
};
const harnesses: Harness[] = [];
const children: ChildProcess[] = [];

function harness(overrides: Partial<DownloadManagerOptions> = {}, dir = tempDir("hearth-dl-")): Harness {
  const db = openDatabase(path.join(dir, "hearth.db"));
  const events: Download[] = [];
  const registered: string[] = [];
  let token: string | null = null;
  const audit = new AuditLog(db);
  const auditEvents: AuditEntry[] = [];
  const egress = new EgressGate({ policy: () => emptyPolicy, audit, onAudit: (entry) => auditEvents.push(entry) });
  const manager = new DownloadManager({
    db,
    egress,
    modelsDir: path.join(dir, "models"),
    stagingDir: path.join(dir, "downloads"),
    source: {
      fileUrl: (repo, fileName) => `${hf.url}/${repo}/resolve/main/${fileName}`,
      headers: (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {}),
      endpoint: () => hf.url,
    },
    register: async ({ path: file }) => {
      await inspectGguf(file);
      registered.push(file);
      return `model-${registered.length}`;
    },
    onUpdate: (download) => events.push(download),
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
    stallTimeoutMs: 2000,
    ...overrides,
  });
  const h = { dir, db, manager, events, registered, audit, auditEvents, setToken: (t: string | null) => (token = t) };
  harnesses.push(h);
  return h;
}

afterEach(async () => {
  hf.setFault(null);
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const h of harnesses.splice(0)) {
    await h.manager.dispose();
    h.db.close();
  }
});

async function waitFor(manager: DownloadManager, id: string, done: (d: Download) => boolean, timeoutMs = 30_000): Promise<Download> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = manager.list().find((d) => d.id === id);
    if (current && done(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out; last state: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const ended = (d: Download) => ["completed", "failed", "cancelled", "paused"].includes(d.status);
const statuses = (events: Download[]) => events.map((e) => e.status).filter((s, i, all) => s !== all[i - 1]);
/** Body bytes of a file sent in answer to Range requests (the data), from `from` on in the request log. */
const rangedBytes = (file: string, from = 0) =>
  hf.requests.slice(from).filter((r: FakeHfRequest) => r.file === file && r.range !== null).reduce((sum, r) => sum + r.bytesSent, 0);
const modelPath = (h: Harness, file: string) => path.join(h.dir, "models", "acme", "stories-GGUF", file);
const stagingOf = (h: Harness, id: string) => path.join(h.dir, "downloads", id);

describe("downloads", () => {
  it("downloads through the CDN redirect, verifies the sha256 and registers the model", async () => {
    const h = harness();
    const from = hf.requests.length;
    const started = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    expect(started.status).toBe("queued");
    const done = await waitFor(h.manager, started.id, ended);
    expect(done).toMatchObject({ status: "completed", modelId: "model-1", totalBytes: stories.length, downloadedBytes: stories.length, error: null });
    expect(shaOfFile(modelPath(h, "stories260K.gguf"))).toBe(sha(stories));
    expect(h.registered).toEqual([modelPath(h, "stories260K.gguf")]);
    expect(fs.existsSync(stagingOf(h, started.id))).toBe(false);
    expect(statuses(h.events)).toEqual(["queued", "downloading", "verifying", "completed"]);
    const log = hf.requests.slice(from);
    expect(log.some((r) => r.method === "HEAD" && r.status === 302)).toBe(true);
    expect(log.some((r) => r.path.startsWith("/cdn/") && r.status === 206)).toBe(true);
    // A second download of the same file is refused while it is in the models folder.
    await expect(h.manager.start({ repo: REPO, fileName: "stories260K.gguf" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("completes when the connection drops at 30%, with an identical file", async () => {
    const h = harness();
    hf.setFault({ kind: "drop", atFraction: 0.3, times: 1, file: "stories260K.gguf" });
    const from = hf.requests.length;
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    expect(await waitFor(h.manager, id, ended)).toMatchObject({ status: "completed" });
    expect(shaOfFile(modelPath(h, "stories260K.gguf"))).toBe(sha(stories));
    const sent = rangedBytes("stories260K.gguf", from);
    console.info(`[drop 30%] ranged bytes ${sent} for a ${stories.length}-byte file (re-transferred ${sent - stories.length})`);
    expect(sent).toBeGreaterThan(stories.length);
    expect(sent - stories.length).toBeLessThan(stories.length);
  });

  it("detects a stalled transfer and resumes from the completed chunk", async () => {
    const h = harness({ stallTimeoutMs: 1000 });
    hf.setFault({ kind: "stall", afterFraction: 0.9, forMs: 60_000, file: "stories-big.gguf" });
    const from = hf.requests.length;
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories-big.gguf" });
    const done = await waitFor(h.manager, id, ended);
    expect(done).toMatchObject({ status: "completed" });
    expect(done.attempts).toBeGreaterThanOrEqual(1);
    expect(statuses(h.events)).toContain("retrying");
    expect(shaOfFile(modelPath(h, "stories-big.gguf"))).toBe(sha(big));
    // After the stall only the unfinished chunk is fetched again, not the file from its start.
    const retriedAt = h.events.find((e) => e.status === "retrying")!.updatedAt;
    const after = hf.requests.slice(from).filter((r) => r.file === "stories-big.gguf" && r.range !== null && r.at >= retriedAt);
    const again = after.reduce((sum, r) => sum + r.bytesSent, 0);
    console.info(`[stall] after the stall: ${again} bytes re-fetched of ${big.length} (${after.map((r) => r.range).join(", ")})`);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => !r.range!.startsWith("bytes=0-"))).toBe(true);
    expect(again).toBeLessThan(big.length);
  });

  it("retries server errors with backoff", async () => {
    const h = harness();
    hf.setFault({ kind: "status", status: 500, times: 2, file: "stories260K.gguf" });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    const done = await waitFor(h.manager, id, ended);
    expect(done).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("resumes from the partial file after the process is killed mid-download", async () => {
    const dir = tempDir("hearth-dl-kill-");
    const childScript = await buildChildScript("test/integration/download-child.ts", builtDirs);
    hf.setFault({ kind: "slow", bytesPerSecond: 2_000_000, file: "stories-big.gguf" });
    const child = spawn(process.execPath, [childScript, dir, hf.url, REPO, "stories-big.gguf"], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Kill once the downloader has recorded a finished chunk in its partial file (its chunk map follows the data).
    const partial = await waitForPartialWithMap(path.join(dir, "downloads"), "stories-big.gguf.ipull", big.length, child, () => stderr);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const partialBytes = fs.statSync(partial).size;
    hf.setFault(null);

    const from = hf.requests.length;
    const h = harness({}, dir);
    const [row] = h.manager.list();
    expect(row?.status).toBe("downloading");
    await h.manager.resumeInterrupted();
    const done = await waitFor(h.manager, row!.id, ended);
    expect(done).toMatchObject({ status: "completed", modelId: "model-1" });
    expect(shaOfFile(modelPath(h, "stories-big.gguf"))).toBe(sha(big));
    const again = rangedBytes("stories-big.gguf", from);
    const probe = hf.requests.slice(from).filter((r) => r.file === "stories-big.gguf" && r.range === null).reduce((s, r) => s + r.bytesSent, 0);
    console.info(
      `[kill] file ${big.length} bytes; partial file at kill ${partialBytes} bytes; after restart ${again} bytes fetched ` +
        `by ranged reads (+${probe} pushed into the downloader's unread probe GET)`,
    );
    expect(again).toBeLessThan(big.length);
  });

  it("rejects a file whose sha256 does not match, deleting it and registering nothing", async () => {
    const h = harness();
    hf.setFault({ kind: "wrong-sha", file: "stories260K.gguf" });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    const done = await waitFor(h.manager, id, ended);
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "DOWNLOAD_CHECKSUM" });
    expect(done.error?.message).toMatch(/checksum/);
    expect(fs.existsSync(stagingOf(h, id))).toBe(false);
    expect(fs.existsSync(modelPath(h, "stories260K.gguf"))).toBe(false);
    expect(h.registered).toEqual([]);
  });

  it("fails with DISK_FULL before fetching a byte when the disk is too small", async () => {
    const h = harness({ freeDiskBytes: async () => 50_000_000 });
    const before = hf.bytesServed("stories260K.gguf");
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    const done = await waitFor(h.manager, id, ended);
    expect(done.error).toMatchObject({ code: "DISK_FULL" });
    expect(done.error?.message).toMatch(/1\.2 MB.*50 MB free/);
    expect(hf.bytesServed("stories260K.gguf")).toBe(before);
  });

  it("maps 404 to NOT_FOUND and a gated repository to GATED_MODEL, then succeeds with the token", async () => {
    const h = harness();
    const missing = await h.manager.start({ repo: REPO, fileName: "nope.gguf" });
    expect((await waitFor(h.manager, missing.id, ended)).error).toMatchObject({ code: "NOT_FOUND" });

    const gated = await h.manager.start({ repo: GATED, fileName: "gated-stories.gguf" });
    const refused = await waitFor(h.manager, gated.id, ended);
    expect(refused.error).toMatchObject({ code: "GATED_MODEL" });
    expect(refused.error?.message).toMatch(/access token.*Settings/);
    h.setToken(TOKEN);
    await h.manager.resume(gated.id);
    expect(await waitFor(h.manager, gated.id, ended)).toMatchObject({ status: "completed", error: null });
  });

  it("pauses keeping the partial file and resumes from it; refuses a duplicate meanwhile", async () => {
    const h = harness();
    hf.setFault({ kind: "slow", bytesPerSecond: 1_500_000, file: "stories-big.gguf" });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories-big.gguf" });
    // Pause once the smaller chunk (2 MB) has been written.
    await waitForPartialWithMap(stagingOf(h, id), "stories-big.gguf.ipull", big.length);
    const moving = h.events.find((e) => e.status === "downloading" && e.bytesPerSecond > 0);
    expect(moving?.etaSeconds).toBeGreaterThan(0);
    const paused = await h.manager.pause(id);
    expect(paused.status).toBe("paused");
    expect(fs.existsSync(path.join(stagingOf(h, id), "stories-big.gguf.ipull"))).toBe(true);
    await expect(h.manager.start({ repo: REPO, fileName: "stories-big.gguf" })).rejects.toMatchObject({ code: "BUSY" });
    // Ranged reads only: the downloader's unread probe GET stays open and its socket keeps filling.
    const sentWhilePaused = rangedBytes("stories-big.gguf");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rangedBytes("stories-big.gguf") - sentWhilePaused).toBeLessThan(100_000);

    hf.setFault(null);
    const from = hf.requests.length;
    await h.manager.resume(id);
    expect(await waitFor(h.manager, id, ended)).toMatchObject({ status: "completed" });
    expect(shaOfFile(modelPath(h, "stories-big.gguf"))).toBe(sha(big));
    expect(rangedBytes("stories-big.gguf", from)).toBeLessThan(big.length);
  });

  it("cancels, deleting the partial file", async () => {
    const h = harness();
    hf.setFault({ kind: "slow", bytesPerSecond: 500_000, file: "stories260K.gguf" });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    await waitFor(h.manager, id, (d) => d.downloadedBytes > 100_000);
    const cancelled = await h.manager.cancel(id);
    expect(cancelled.status).toBe("cancelled");
    expect(fs.existsSync(stagingOf(h, id))).toBe(false);
    expect(fs.existsSync(modelPath(h, "stories260K.gguf"))).toBe(false);
    expect(h.registered).toEqual([]);
  });

  it("fails, and removes the file, when the verified file is not a usable GGUF", async () => {
    const h = harness();
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories-cut.gguf" });
    const done = await waitFor(h.manager, id, ended);
    expect(done.error).toMatchObject({ code: "GGUF_TRUNCATED" });
    expect(fs.existsSync(modelPath(h, "stories-cut.gguf"))).toBe(false);
    expect(h.registered).toEqual([]);
  });

  it("downloads and verifies every part of a split model", async () => {
    const registered: string[][] = [];
    const h = harness({
      // A byte split is not a llama.cpp split, so this checks the parts arrive side by side instead of loading them.
      register: async ({ path: first }) => {
        registered.push(fs.readdirSync(path.dirname(first)).sort());
        return "split-model";
      },
    });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories-split-00001-of-00002.gguf" });
    const done = await waitFor(h.manager, id, ended);
    expect(done).toMatchObject({ status: "completed", modelId: "split-model", totalBytes: stories.length });
    expect(registered).toEqual([["stories-split-00001-of-00002.gguf", "stories-split-00002-of-00002.gguf"]]);
    expect(shaOfFile(modelPath(h, "stories-split-00001-of-00002.gguf"))).toBe(sha(split1!));
    expect(shaOfFile(modelPath(h, "stories-split-00002-of-00002.gguf"))).toBe(sha(split2!));
  });

  it("keeps partial files on dispose and resumes them on the next start", async () => {
    const h = harness();
    hf.setFault({ kind: "slow", bytesPerSecond: 1_500_000, file: "stories-big.gguf" });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories-big.gguf" });
    await waitForPartialWithMap(stagingOf(h, id), "stories-big.gguf.ipull", big.length);
    await h.manager.dispose();
    expect(fs.existsSync(path.join(stagingOf(h, id), "stories-big.gguf.ipull"))).toBe(true);
    hf.setFault(null);
    const again = harness({}, h.dir);
    expect(again.manager.list()[0]?.status).toBe("downloading");
    await again.manager.resumeInterrupted();
    expect(await waitFor(again.manager, id, ended)).toMatchObject({ status: "completed" });
  });
});

const GET_BIG = "GET /acme/stories-GGUF/resolve/main/stories-big.gguf";
const GET_STORIES = "GET /acme/stories-GGUF/resolve/main/stories260K.gguf";
/** The audit entries of a download's transfer attempts (GET), oldest first; the probes are HEAD entries. */
const transfers = (audit: AuditLog, payload: string) =>
  audit.list({}).filter((e) => e.purpose === "download" && e.payload === payload).reverse();

describe("downloads in the audit log", () => {
  it("opens the entry before the first byte and logs a cancelled download with the bytes it received", async () => {
    const h = harness();
    hf.setFault({ kind: "slow", bytesPerSecond: 500_000, file: "stories260K.gguf" });
    const from = hf.requests.length;
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    // Past one second of transfer, so the entry has been written at least once while the bytes flowed.
    await waitFor(h.manager, id, (d) => d.downloadedBytes > 700_000);
    const progressAtCancel = h.manager.list().find((d) => d.id === id)!.downloadedBytes;
    await h.manager.cancel(id);
    const served = rangedBytes("stories260K.gguf", from);
    const [entry, ...more] = transfers(h.audit, GET_STORIES);
    console.info(`[audit cancel] ${JSON.stringify(entry)}; progress at cancel ${progressAtCancel} B, ranged bytes served ${served} B`);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ outcome: "aborted", error: "Cancelled", bytesSent: 0, host: new URL(hf.url).host });
    expect(entry!.durationMs).not.toBeNull();
    // The true count: at least what the downloader reported, at most what the server put on the wire.
    expect(entry!.bytesReceived).toBeGreaterThanOrEqual(progressAtCancel);
    expect(entry!.bytesReceived).toBeLessThanOrEqual(served);
    // Opened before the first byte: its first report had no bytes and no end, and came before any file request.
    const first = h.auditEvents.find((e) => e.id === entry!.id)!;
    expect(first).toMatchObject({ bytesReceived: 0, durationMs: null });
    const firstRequest = hf.requests.slice(from).find((r) => r.file === "stories260K.gguf" && r.method === "GET")!;
    expect(entry!.time).toBeLessThanOrEqual(firstRequest.at);
    // Bytes were reported while they flowed, not only at the end.
    expect(h.auditEvents.some((e) => e.id === entry!.id && e.durationMs === null && e.bytesReceived > 0)).toBe(true);
    // The probe is logged too, as its own entry.
    expect(h.audit.list({}).find((e) => e.payload === "HEAD /acme/stories-GGUF/resolve/main/stories260K.gguf")).toMatchObject({ outcome: "ok" });
  });

  it("logs a checksum failure with the bytes that arrived, as failed", async () => {
    const h = harness();
    hf.setFault({ kind: "wrong-sha", file: "stories260K.gguf" });
    const { id } = await h.manager.start({ repo: REPO, fileName: "stories260K.gguf" });
    expect((await waitFor(h.manager, id, ended)).error).toMatchObject({ code: "DOWNLOAD_CHECKSUM" });
    const [entry, ...more] = transfers(h.audit, GET_STORIES);
    console.info(`[audit checksum] ${JSON.stringify(entry)}`);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ outcome: "error", bytesReceived: stories.length });
    expect(entry!.error).toMatch(/checksum/);
  });

  it("a download killed mid-transfer leaves an entry with the bytes so far, which the next start marks interrupted", async () => {
    const dir = tempDir("hearth-dl-kill-audit-");
    const childScript = await buildChildScript("test/integration/download-child.ts", builtDirs);
    hf.setFault({ kind: "slow", bytesPerSecond: 2_000_000, file: "stories-big.gguf" });
    const from = hf.requests.length;
    const child = spawn(process.execPath, [childScript, dir, hf.url, REPO, "stories-big.gguf"], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await waitForPartialWithMap(path.join(dir, "downloads"), "stories-big.gguf.ipull", big.length, child, () => stderr);
    // Past 2.5 MB, so more than one throttled write of the entry has happened.
    const deadline = Date.now() + 20_000;
    while (rangedBytes("stories-big.gguf", from) < 2_500_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const served = rangedBytes("stories-big.gguf", from);
    const reported = Math.max(0, ...stdout.trim().split("\n").map((line) => (JSON.parse(line) as { downloadedBytes: number }).downloadedBytes));
    hf.setFault(null);

    // What the dead process left, read straight from the database.
    const db = openDatabase(path.join(dir, "hearth.db"));
    const [left] = transfers(new AuditLog(db), GET_BIG);
    db.close();
    console.info(`[audit kill] left by the killed process: ${JSON.stringify(left)}; ranged bytes served ${served} B, last progress ${reported} B`);
    expect(left).toMatchObject({ outcome: "aborted", durationMs: null, error: null });
    // Written at most 1 MiB (or 1 s) behind what arrived.
    expect(left!.bytesReceived).toBeGreaterThan(0);
    expect(left!.bytesReceived).toBeLessThanOrEqual(served);
    expect(left!.bytesReceived).toBeGreaterThanOrEqual(Math.min(reported, served) - 1024 * 1024 - 200_000);

    // A new core finds it and says what happened; the bytes stay.
    const core = await createCore({ dataDir: dir, shell: "browser", threads: 1, huggingFaceEndpoint: hf.url, policyFile: null });
    try {
      const after = (await call<AuditEntry[]>(core, "listAudit", {})).find((e) => e.id === left!.id);
      console.info(`[audit kill] after the next start: ${JSON.stringify(after)}`);
      expect(after).toMatchObject({ outcome: "aborted", error: INTERRUPTED, bytesReceived: left!.bytesReceived });
    } finally {
      await core.dispose();
    }
  });
});

/** Waits until the downloader's partial file holds its chunk map after the data: a chunk is safely on disk. */
async function waitForPartialWithMap(
  dir: string,
  name: string,
  fileBytes: number,
  child?: ChildProcess,
  log?: () => string,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = findFile(dir, name);
    if (found && fs.statSync(found).size > fileBytes) return found;
    if (child && child.exitCode !== null) throw new Error(`the download process exited early:\n${log?.()}`);
    if (Date.now() > deadline) throw new Error(`no partial file with a chunk map in ${dir}\n${log?.() ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function findFile(dir: string, name: string): string | null {
  if (!fs.existsSync(dir)) return null;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    } else if (entry.name === name) {
      return full;
    }
  }
  return null;
}
