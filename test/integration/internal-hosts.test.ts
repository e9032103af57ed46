import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Provider } from "../../electron/contract/index.js";
import { verifyAuditChain } from "../../electron/core/cloud/audit-chain.js";
import { cloudAccess } from "../../electron/core/cloud/cloud-access.js";
import { streamCloudChat } from "../../electron/core/cloud/cloud-chat.js";
import { ProviderStore } from "../../electron/core/cloud/provider-store.js";
import { createCloudHarness, type CloudHarness } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";

/**
 * An organisation's own OpenAI-compatible server (policy `internalHosts`), played by the loopback fake provider:
 * the request is audited exactly as a cloud one is, and the entry (hash-chained) says where it went.
 */
describe("internalHosts: the organisation's own server", () => {
  let server: FakeProviderServer;
  let h: CloudHarness;
  let provider: Provider;
  let port: string;

  beforeAll(async () => {
    server = await startFakeProvider({ wire: "openai", reply: "From the organisation's server." });
    port = new URL(server.baseUrl).port;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    h = createCloudHarness();
    provider = h.providers.save({ kind: "openai-compatible", name: "Corp vLLM", baseUrl: server.baseUrl, model: "m" });
    server.requests.length = 0;
  });
  afterEach(() => h.close());

  const send = async () => {
    let text = "";
    await streamCloudChat({
      provider,
      apiKey: null,
      payload: [{ role: "user", content: "Summarise the quarterly figures." }],
      temperature: 0.2,
      maxOutputTokens: 50,
      signal: new AbortController().signal,
      fetch: h.chatFetch(provider, "auto"),
      onTextDelta: (delta) => (text += delta),
    });
    expect(text).toBe("From the organisation's server.");
    expect(server.requests).toHaveLength(1);
    const entries = h.audit.list({});
    expect(entries).toHaveLength(1);
    return { entry: entries[0]!, received: server.requests[0]! };
  };

  it("declared internal: the entry says organisation and records the exact bytes, under the hash chain", async () => {
    h.policy = { ...h.policy, internalHosts: [`127.0.0.1:${port}`] };
    const { entry, received } = await send();
    expect(entry).toMatchObject({ destination: "organisation", host: `127.0.0.1:${port}`, outcome: "ok", providerName: "Corp vLLM" });
    // Byte for byte what the server received.
    expect(entry.payload).toBe(received.body);
    expect(entry.bytesSent).toBe(Buffer.byteLength(received.body, "utf8"));
    expect(entry.bytesReceived).toBeGreaterThan(0);
    // The live events the UI gets carry it too.
    expect(h.auditEvents.at(-1)).toMatchObject({ id: entry.id, destination: "organisation" });

    // The label is in the tamper-evident state: relabelling it (either way, or removing it) is found.
    expect(verifyAuditChain(h.db).ok).toBe(true);
    for (const forged of ["cloud", null]) {
      h.db.prepare(`UPDATE audit_log SET destination = ? WHERE id = ?`).run(forged, entry.id);
      expect(verifyAuditChain(h.db).firstBroken).toMatchObject({ entryId: entry.id, reason: "The entry was changed after it was chained." });
    }
    h.db.prepare(`UPDATE audit_log SET destination = 'organisation' WHERE id = ?`).run(entry.id);
    expect(verifyAuditChain(h.db).ok).toBe(true);
  });

  it("not declared: the same server is the cloud", async () => {
    const { entry, received } = await send();
    expect(entry.destination).toBe("cloud");
    expect(entry.payload).toBe(received.body);
    // A rule for the same host on another port, or for a name that merely contains it, does not make it internal.
    h.policy = { ...h.policy, internalHosts: [`127.0.0.1:${Number(port) + 1}`, "127.0.0.1.attacker.net", "*.0.0.1"] };
    server.requests.length = 0;
    await streamCloudChat({
      provider,
      apiKey: null,
      payload: [{ role: "user", content: "Again." }],
      temperature: 0.2,
      maxOutputTokens: 50,
      signal: new AbortController().signal,
      fetch: h.chatFetch(provider, "auto"),
      onTextDelta: () => {},
    });
    expect(h.audit.list({}).map((e) => e.destination)).toEqual(["cloud", "cloud"]);
    expect(verifyAuditChain(h.db).ok).toBe(true);
  });

  it("Settings and the privacy bar are told by the core which providers are the organisation's", () => {
    const policy = { ...h.policy, internalHosts: [`127.0.0.1:${port}`] };
    const store = new ProviderStore(h.db, h.secrets, () => policy);
    const other = h.providers.save({ kind: "openai-compatible", name: "Elsewhere", baseUrl: "https://api.example.net/v1", model: "m" });
    expect(store.get(provider.id)).toMatchObject({ internal: true, policyRefusal: null });
    expect(store.get(other.id)).not.toHaveProperty("internal");

    const access = cloudAccess({
      conversation: { id: "conv-1", settings: { privacyMode: "ask", cloudProviderId: provider.id } as never },
      policy,
      providers: [store.get(provider.id)!, store.get(other.id)!],
    });
    expect(access.provider).toMatchObject({ id: provider.id, internal: true });
    expect(access.providerChoices.map((c) => c.internal ?? false)).toEqual([true, false]);
  });

  it("internal is a label, not a permission: Local only still sends nothing", async () => {
    h.policy = { ...h.policy, internalHosts: [`127.0.0.1:${port}`] };
    const error = await streamCloudChat({
      provider,
      apiKey: null,
      payload: [{ role: "user", content: "Secret." }],
      temperature: 0.2,
      maxOutputTokens: 50,
      signal: new AbortController().signal,
      fetch: h.chatFetch(provider, "local"),
      onTextDelta: () => {},
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "EGRESS_BLOCKED" });
    expect(server.requests).toHaveLength(0);
    expect(h.audit.list({})).toHaveLength(0);
  });
});
