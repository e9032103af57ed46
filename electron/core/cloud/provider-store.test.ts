import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { providerSchema } from "../../contract/index.js";
import { fileKeyCipher, SecretStore } from "../secrets/secret-store.js";
import { openDatabase, type Db } from "../store/database.js";
import { normalizeBaseUrl, ProviderStore } from "./provider-store.js";

const key = "sk-proj-ZZtopSecret0123456789abcdefghij";

describe("ProviderStore", () => {
  let dir: string;
  let db: Db;
  let store: ProviderStore;
  const dbFile = () => path.join(dir, "hearth.db");
  const openStore = () => new ProviderStore(db, new SecretStore(path.join(dir, "secrets.json"), fileKeyCipher(path.join(dir, "secrets.key"))));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-providers-"));
    db = openDatabase(dbFile());
    store = openStore();
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every byte the database has on disk (main file, WAL and shared memory). */
  const databaseBytes = () => {
    db.pragma("wal_checkpoint(PASSIVE)");
    return Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith("hearth.db")).map((f) => fs.readFileSync(path.join(dir, f))));
  };

  it("keeps the key in the secret store only: never in the database, never in list()", () => {
    const saved = store.save({ kind: "openai", name: "OpenAI", model: "gpt-4.1", apiKey: key, inputPricePerMTok: 2, outputPricePerMTok: 8 });
    expect(providerSchema.parse(saved)).toEqual(saved);
    expect(saved).toMatchObject({ kind: "openai", name: "OpenAI", baseUrl: null, hasKey: true, inputPricePerMTok: 2, outputPricePerMTok: 8 });
    expect(JSON.stringify(store.list())).not.toContain(key);
    expect(Object.keys(store.list()[0]!)).not.toContain("apiKey");
    expect(store.apiKey(saved.id)).toBe(key);
    expect(databaseBytes().includes(Buffer.from(key))).toBe(false);
    expect(databaseBytes().includes(Buffer.from("gpt-4.1"))).toBe(true); // the scan does see what is stored
    expect(fs.readFileSync(path.join(dir, "secrets.json"), "utf8")).not.toContain(key);
    // A fresh store (a restart) still finds it.
    expect(openStore().get(saved.id)).toMatchObject({ hasKey: true });
    expect(openStore().apiKey(saved.id)).toBe(key);
  });

  it("updates in place: an omitted key is kept, null deletes it, createdAt stays", () => {
    const saved = store.save({ kind: "anthropic", name: "Claude", model: "claude-sonnet-4-5", apiKey: key });
    const renamed = store.save({ id: saved.id, kind: "anthropic", name: "Claude (work)", model: "claude-opus-4-1" });
    expect(renamed).toMatchObject({ id: saved.id, name: "Claude (work)", model: "claude-opus-4-1", hasKey: true, createdAt: saved.createdAt });
    expect(store.list()).toHaveLength(1);
    expect(store.save({ id: saved.id, kind: "anthropic", name: "Claude", model: "m", apiKey: null })).toMatchObject({ hasKey: false });
    expect(store.apiKey(saved.id)).toBeNull();
  });

  it("removes the provider and its key", () => {
    const saved = store.save({ kind: "gemini", name: "Gemini", model: "gemini-2.5-pro", apiKey: key });
    store.remove(saved.id);
    expect(store.get(saved.id)).toBeNull();
    expect(store.list()).toEqual([]);
    expect(store.apiKey(saved.id)).toBeNull();
  });

  it("requires a base URL for OpenAI-compatible servers and refuses credentials in it", () => {
    expect(() => store.save({ kind: "openai-compatible", name: "vLLM", model: "m" })).toThrow(/needs its base URL/);
    expect(() => store.save({ kind: "openai-compatible", name: "x", model: "m", baseUrl: "https://user:pw@llm.example.org/v1" })).toThrow(/not in the base URL/);
    expect(() => store.save({ kind: "openai-compatible", name: "x", model: "m", baseUrl: "https://llm.example.org/v1?api_key=abc" })).toThrow(/API key field/);
    expect(() => store.save({ kind: "openai", name: "x", model: "m", baseUrl: "file:///etc/passwd" })).toThrow(/https:\/\//);
    expect(() => store.save({ kind: "openai", name: " ", model: "m" })).toThrow(/name/);
    const ollama = store.save({ kind: "openai-compatible", name: "Ollama", model: "llama3.2", baseUrl: "http://localhost:11434/v1/" });
    expect(ollama).toMatchObject({ baseUrl: "http://localhost:11434/v1", hasKey: false });
  });

  it("normalizes base URLs", () => {
    expect(normalizeBaseUrl("https://api.example.org/v1/#x", "openai")).toBe("https://api.example.org/v1");
    expect(normalizeBaseUrl("http://127.0.0.1:8080", "openai-compatible")).toBe("http://127.0.0.1:8080");
    expect(normalizeBaseUrl("https://acme.openai.azure.com/openai/v1/?api-version=preview", "openai-compatible")).toBe(
      "https://acme.openai.azure.com/openai/v1?api-version=preview",
    );
    expect(normalizeBaseUrl("  ", "openai")).toBeNull();
    expect(() => normalizeBaseUrl("https://api.example.org/v1?x=1", "anthropic")).toThrow(/query/);
  });
});
