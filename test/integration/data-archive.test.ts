import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppSettings, AuditEntry, Conversation, MethodOutput, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";

const KEY = "sk-archive-test-7f3a9c";
const HF_TOKEN = "hf_archiveSecretToken123";

let provider: FakeProviderServer;
const cores: CoreInternals[] = [];
const dirs: string[] = [];

async function open(): Promise<{ core: CoreInternals; dataDir: string }> {
  const dataDir = tempDir("hearth-archive-");
  dirs.push(dataDir);
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
  cores.push(core);
  return { core, dataDir };
}

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Hello" });
});
afterEach(async () => {
  provider.setFault(null);
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});
afterAll(async () => {
  await provider.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data folder in use: two conversations (one a tree with versions), settings, a provider with a key, audit entries. */
async function fill(core: CoreInternals): Promise<void> {
  const { store } = core;
  const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team vLLM", baseUrl: provider.baseUrl, model: "big", apiKey: KEY, inputPricePerMTok: 1.5 });
  await call(core, "updateSettings", { defaultPrivacyMode: "ask", escalationLevel: "often", redactionTerms: ["Project Falcon"], huggingFaceToken: HF_TOKEN });

  const trip = store.createConversation(null);
  store.renameConversation(trip.id, "Trip to Lisbon");
  await call(core, "updateConversationSettings", { conversationId: trip.id, settings: { privacyMode: "ask", cloudProviderId: saved.id, contextOverflow: "stop-and-ask", systemPrompt: "Be brief." } });
  const u1 = store.addMessage({ conversationId: trip.id, role: "user", content: "Plan three days.", status: "complete" });
  const a1 = store.addMessage({ conversationId: trip.id, role: "assistant", content: "", status: "streaming", modelName: "Qwen3 0.6B" });
  store.finishMessage(a1.id, { content: "Day 1: Alfama.", reasoning: "Three areas.", status: "complete", stats: { timeToFirstTokenMs: 9, tokensPerSecond: 30, outputTokens: 12, evaluatedInputTokens: 20, reasoningMs: 800 }, error: null });
  store.setAnsweredBy(a1.id, { kind: "local", provider: null, model: "Qwen3 0.6B", reason: "Local only", failover: false });
  const a2 = store.addMessage({ conversationId: trip.id, role: "assistant", content: "Second take", status: "complete", parentId: u1.id });
  store.setAnsweredBy(a2.id, { kind: "cloud", provider: "Team vLLM", model: "big", reason: "You asked", failover: false });
  store.addMessage({ conversationId: trip.id, role: "user", content: "Cheaper?", status: "complete" });
  store.setActiveVersion(a1.id);
  const empty = store.createConversation(null);
  store.renameConversation(empty.id, "Empty one");

  // Real audit entries: a provider test that works and one the server refuses.
  await call(core, "testProvider", { providerId: saved.id });
  provider.setFault({ kind: "auth" });
  await call(core, "testProvider", { providerId: saved.id });
  provider.setFault(null);
}

type Everything = {
  conversations: Conversation[];
  files: unknown[];
  settings: Partial<AppSettings>;
  providers: unknown[];
  audit: unknown[];
};

/** What a user can see of a data folder, minus what a restore cannot keep (secrets, audit ids, provider created time). */
async function everything(core: CoreInternals): Promise<Everything> {
  const conversations = await call<Conversation[]>(core, "listConversations", {});
  const files = [];
  for (const c of conversations) {
    const file = JSON.parse((await call<MethodOutput<"exportConversation">>(core, "exportConversation", { conversationId: c.id, format: "json" })).content);
    files.push({ ...file, exportedAt: 0 });
  }
  const { hasHuggingFaceToken: _t, huggingFaceTokenOrigin: _o, modelsDir: _m, secretsWarning: _w, ...settings } = await call<AppSettings>(core, "getSettings", {});
  const providers = (await call<Provider[]>(core, "listProviders", {})).map(({ hasKey: _k, keyOrigin: _ko, createdAt: _c, ...rest }) => rest);
  const audit = (await call<AuditEntry[]>(core, "listAudit", {})).map(({ id: _id, ...rest }) => rest);
  return { conversations, files, settings, providers, audit };
}

describe("Export all data, restored into a new data folder", () => {
  it("loses nothing but the secrets", async () => {
    const a = await open();
    await fill(a.core);
    const before = await everything(a.core);
    expect(before.audit).toHaveLength(2);
    expect(before.audit.map((e) => (e as AuditEntry).outcome).sort()).toEqual(["error", "ok"]);

    const written = await call<MethodOutput<"exportAllData">>(a.core, "exportAllData", {});
    expect(written.counts).toEqual({ conversations: 2, messages: 4, settings: expect.any(Number), providers: 1, auditEntries: 2 });
    expect(path.dirname(written.path)).toBe(path.join(a.dataDir, "exports"));
    const text = fs.readFileSync(written.path, "utf8");
    expect(written.bytes).toBe(Buffer.byteLength(text));
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(HF_TOKEN);
    if (process.platform !== "win32") expect(fs.statSync(written.path).mode & 0o777).toBe(0o600);

    const b = await open();
    const restored = await call<MethodOutput<"importAllData">>(b.core, "importAllData", { path: written.path });
    expect(restored).toEqual(written.counts);
    expect(await everything(b.core)).toEqual(before);
    // Signed and chained again by the new folder's own key.
    expect(await call<{ ok: boolean; entries: number }>(b.core, "verifyAudit", {})).toMatchObject({ ok: true, entries: 2 });
    const settings = await call<AppSettings>(b.core, "getSettings", {});
    expect(settings.hasHuggingFaceToken).toBe(false);
    expect((await call<Provider[]>(b.core, "listProviders", {}))[0]!.hasKey).toBe(false);

    // A second restore into a folder in use is refused, and changes nothing.
    const again = await b.core.call("importAllData", { path: written.path });
    expect(again).toMatchObject({ ok: false, error: { code: "DATABASE_STATE" } });
    expect(await everything(b.core)).toEqual(before);
  });

  it("refuses what is not an archive, a newer one, and a missing file, by name", async () => {
    const { core, dataDir } = await open();
    const write = (name: string, value: unknown) => {
      const file = path.join(dataDir, name);
      fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
      return file;
    };
    const cases: [string, string, RegExp][] = [
      [write("chat.json", { format: "hearth.conversation", version: 1 }), "INVALID_INPUT", /not a Hearth data archive/],
      [write("newer.json", { format: "hearth.archive", version: 2 }), "INVALID_INPUT", /version 2; this Hearth restores version 1/],
      [write("bad.json", { format: "hearth.archive", version: 1, exportedAt: 1, appVersion: null, conversations: [], settings: [], providers: [], audit: [{ id: 1 }] }), "INVALID_INPUT", /damaged: audit\[0\]\.id/],
      [write("deep.json", `${"[".repeat(50_000)}${"]".repeat(50_000)}`), "INVALID_INPUT", /nests deeper/],
      [path.join(dataDir, "missing.json"), "NOT_FOUND", /no archive at that path/],
      [dataDir, "INVALID_INPUT", /not a file/],
    ];
    for (const [file, code, message] of cases) {
      const result = await core.call("importAllData", { path: file });
      expect(result, file).toMatchObject({ ok: false, error: { code } });
      if (!result.ok) expect(result.error.message, file).toMatch(message);
    }
    expect(await call<Conversation[]>(core, "listConversations", {})).toEqual([]);
  });
});
