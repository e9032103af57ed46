import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../electron/contract/index.js";
import { startHttpReceiver, startSyslogReceiver, type HttpReceiver, type SyslogReceiver } from "../fixtures/collector-receivers.js";
import { checkChain, fastTuning, forwardHarness, waitFor, type ForwardHarness } from "../fixtures/forward-harness.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function syslog(): Promise<SyslogReceiver> {
  const receiver = await startSyslogReceiver();
  cleanup.push(() => receiver.close());
  return receiver;
}

async function http(): Promise<HttpReceiver> {
  const receiver = await startHttpReceiver();
  cleanup.push(() => receiver.close());
  return receiver;
}

function harness(...args: Parameters<typeof forwardHarness>): ForwardHarness {
  const h = forwardHarness(...args);
  cleanup.push(() => h.stop().catch(() => undefined));
  return h;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A request body of about 3 MB: multi-byte text, quotes and newlines that JSON escaping grows. */
const BIG = `{"messages":[{"role":"user","content":${JSON.stringify("Grüße \"Anna\" ✓ line\n".repeat(130_000))}}]}`;
const BIG_BYTES = Buffer.byteLength(BIG, "utf8");

/** What the collector can check of a truncated record against the JSON export of the same log. */
function matchesExport(record: Record<string, unknown>, h: ForwardHarness): void {
  const entries = JSON.parse(h.audit.export("json").content) as AuditEntry[];
  const entry = entries.find((e) => e.id === record.entryId)!;
  expect(record.payloadSha256).toBe(sha256(entry.payload));
  expect(record.payloadBytes).toBe(Buffer.byteLength(entry.payload, "utf8"));
  expect(entry.payload.startsWith(String(record.payloadHead))).toBe(true);
}

describe("forwarded records are capped in size", () => {
  it("syslog: a 3 MB payload becomes a 64 KiB message that says it was truncated, with the full payload's hash and size; order kept", async () => {
    expect(BIG_BYTES).toBeGreaterThan(3_000_000);
    const receiver = await syslog();
    const h = harness({ type: "syslog", host: "127.0.0.1", port: receiver.port, transport: "tcp" });
    h.request();
    const big = h.request({ payload: BIG, bytesSent: BIG_BYTES });
    h.request();
    await waitFor(() => h.forwarder.status().pendingCount === 0 && receiver.frames.length >= 6, 20_000, "delivery");

    for (const frame of receiver.frames) expect(Buffer.byteLength(frame.raw, "utf8")).toBeLessThanOrEqual(64 * 1024);
    const records = receiver.frames.map((f) => f.json);
    // Every link, in order, and each still verifies: the state (with the payload's hash) is sent whole.
    expect(checkChain(records).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const cut = records.filter((r) => r.entryId === big);
    expect(cut.map((r) => r.event)).toEqual(["open", "close"]);
    for (const record of cut) {
      expect(record).toMatchObject({ truncated: true, payload: null, payloadBytes: BIG_BYTES, payloadSha256: sha256(BIG), limitBytes: 64 * 1024, bytesSent: BIG_BYTES });
      expect(String(record.payloadHead).length).toBeGreaterThan(20_000);
      matchesExport(record, h);
    }
    expect(receiver.frames.filter((f) => f.json.entryId === big).every((f) => f.structured.endsWith(' truncated="true"]'))).toBe(true);
    // The small ones go whole.
    expect(records.filter((r) => r.entryId !== big).every((r) => r.truncated === undefined && typeof r.payload === "string")).toBe(true);
  });

  it("syslog: the policy's maxRecordBytes sets the cap; an outsized state leaves only the link's hashes and sizes", async () => {
    const receiver = await syslog();
    const h = harness({ type: "syslog", host: "127.0.0.1", port: receiver.port, transport: "tcp", maxRecordBytes: 4096 });
    h.request({ payload: "x".repeat(5000), bytesSent: 5000 });
    const odd = h.request({ conversationTitle: "t".repeat(20_000) });
    h.request();
    await waitFor(() => h.forwarder.status().pendingCount === 0 && receiver.frames.length >= 6, 20_000, "delivery");
    for (const frame of receiver.frames) expect(Buffer.byteLength(frame.raw, "utf8")).toBeLessThanOrEqual(4096);
    const records = receiver.frames.map((f) => f.json);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(records[0]).toMatchObject({ truncated: true, payloadBytes: 5000, limitBytes: 4096 });
    const states = h.db.prepare(`SELECT seq, state FROM audit_chain ORDER BY seq`).all() as { seq: number; state: string }[];
    for (const record of records.filter((r) => r.entryId === odd)) {
      expect(record).toMatchObject({ truncated: true, state: "", conversationTitle: null });
      const state = states.find((s) => s.seq === record.seq)!.state;
      expect(record.stateSha256).toBe(sha256(state));
      expect(record.stateBytes).toBe(Buffer.byteLength(state));
    }
    // The links still follow one another.
    records.forEach((r, i) => expect(r.prevHash).toBe(i === 0 ? "0".repeat(64) : records[i - 1]!.hash));
  });

  it("HTTPS: a huge entry alone in its batch goes truncated (1 MiB by default), so a collector's body limit does not hold up the queue", async () => {
    const receiver = await http();
    receiver.bodyLimit = 1.5 * 1024 * 1024;
    const h = harness({ type: "https", url: receiver.url });
    for (let i = 0; i < 3; i++) h.request();
    const big = h.request({ payload: BIG, bytesSent: BIG_BYTES });
    for (let i = 0; i < 3; i++) h.request();
    await waitFor(() => h.forwarder.status().pendingCount === 0, 20_000, "delivery");
    expect(Math.max(...receiver.bodySizes)).toBeLessThanOrEqual(1.5 * 1024 * 1024);
    const records = receiver.requests.flatMap((r) => r.records);
    expect(checkChain(records).map((r) => r.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    for (const record of records.filter((r) => r.entryId === big)) {
      expect(record).toMatchObject({ truncated: true, payload: null, payloadBytes: BIG_BYTES, limitBytes: 1024 * 1024 });
      matchesExport(record, h);
    }
    expect(h.forwarder.status().lastError).toBeNull();
  });

  it("HTTPS: a batch refused with 413 is sent one record at a time; a single record refused says to lower maxRecordBytes", async () => {
    const receiver = await http();
    receiver.bodyLimit = 16 * 1024;
    const h = harness({ type: "https", url: receiver.url });
    const errors = new Set<string>();
    const watch = setInterval(() => {
      const error = h.forwarder.status().lastError;
      if (error) errors.add(error);
    }, 5);
    cleanup.push(() => clearInterval(watch));
    // About 40 KB in one batch: over the collector's limit, each record well under it.
    for (let i = 0; i < 10; i++) h.request({ payload: `{"content":"${"p".repeat(1500)}"}` });
    await waitFor(() => h.forwarder.status().pendingCount === 0, 20_000, "delivery one at a time");
    expect([...errors]).toContain("the collector refused a batch of 20 records as too large (HTTP 413); sending them one at a time");
    expect(checkChain(receiver.requests.flatMap((r) => r.records)).map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    // One record the collector still refuses (under Hearth's cap, over the collector's): a clear error, nothing skipped.
    h.request({ payload: "q".repeat(40_000), bytesSent: 40_000 });
    await waitFor(() => errors.has("the collector refused one record as too large (HTTP 413); lower maxRecordBytes in the policy's auditCollector"), 20_000, "the single 413");
    expect(h.forwarder.status()).toMatchObject({ deliveredSeq: 20, pendingCount: 2 });
    receiver.bodyLimit = null;
    await waitFor(() => h.forwarder.status().pendingCount === 0, 20_000, "delivery once the collector takes it");
    expect(checkChain(receiver.requests.flatMap((r) => r.records)).map((r) => r.seq)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it("HTTPS: a reply that is not HTTP, or whose headers are huge, is a clear delivery error with memory bounded; then delivery resumes", async () => {
    const receiver = await http();
    const h = harness({ type: "https", url: receiver.url }, { ...fastTuning, timeoutMs: 1000 });
    const errors = new Set<string>();
    const watch = setInterval(() => {
      const error = h.forwarder.status().lastError;
      if (error) errors.add(error);
    }, 5);
    cleanup.push(() => clearInterval(watch));
    const rss = process.memoryUsage().rss;
    receiver.mode = "garbage";
    h.request();
    await waitFor(() => [...errors].some((e) => e.startsWith("the collector's reply is not valid HTTP (HPE_")), 10_000, "the garbage reply");
    receiver.mode = "huge-headers";
    await waitFor(() => errors.has("the collector's reply headers are too large (HPE_HEADER_OVERFLOW)"), 10_000, "the header flood");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    expect(h.forwarder.status()).toMatchObject({ deliveredSeq: 0, pendingCount: 2 });
    receiver.mode = "ok";
    await waitFor(() => h.forwarder.status().pendingCount === 0, 10_000, "delivery after the collector recovered");
    expect(checkChain(receiver.requests.flatMap((r) => r.records)).map((r) => r.seq)).toEqual([1, 2]);
  });

  it("JSON Lines: uncapped by default; with maxRecordBytes each line stays under it", async () => {
    const whole = harness(null);
    const fileA = path.join(whole.dir, "a.jsonl");
    const fileB = path.join(whole.dir, "b.jsonl");
    const a = harness({ type: "jsonl", path: fileA });
    a.request({ payload: BIG, bytesSent: BIG_BYTES });
    await waitFor(() => a.forwarder.status().pendingCount === 0 && a.forwarder.status().deliveredSeq === 2, 20_000, "file A");
    const linesA = fs.readFileSync(fileA, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(linesA.map((r) => r.payload)).toEqual([BIG, BIG]);

    const b = harness({ type: "jsonl", path: fileB, maxRecordBytes: 8192 });
    b.request({ payload: BIG, bytesSent: BIG_BYTES });
    await waitFor(() => b.forwarder.status().pendingCount === 0 && b.forwarder.status().deliveredSeq === 2, 20_000, "file B");
    const text = fs.readFileSync(fileB, "utf8");
    const lines = text.split("\n").filter(Boolean);
    for (const line of lines) expect(Buffer.byteLength(line, "utf8") + 1).toBeLessThanOrEqual(8192);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(checkChain(records)).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({ truncated: true, payloadBytes: BIG_BYTES, payloadSha256: sha256(BIG) });
      matchesExport(record, b);
    }
  });
});
