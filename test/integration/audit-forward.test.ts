import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../electron/contract/index.js";
import { startSyslogReceiver, testCaFile, type SyslogReceiver } from "../fixtures/collector-receivers.js";
import { checkChain, forwardHarness, waitFor, type ForwardHarness } from "../fixtures/forward-harness.js";
import { watchSockets } from "../fixtures/socket-watch.js";

/** Everything a test started, stopped after it whatever happened. */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function syslog(options: Parameters<typeof startSyslogReceiver>[0] = {}): Promise<SyslogReceiver> {
  const receiver = await startSyslogReceiver(options);
  cleanup.push(() => receiver.close());
  return receiver;
}

function harness(...args: Parameters<typeof forwardHarness>): ForwardHarness {
  const h = forwardHarness(...args);
  cleanup.push(() => h.stop().catch(() => undefined));
  return h;
}

describe("audit forwarding over syslog", () => {
  it("delivers every chain link in seq order as RFC 5424 over octet-counted TCP, through the egress gate", async () => {
    const receiver = await syslog();
    const watch = await watchSockets();
    cleanup.push(() => watch.restore());
    const h = harness({ type: "syslog", host: "127.0.0.1", port: receiver.port, transport: "tcp", appName: "hearth-test" });
    const ids = [h.request(), h.request(), h.request()];
    await waitFor(() => receiver.frames.length >= 6, 10_000, "six frames");
    await waitFor(() => h.forwarder.status().pendingCount === 0);

    const records = receiver.frames.map((f) => f.json);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(checkChain(records)).toHaveLength(6);
    expect(records.map((r) => [r.entryId, r.event])).toEqual(ids.flatMap((id) => [[id, "open"], [id, "close"]]));
    // The entry as the export writes it, as each link recorded it: open, then closed with its outcome.
    expect(records[0]).toMatchObject({ id: ids[0], outcome: "aborted", durationMs: null, payload: '{"messages":[{"role":"user","content":"request 1"}]}', erased: false });
    expect(records[1]).toMatchObject({ id: ids[0], outcome: "ok", bytesReceived: 10, durationMs: 5, host: "llm.example" });
    // RFC 5424 header: PRI (facility 13 log audit, severity 6 or 4), version 1, timestamp, host, app, procid, msgid.
    expect(receiver.frames[1]!.header).toMatch(/^<110>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ hearth-test \d+ audit$/);
    expect(receiver.frames[0]!.header).toMatch(/^<108>1 /);
    expect(receiver.frames[2]!.structured).toBe(`[hearth@32473 seq="3" event="open" hash="${String(records[2]!.hash)}"]`);

    expect(h.forwarder.status()).toMatchObject({ configured: true, kind: "syslog", target: `127.0.0.1:${receiver.port}`, deliveredSeq: 6, pendingCount: 0, lastError: null });
    // Every connection to the collector was opened inside the egress gate.
    const toCollector = watch.connections.filter((c) => c.port === String(receiver.port));
    expect(toCollector.length).toBeGreaterThan(0);
    expect(toCollector.every((c) => c.byGate)).toBe(true);
  });

  it("the gate refuses any destination other than the policy's collector", () => {
    const h = harness({ type: "syslog", host: "127.0.0.1", port: 6514, transport: "tcp" });
    const other = () => h.gate.collectorNetwork({ type: "syslog", host: "127.0.0.1", port: 6515, transport: "tcp" }, () => "opened");
    expect(other).toThrow(AppError);
    expect(other).toThrow(/only forwards the audit log to the collector the organisation policy names/);
    expect(h.gate.collectorNetwork({ type: "syslog", host: "127.0.0.1", port: 6514, transport: "tcp" }, () => "opened")).toBe("opened");
  });

  it("TLS with the organisation's CA: delivered; a certificate for another name or an unknown CA: a clear error, nothing lost", async () => {
    const good = await syslog({ tls: "ok" });
    const h = harness({ type: "syslog", host: "localhost", port: good.port, transport: "tls", ca: testCaFile });
    h.request();
    h.request();
    await waitFor(() => h.forwarder.status().deliveredSeq === 4, 10_000, "delivery over TLS");
    expect(checkChain(good.frames.map((f) => f.json)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);

    const wrong = await syslog({ tls: "wrong" });
    const mismatch = harness({ type: "syslog", host: "localhost", port: wrong.port, transport: "tls", ca: testCaFile });
    mismatch.request();
    await waitFor(() => mismatch.forwarder.status().lastError !== null, 10_000, "a TLS error");
    expect(mismatch.forwarder.status()).toMatchObject({ deliveredSeq: 0, pendingCount: 2 });
    expect(mismatch.forwarder.status().lastError).toBe("the collector's TLS certificate or handshake was refused (ERR_TLS_CERT_ALTNAME_INVALID)");
    expect(wrong.frames).toHaveLength(0);

    const untrusted = harness({ type: "syslog", host: "localhost", port: good.port, transport: "tls" });
    untrusted.request();
    await waitFor(() => untrusted.forwarder.status().lastError !== null, 10_000, "a TLS error");
    expect(untrusted.forwarder.status().lastError).toMatch(/^the collector's TLS certificate or handshake was refused \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/);
  });

  it("collector down: pending grows, the error shows and is logged once, writing the log stays fast; back up: all delivered in order", async () => {
    const probe = await startSyslogReceiver();
    const port = probe.port;
    await probe.close();
    const h = harness({ type: "syslog", host: "127.0.0.1", port, transport: "tcp" });
    for (let i = 0; i < 5; i++) h.request();
    await waitFor(() => h.forwarder.status().lastError !== null, 10_000, "the first failure");
    // Retries go on in the background; a request's audit writes (what a chat does) are not held up by them.
    const started = performance.now();
    for (let i = 0; i < 20; i++) h.request();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const down = h.forwarder.status();
    expect(down).toMatchObject({ deliveredSeq: 0, pendingCount: 50, lastError: "connection refused" });
    expect(down.lastErrorAt).toBeGreaterThan(Date.now() - 60_000);
    const warnings = h.logs.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: "audit forwarding failed; retrying", fields: { collector: `syslog 127.0.0.1:${port}`, error: "connection refused" } });

    const receiver = await syslog({ port });
    await waitFor(() => h.forwarder.status().pendingCount === 0, 10_000, "delivery after the collector came back");
    const records = receiver.frames.map((f) => f.json);
    // Nothing was taken while it was down, so each link arrives exactly once, in order.
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    checkChain(records);
    expect(h.logs.filter((l) => l.level === "info" && l.message === "audit forwarding resumed")).toHaveLength(1);
    expect(h.forwarder.status().lastDeliveredAt).toBeGreaterThanOrEqual(down.lastErrorAt!);
  });

  it("a restart mid-queue resumes after the last acknowledged link: nothing lost, nothing repeated", async () => {
    const receiver = await syslog();
    const first = forwardHarness({ type: "syslog", host: "127.0.0.1", port: receiver.port, transport: "tcp" });
    first.request();
    first.request();
    await waitFor(() => first.forwarder.status().deliveredSeq === 4, 10_000, "first delivery");
    // The collector goes away; more is written; Hearth quits with it pending.
    receiver.mode = "hang";
    first.request();
    await waitFor(() => first.forwarder.status().lastError !== null, 10_000, "a timeout");
    expect(first.forwarder.status().lastError).toBe("no answer from the collector within 2 s");
    first.request();
    await first.stop();

    receiver.mode = "ok";
    const second = harness({ type: "syslog", host: "127.0.0.1", port: receiver.port, transport: "tcp" }, undefined, first.dir);
    expect(second.forwarder.status()).toMatchObject({ deliveredSeq: 4, pendingCount: 4 });
    second.request();
    await waitFor(() => second.forwarder.status().deliveredSeq === 10, 10_000, "delivery after the restart");
    const seqs = receiver.frames.map((f) => f.json.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    checkChain(receiver.frames.map((f) => f.json));
  });

  it("a collector that floods the connection is cut off with a clear error; the app stays up", async () => {
    const receiver = await syslog({ mode: "flood" });
    const h = harness({ type: "syslog", host: "127.0.0.1", port: receiver.port, transport: "tcp" });
    const rss = process.memoryUsage().rss;
    h.request();
    await waitFor(() => h.forwarder.status().lastError !== null, 10_000, "an error");
    expect(h.forwarder.status().lastError).toBe("the collector sent unexpected data");
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("audit forwarding to JSON Lines", () => {
  it("a folder gets one owner-only file a day, records in order; erased payloads go as tombstones", async () => {
    const h0 = forwardHarness(null);
    const folder = path.join(h0.dir, "collector") + path.sep;
    await h0.stop();
    const h = harness({ type: "jsonl", path: folder });
    // Written and erased before the forwarder's first turn: the collector never sees the text.
    const secret = h.request({ conversationId: "conv-erase", payload: '{"content":"Patient Anna Schmidt"}' });
    h.audit.erasePayloads("conv-erase");
    h.request();
    await waitFor(() => h.forwarder.status().pendingCount === 0 && h.forwarder.status().deliveredSeq > 0, 10_000, "delivery to the folder");
    const files = fs.readdirSync(folder);
    expect(files).toEqual([`hearth-audit-${new Date().toISOString().slice(0, 10)}.jsonl`]);
    const file = path.join(folder, files[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("Anna Schmidt");
    const records = text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    checkChain(records);
    const tombstones = records.filter((r) => r.entryId === secret);
    expect(tombstones.map((r) => r.event)).toEqual(["open", "close", "erase"]);
    for (const r of tombstones) expect(r).toMatchObject({ payload: "", erased: true, host: "llm.example", bytesSent: 40 });
    expect(tombstones[0]!.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a held request's review (why it was held, the decision) is forwarded with its record, inside the hashed state", async () => {
    const h0 = forwardHarness(null);
    const file = path.join(h0.dir, "review.jsonl");
    await h0.stop();
    const h = harness({ type: "jsonl", path: file });
    const review = { heldBecause: "unsure" as const, doubts: [{ reason: "credential" as const, count: 1, types: ["SECRET"] }], decision: "sent" as const, edited: false, bytes: 40 };
    const sent = h.request({ review });
    const declined = h.audit.recordDeclined({ conversationId: "conv-1", conversationTitle: "t", purpose: "chat", providerName: "Acme", providerKind: "openai-compatible", model: "m", host: "llm.example", review: { ...review, decision: "kept-local" } });
    await waitFor(() => h.forwarder.status().deliveredSeq === 3, 10_000, "delivery");
    const records = checkChain(fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>));
    expect(records.map((r) => [r.entryId, r.event])).toEqual([[sent, "open"], [sent, "close"], [declined.id, "decline"]]);
    expect(records[1]!.review).toEqual(review);
    expect(JSON.parse(String(records[1]!.state)).review).toBe(JSON.stringify(review));
    expect(records[2]).toMatchObject({ outcome: "declined", payload: "", bytesSent: 0, review: { decision: "kept-local" } });
  });
});
