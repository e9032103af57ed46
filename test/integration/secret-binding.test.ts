/**
 * Secrets bound to their host: a Hugging Face token or a provider key is sent only to the origin it was entered for,
 * only over https or to loopback; changing the endpoint or base URL to another origin removes it and says so.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppSettings, Provider } from "../../electron/contract/index.js";
import { streamCloudChat, testProviderConnection } from "../../electron/core/cloud/cloud-chat.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { HuggingFaceClient } from "../../electron/core/models/hf-client.js";
import { fileKeyCipher } from "../../electron/core/secrets/secret-store.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const TOKEN = "hf_BoundTokenValue1234567890abcdefXYZ";
const KEY = "sk-bound-Zq8v3N1x7Lw2Rk5Tj9Hc4Pb6";
const GATED = "acme/Gated-GGUF";

let hfA: FakeHf;
let hfB: FakeHf;
let llmA: FakeProviderServer;
let llmB: FakeProviderServer;
const cores: CoreInternals[] = [];

beforeAll(async () => {
  const repos = { [GATED]: { files: { "gated-Q4_0.gguf": storiesModel }, gated: true, token: TOKEN } };
  [hfA, hfB] = await Promise.all([startFakeHf({ repos }), startFakeHf({ repos })]);
  [llmA, llmB] = await Promise.all([
    startFakeProvider({ wire: "openai", apiKey: KEY, reply: "from A" }),
    startFakeProvider({ wire: "openai", reply: "from B" }),
  ]);
});
afterAll(async () => Promise.all([hfA.close(), hfB.close(), llmA.close(), llmB.close()]));
afterEach(async () => Promise.all(cores.splice(0).map((c) => c.dispose())));

async function open(dataDir = tempDir(), policyFile?: string): Promise<CoreInternals> {
  const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: policyFile ?? path.join(dataDir, "no-policy.json") });
  cores.push(core);
  return core;
}

async function close(core: CoreInternals): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.dispose();
}

/** http://localhost:PORT is another origin than the fake's http://127.0.0.1:PORT, on the same server. */
const localhostOf = (port: number, suffix = "") => `http://localhost:${port}${suffix}`;

describe("the Hugging Face token is bound to the endpoint's origin", () => {
  it("changing the endpoint to another host removes the token: the new host never sees it", async () => {
    const core = await open();
    await call(core, "updateSettings", { huggingFaceEndpoint: hfA.url, huggingFaceToken: TOKEN });
    await call(core, "listRepoFiles", { repo: GATED });
    expect(hfA.requests.some((r) => r.authorization)).toBe(true);

    // The case: the endpoint moved to http://localhost:X/x.
    const moved = await call<AppSettings>(core, "updateSettings", { huggingFaceEndpoint: localhostOf(hfB.port, "/x") });
    await core.call("searchModels", { query: "gated" });
    await core.call("listRepoFiles", { repo: GATED });
    await core.call("checkFit", { repo: GATED, fileName: "gated-Q4_0.gguf" });
    // Without the token the gated file is refused: the download fails, and every request it made is on record.
    const { id } = await call<{ id: string }>(core, "startDownload", { repo: GATED, fileName: "gated-Q4_0.gguf" });
    await expect
      .poll(async () => (await call<{ id: string; status: string }[]>(core, "listDownloads", {})).find((d) => d.id === id)?.status, { timeout: 20_000 })
      .toBe("failed");
    expect(hfB.requests.some((r) => r.path.includes("/resolve/main/gated-Q4_0.gguf"))).toBe(true);
    expect(hfB.requests.length).toBeGreaterThan(0);
    expect(hfB.requests.filter((r) => r.authorization)).toEqual([]);
    expect(core.models.hf.headers()).toEqual({});
    expect(moved).toMatchObject({ hasHuggingFaceToken: false, huggingFaceTokenOrigin: null });
    expect(moved.huggingFaceTokenNotice).toBe(
      `The access token was removed because the Hugging Face endpoint changed to ${localhostOf(hfB.port)}; enter it again for the new host.`,
    );

    // The token is gone, not hidden: going back to the first host does not bring it back.
    const back = await call<AppSettings>(core, "updateSettings", { huggingFaceEndpoint: hfA.url });
    expect(back.hasHuggingFaceToken).toBe(false);
    expect(core.models.hf.headers()).toEqual({});
  });

  it("the same host with another path keeps the token; a token entered with a new endpoint is bound to it", async () => {
    const core = await open();
    await call(core, "updateSettings", { huggingFaceEndpoint: hfA.url, huggingFaceToken: TOKEN });
    const samePath = await call<AppSettings>(core, "updateSettings", { huggingFaceEndpoint: `${hfA.url}/mirror` });
    expect(samePath).toMatchObject({ hasHuggingFaceToken: true, huggingFaceTokenOrigin: hfA.url, huggingFaceTokenNotice: null });

    const both = await call<AppSettings>(core, "updateSettings", { huggingFaceEndpoint: hfB.url, huggingFaceToken: TOKEN });
    expect(both).toMatchObject({ hasHuggingFaceToken: true, huggingFaceTokenOrigin: hfB.url, huggingFaceTokenNotice: null });
    await call(core, "listRepoFiles", { repo: GATED });
    expect(hfB.requests.at(-1)).toMatchObject({ authorization: true, status: 200 });
  });

  it("refuses to save a token for plain http to another machine, and changes nothing", async () => {
    const core = await open();
    await call(core, "updateSettings", { huggingFaceEndpoint: hfA.url, huggingFaceToken: TOKEN });
    const refused = await core.call("updateSettings", { huggingFaceEndpoint: "http://hf-mirror.example.invalid", huggingFaceToken: "hf_other" });
    expect(refused).toMatchObject({ ok: false, error: { code: "INSECURE_ENDPOINT" } });
    expect(JSON.stringify(refused)).toMatch(/only over https/);
    expect(await call<AppSettings>(core, "getSettings", {})).toMatchObject({ huggingFaceEndpoint: hfA.url, hasHuggingFaceToken: true });
    expect(core.models.hf.headers()).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it("a policy-fixed endpoint binds the token the same way: a new policy host removes it at start", async () => {
    const dataDir = tempDir();
    const policyFile = path.join(dataDir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ huggingFaceEndpoint: hfA.url }));
    const first = await open(dataDir, policyFile);
    const locked = await first.call("updateSettings", { huggingFaceEndpoint: hfB.url });
    expect(locked).toMatchObject({ ok: false, error: { code: "POLICY_LOCKED" } });
    const stored = await call<AppSettings>(first, "updateSettings", { huggingFaceToken: TOKEN });
    expect(stored.hasHuggingFaceToken).toBe(true);
    await close(first);

    fs.writeFileSync(policyFile, JSON.stringify({ huggingFaceEndpoint: localhostOf(hfB.port) }));
    const before = hfB.requests.length;
    const second = await open(dataDir, policyFile);
    await second.call("listRepoFiles", { repo: GATED });
    expect(hfB.requests.slice(before).length).toBeGreaterThan(0);
    expect(hfB.requests.slice(before).filter((r) => r.authorization)).toEqual([]);
    expect(stored.huggingFaceTokenOrigin).toBe(hfA.url);
    const settings = await call<AppSettings>(second, "getSettings", {});
    expect(settings).toMatchObject({ huggingFaceEndpoint: localhostOf(hfB.port), hasHuggingFaceToken: false });
    expect(settings.huggingFaceTokenNotice).toMatch(/removed because the Hugging Face endpoint changed to http:\/\/localhost:\d+; enter it again/);
  });

  it("refuses to attach the token to plain http to another machine, before any connection", async () => {
    const fetched: string[] = [];
    const client = new HuggingFaceClient({
      endpoint: () => "http://10.255.255.1:8080",
      token: () => TOKEN,
      fetch: async (input) => {
        fetched.push(String(input));
        throw new Error("no connection may be made");
      },
    });
    expect(() => client.headers()).toThrow(/only over https/);
    await expect(client.search("qwen")).rejects.toMatchObject({ code: "INSECURE_ENDPOINT" });
    await expect(client.listFiles(GATED)).rejects.toMatchObject({ code: "INSECURE_ENDPOINT" });
    expect(fetched).toEqual([]);
    // Without a token there is nothing to protect: the request goes (here, to the refusing fetch).
    const anonymous = new HuggingFaceClient({ endpoint: () => "http://10.255.255.1:8080", token: () => null, fetch: client.options.fetch! });
    expect(anonymous.headers()).toEqual({});
    await expect(anonymous.search("qwen")).rejects.toMatchObject({ code: "NETWORK" });
    expect(fetched).toHaveLength(1);
  });

  it("never attaches the token to a URL on another origin than the endpoint's", () => {
    const client = new HuggingFaceClient({ endpoint: () => hfA.url, token: () => TOKEN });
    expect(client.headers(`${hfA.url}/acme/x/resolve/main/a.gguf`)).toEqual({ Authorization: `Bearer ${TOKEN}` });
    expect(client.headers(`${hfB.url}/acme/x/resolve/main/a.gguf`)).toEqual({});
    expect(client.headers(`https://cdn.example.org/a.gguf`)).toEqual({});
  });
});

describe("a provider key is bound to its base URL's origin", () => {
  it("changing only the base URL removes the key: the new server never sees it", async () => {
    const core = await open();
    const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Lab", baseUrl: llmA.baseUrl, model: "m", apiKey: KEY });
    expect(await call(core, "testProvider", { providerId: saved.id })).toMatchObject({ ok: true });
    expect(llmA.requests.at(-1)?.auth).toBe("ok");

    const moved = await call<Provider>(core, "saveProvider", { id: saved.id, kind: "openai-compatible", name: "Lab", baseUrl: llmB.baseUrl, model: "m" });
    expect(await call(core, "testProvider", { providerId: saved.id })).toMatchObject({ ok: true });
    expect(llmB.requests.length).toBeGreaterThan(0);
    expect(llmB.requests.map((r) => r.auth)).toEqual(llmB.requests.map(() => "missing"));
    expect(saved).toMatchObject({ hasKey: true, keyOrigin: llmA.url, keyNotice: null });
    expect(moved).toMatchObject({ hasKey: false, keyOrigin: null });
    expect(moved.keyNotice).toBe(`The API key was removed because the base URL changed to ${llmB.url}; enter it again for the new host.`);
    // The list says the same until a key is entered again.
    expect((await call<Provider[]>(core, "listProviders", {}))[0]).toMatchObject({ hasKey: false, keyNotice: moved.keyNotice });

    const rekeyed = await call<Provider>(core, "saveProvider", { id: saved.id, kind: "openai-compatible", name: "Lab", baseUrl: llmA.baseUrl, model: "m", apiKey: KEY });
    expect(rekeyed).toMatchObject({ hasKey: true, keyOrigin: llmA.url, keyNotice: null });
  });

  it("refuses to save a key for plain http to another machine; nothing is stored", async () => {
    const core = await open();
    const refused = await core.call("saveProvider", { kind: "openai-compatible", name: "LAN", baseUrl: "http://llm.example.invalid/v1", model: "m", apiKey: KEY });
    expect(refused).toMatchObject({ ok: false, error: { code: "INSECURE_ENDPOINT" } });
    expect(await call<Provider[]>(core, "listProviders", {})).toEqual([]);
    // Without a key, a plain-http server is allowed (the form warns that messages would cross unencrypted).
    expect(await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "LAN", baseUrl: "http://llm.example.invalid/v1", model: "m" })).toMatchObject({
      hasKey: false,
    });
  });

  it("refuses to attach a key to plain http to another machine, before any connection", async () => {
    const fetched: string[] = [];
    const refusingFetch: typeof fetch = async (input) => {
      fetched.push(String(input));
      throw new Error("no connection may be made");
    };
    for (const kind of ["openai", "openai-compatible", "anthropic", "gemini"] as const) {
      const provider: Provider = { id: "p", kind, name: "LAN", baseUrl: "http://10.255.255.1/v1", model: "m", hasKey: true, inputPricePerMTok: null, outputPricePerMTok: null, createdAt: 1 };
      const chat = streamCloudChat({ provider, apiKey: KEY, payload: [{ role: "user", content: "hi" }], temperature: 0, maxOutputTokens: 8, signal: new AbortController().signal, fetch: refusingFetch, onTextDelta: () => {} });
      await expect(chat, kind).rejects.toMatchObject({ code: "INSECURE_ENDPOINT" });
      const test = await testProviderConnection({ provider, apiKey: KEY, signal: new AbortController().signal, fetch: refusingFetch });
      expect(test).toMatchObject({ ok: false, message: expect.stringMatching(/only over https/) });
    }
    expect(fetched).toEqual([]);
  });
});

/** Writes the secrets file as the version before binding did: version 1, bare values, no origin. */
function writeLegacySecrets(dataDir: string, entries: Record<string, string>): string {
  const cipher = fileKeyCipher(path.join(dataDir, "secrets.key"));
  const sealed = Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, cipher.encrypt(Buffer.from(value, "utf8")).toString("base64")]));
  const file = path.join(dataDir, "secrets.json");
  fs.writeFileSync(file, JSON.stringify({ version: 1, protection: "file", entries: sealed }));
  return file;
}

describe("secrets stored before binding (no origin) are bound at first start", () => {
  it("binds the token to the endpoint and each key to its base URL, then treats them like any other", async () => {
    const dataDir = tempDir();
    const setup = await open(dataDir);
    await call(setup, "updateSettings", { huggingFaceEndpoint: hfA.url });
    const provider = await call<Provider>(setup, "saveProvider", { kind: "openai-compatible", name: "Lab", baseUrl: llmA.baseUrl, model: "m" });
    await close(setup);
    const file = writeLegacySecrets(dataDir, { huggingFaceToken: TOKEN, [`provider:${provider.id}`]: KEY });

    const core = await open(dataDir);
    expect(await call<AppSettings>(core, "getSettings", {})).toMatchObject({ hasHuggingFaceToken: true, huggingFaceTokenOrigin: hfA.url, huggingFaceTokenNotice: null });
    expect((await call<Provider[]>(core, "listProviders", {}))[0]).toMatchObject({ hasKey: true, keyOrigin: llmA.url });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ version: 2 });
    const sealed = fs.readFileSync(file, "utf8");
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain(hfA.url); // the origin is sealed with the value, so it cannot be edited to another host

    await call(core, "listRepoFiles", { repo: GATED });
    expect(hfA.requests.at(-1)).toMatchObject({ authorization: true, status: 200 });
    const moved = await call<AppSettings>(core, "updateSettings", { huggingFaceEndpoint: hfB.url });
    expect(moved.hasHuggingFaceToken).toBe(false);
  });

  it("a legacy secret bound to plain http on another machine is refused at the send site, before any connection", async () => {
    const dataDir = tempDir();
    const setup = await open(dataDir);
    await call(setup, "updateSettings", { huggingFaceEndpoint: "http://hf-mirror.example.invalid" });
    const provider = await call<Provider>(setup, "saveProvider", { kind: "openai-compatible", name: "LAN", baseUrl: "http://llm.example.invalid/v1", model: "m" });
    await close(setup);
    writeLegacySecrets(dataDir, { huggingFaceToken: TOKEN, [`provider:${provider.id}`]: KEY });

    const connections: string[] = [];
    const core = await createCore({
      dataDir,
      shell: "browser",
      threads: 1,
      policyFile: path.join(dataDir, "no-policy.json"),
      fetch: async (input) => {
        connections.push(String(input instanceof Request ? input.url : input));
        throw new Error("no connection may be made");
      },
    });
    cores.push(core);
    expect(await call<AppSettings>(core, "getSettings", {})).toMatchObject({ hasHuggingFaceToken: true, huggingFaceTokenOrigin: "http://hf-mirror.example.invalid" });
    for (const [method, input] of [
      ["searchModels", { query: "qwen" }],
      ["listRepoFiles", { repo: GATED }],
      ["startDownload", { repo: GATED, fileName: "gated-Q4_0.gguf" }],
    ] as const) {
      const result = await core.call(method, input);
      expect(result, method).toMatchObject({ ok: false, error: { code: "INSECURE_ENDPOINT", message: expect.stringMatching(/hf-mirror\.example\.invalid uses plain http/) } });
    }
    expect(await call(core, "testProvider", { providerId: provider.id })).toMatchObject({ ok: false, message: expect.stringMatching(/only over https/) });
    expect(connections).toEqual([]);
  });

  it("an unreadable secrets file does not stop the start (binding is skipped, the rest of the app works)", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "secrets.json"), JSON.stringify({ version: 2, protection: "file", entries: { huggingFaceToken: "AAAA" } }));
    const core = await open(dataDir);
    expect(await call<unknown[]>(core, "listConversations", {})).toEqual([]);
  });
});
