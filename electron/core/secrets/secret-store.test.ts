import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileKeyCipher, SecretStore } from "./secret-store.js";

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "hearth-secrets-"));

describe("SecretStore with the browser-mode file key", () => {
  it("round-trips secrets across instances without writing them in clear", () => {
    const d = dir();
    const store = new SecretStore(path.join(d, "secrets.json"), fileKeyCipher(path.join(d, "secrets.key")));
    store.set("huggingFaceToken", "hf_abcdefghijklmnopqrstuvwxyz123456");
    expect(store.has("huggingFaceToken")).toBe(true);
    const raw = fs.readFileSync(path.join(d, "secrets.json"), "utf8");
    expect(raw).not.toContain("hf_abcdefghijklmnopqrstuvwxyz123456");
    expect(fs.statSync(path.join(d, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(d, "secrets.key")).mode & 0o777).toBe(0o600);

    const reopened = new SecretStore(path.join(d, "secrets.json"), fileKeyCipher(path.join(d, "secrets.key")));
    expect(reopened.get("huggingFaceToken")).toBe("hf_abcdefghijklmnopqrstuvwxyz123456");
    expect(reopened.warning).toMatch(/not in the system keychain/);
    reopened.set("huggingFaceToken", null);
    expect(new SecretStore(path.join(d, "secrets.json"), fileKeyCipher(path.join(d, "secrets.key"))).get("huggingFaceToken")).toBeNull();
  });

  it("refuses a tampered envelope", () => {
    const d = dir();
    const file = path.join(d, "secrets.json");
    const store = new SecretStore(file, fileKeyCipher(path.join(d, "secrets.key")));
    store.set("k", "value");
    const envelope = JSON.parse(fs.readFileSync(file, "utf8")) as { entries: Record<string, string> };
    const sealed = Buffer.from(envelope.entries.k!, "base64");
    sealed[sealed.length - 1]! ^= 1;
    envelope.entries.k = sealed.toString("base64");
    fs.writeFileSync(file, JSON.stringify(envelope));
    expect(() => new SecretStore(file, fileKeyCipher(path.join(d, "secrets.key"))).get("k")).toThrow();
  });

  it("seals the origin with the value, and reads a version-1 file (no origin) as unbound", () => {
    const d = dir();
    const file = path.join(d, "secrets.json");
    const cipher = fileKeyCipher(path.join(d, "secrets.key"));
    // As the version before binding wrote it: bare values.
    fs.writeFileSync(file, JSON.stringify({ version: 1, protection: "file", entries: { old: cipher.encrypt(Buffer.from("v-old")).toString("base64") } }));
    const store = new SecretStore(file, cipher);
    expect(store.entry("old")).toEqual({ value: "v-old", origin: null });
    store.bind("old", "https://huggingface.co");
    store.set("new", "v-new", "http://127.0.0.1:8080");
    const raw = fs.readFileSync(file, "utf8");
    expect(JSON.parse(raw)).toMatchObject({ version: 2 });
    expect(raw).not.toContain("huggingface.co");
    expect(raw).not.toContain("127.0.0.1");
    const reopened = new SecretStore(file, fileKeyCipher(path.join(d, "secrets.key")));
    expect(reopened.entry("old")).toEqual({ value: "v-old", origin: "https://huggingface.co" });
    expect(reopened.entry("new")).toEqual({ value: "v-new", origin: "http://127.0.0.1:8080" });
    fs.writeFileSync(file, JSON.stringify({ version: 3, protection: "file", entries: {} }));
    expect(() => new SecretStore(file, cipher).get("old")).toThrow(/newer Hearth/);
  });
});
