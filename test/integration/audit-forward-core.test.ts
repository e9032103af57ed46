import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditForwardingStatus, ChatEvent, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeProvider } from "../fake-providers/fake-provider-server.js";
import { startHttpReceiver, startSyslogReceiver, testCaFile, type HttpReceiver } from "../fixtures/collector-receivers.js";
import { call } from "../fixtures/core-call.js";
import { checkChain, fastTuning, forwardHarness, waitFor, type ForwardHarness } from "../fixtures/forward-harness.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function http(options: Parameters<typeof startHttpReceiver>[0] = {}): Promise<HttpReceiver> {
  const receiver = await startHttpReceiver(options);
  cleanup.push(() => receiver.close());
  return receiver;
}

function harness(...args: Parameters<typeof forwardHarness>): ForwardHarness {
  const h = forwardHarness(...args);
  cleanup.push(() => h.stop().catch(() => undefined));
  return h;
}

const TOKEN = "Bearer collector-token-5up3r5ecret";

describe("audit forwarding over HTTP(S)", () => {
  it("POSTs JSON Lines with the policy's headers; the status and the log never show them", async () => {
    const receiver = await http();
    const h = harness({ type: "https", url: `${receiver.url}?tenant=abc`, headers: { Authorization: TOKEN } });
    h.request();
    h.request();
    await waitFor(() => h.forwarder.status().deliveredSeq === 4, 10_000, "delivery");
    const records = receiver.requests.flatMap((r) => r.records);
    expect(checkChain(records).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(receiver.requests[0]!.headers.authorization).toBe(TOKEN);
    expect(receiver.requests[0]!.headers["content-type"]).toBe("application/x-ndjson");
    expect(h.forwarder.status()).toMatchObject({ kind: "https", target: `http://127.0.0.1:${receiver.port}/ingest`, pendingCount: 0 });

    receiver.mode = "500";
    h.request();
    await waitFor(() => h.forwarder.status().lastError !== null, 10_000, "an error");
    expect(h.forwarder.status()).toMatchObject({ lastError: "the collector answered HTTP 500", deliveredSeq: 4, pendingCount: 2 });
    const shown = JSON.stringify([h.forwarder.status(), h.logs]);
    expect(shown).not.toContain("5up3r5ecret");
    expect(shown).not.toContain("tenant=abc");

    // Back: the failed batch is delivered, after what was delivered before, once.
    receiver.mode = "ok";
    await waitFor(() => h.forwarder.status().pendingCount === 0, 10_000, "delivery after recovery");
    expect(checkChain(receiver.requests.flatMap((r) => r.records)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("HTTPS with the organisation's CA: delivered; a certificate for another name: a clear error", async () => {
    const good = await http({ tls: "ok" });
    const h = harness({ type: "https", url: good.url, ca: testCaFile, headers: { Authorization: TOKEN } });
    h.request();
    await waitFor(() => h.forwarder.status().deliveredSeq === 2, 10_000, "delivery over HTTPS");
    expect(checkChain(good.requests.flatMap((r) => r.records)).map((r) => r.seq)).toEqual([1, 2]);

    const wrong = await http({ tls: "wrong" });
    const mismatch = harness({ type: "https", url: wrong.url, ca: testCaFile, headers: { Authorization: TOKEN } });
    mismatch.request();
    await waitFor(() => mismatch.forwarder.status().lastError !== null, 10_000, "a TLS error");
    expect(mismatch.forwarder.status()).toMatchObject({
      deliveredSeq: 0,
      pendingCount: 2,
      lastError: "the collector's TLS certificate or handshake was refused (ERR_TLS_CERT_ALTNAME_INVALID)",
    });
    expect(wrong.requests).toHaveLength(0);
  });

  it("hostile collectors: a redirect is not followed, a hanging one times out, an endless body is not read; the app stays up", async () => {
    const receiver = await http();
    const h = harness({ type: "https", url: receiver.url, headers: { Authorization: TOKEN } }, { ...fastTuning, timeoutMs: 800 });
    const errors = new Set<string>();
    const watch = setInterval(() => {
      const error = h.forwarder.status().lastError;
      if (error) errors.add(error);
    }, 5);
    cleanup.push(() => clearInterval(watch));

    receiver.mode = "redirect";
    h.request();
    await waitFor(() => errors.has("the collector answered HTTP 307"), 10_000, "the redirect refused");
    receiver.mode = "hang";
    await waitFor(() => errors.has("no answer from the collector within 1 s"), 10_000, "a timeout");
    const rss = process.memoryUsage().rss;
    receiver.mode = "huge-500";
    await waitFor(() => errors.has("the collector answered HTTP 500"), 10_000, "the 500");
    // Several attempts against a server streaming without end: none of it is kept.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    expect(h.forwarder.status()).toMatchObject({ deliveredSeq: 0, pendingCount: 2 });
    // A 2xx is the acknowledgement, whatever body follows it.
    receiver.mode = "huge";
    await waitFor(() => h.forwarder.status().pendingCount === 0, 10_000, "delivery with an endless 200");
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    // Each failure was logged when the state changed, not per retry.
    const warnings = h.logs.filter((l) => l.level === "warn").map((l) => l.fields?.error);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(JSON.stringify(h.logs)).not.toContain("5up3r5ecret");
  });
});

describe("audit forwarding in the running app", () => {
  it("a cloud chat goes on while the collector is down; after a restart of Hearth everything is delivered in order", async () => {
    const fake = await startFakeProvider({ wire: "openai", apiKey: "sk-forward-test-0123456789", reply: "Four." });
    cleanup.push(() => fake.close());
    const probe = await startSyslogReceiver();
    const port = probe.port;
    await probe.close();

    const dataDir = tempDir();
    const policyFile = path.join(dataDir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ auditCollector: { type: "syslog", host: "127.0.0.1", port, transport: "tcp" } }));
    const start = async () => {
      const core = await createCore({ dataDir: path.join(dataDir, "data"), shell: "browser", threads: 1, policyFile, auditForwardTuning: fastTuning });
      cleanup.push(() => core.dispose());
      return core;
    };
    const core = await start();
    const finishes: Extract<ChatEvent, { type: "message-finish" }>[] = [];
    core.subscribe("chat", (e) => {
      if (e.type === "message-finish") finishes.push(e);
    });
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const provider = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team", baseUrl: fake.baseUrl, model: "big", apiKey: "sk-forward-test-0123456789" });
    const conversation = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
    await call(core, "updateConversationSettings", { conversationId: conversation.id, settings: { privacyMode: "auto", cloudProviderId: provider.id, maxOutputTokens: 6 } });

    const chat = async (text: string) => {
      const started = performance.now();
      const sent = await call<{ assistantMessageId: string }>(core, "sendMessage", { conversationId: conversation.id, text, escalate: true });
      await waitFor(() => finishes.some((f) => f.messageId === sent.assistantMessageId), 20_000, "the answer");
      return { finish: finishes.find((f) => f.messageId === sent.assistantMessageId)!, ms: performance.now() - started };
    };
    const first = await chat("What is two plus two?");
    expect(first.finish.status).toBe("complete");
    const current = async () => call<AuditForwardingStatus>(core, "auditForwardingStatus", {});
    const waitStatus = async (ok: (s: AuditForwardingStatus) => boolean, what: string) => {
      const started = Date.now();
      for (;;) {
        const status = await current();
        if (ok(status)) return status;
        if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await waitStatus((s) => s.lastError === "connection refused", "the failure");
    // With the collector down and retrying, the next chat is just as quick.
    const second = await chat("And three plus three?");
    expect(second.finish.status).toBe("complete");
    expect(second.ms).toBeLessThan(Math.max(3000, first.ms * 3));
    const status = await waitStatus((s) => s.pendingCount === 4, "four pending links");
    expect(status).toMatchObject({ configured: true, kind: "syslog", target: `127.0.0.1:${port}`, deliveredSeq: 0 });
    await core.dispose();

    // Hearth restarts with the collector back: the queue was kept in the database.
    const receiver = await startSyslogReceiver({ port });
    cleanup.push(() => receiver.close());
    const again = await start();
    const after = async () => call<AuditForwardingStatus>(again, "auditForwardingStatus", {});
    await waitFor(() => receiver.frames.length >= 4, 10_000, "delivery after the restart");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await after()).toMatchObject({ deliveredSeq: 4, pendingCount: 0, lastError: null });
    const records = receiver.frames.map((f) => f.json);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    checkChain(records);
    expect(records.map((r) => r.event)).toEqual(["open", "close", "open", "close"]);
    expect(records.every((r) => r.purpose === "chat" && r.host === new URL(fake.baseUrl).host)).toBe(true);
  });
});
