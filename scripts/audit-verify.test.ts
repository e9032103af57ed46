import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AUDIT_HEAD_FILE } from "../electron/core/cloud/audit-head.js";
import { AuditKey } from "../electron/core/cloud/audit-key.js";
import { AuditLog } from "../electron/core/cloud/audit-log.js";
import { fileKeyCipher, type SecretCipher } from "../electron/core/secrets/secret-store.js";
import { openDatabase } from "../electron/core/store/database.js";
import { rechain } from "../test/audit-forgery.js";
import { main } from "./audit-verify.js";

let dir: string;
let outside: string;

/** Writes two entries (4 links) into `dataDir`, signed with a key sealed by `cipher` when one is given. */
function writeLog(dataDir: string, cipher: SecretCipher | null): void {
  const reading = cipher ? AuditKey.inDataDir(dataDir, cipher).loadOrCreate() : null;
  const seal = reading?.key ? { key: reading.key, dataDir, created: reading.created } : null;
  const log = new AuditLog(openDatabase(path.join(dataDir, "hearth.db")), Date.now, seal);
  for (const n of [1, 2]) {
    const entry = log.begin({
      conversationId: "c",
      conversationTitle: "t",
      purpose: "chat",
      providerName: "OpenAI",
      providerKind: "openai",
      model: "m",
      host: "api.openai.com",
      payload: `{"n":${n}}`,
      bytesSent: 2,
    });
    log.finish(entry.id, { bytesReceived: 9, tokensIn: 1, tokensOut: 1, costUsd: 0, outcome: "ok", error: null, durationMs: 5 });
  }
  log.db.close();
}

function edit(sql: string): void {
  const raw = new Database(path.join(dir, "hearth.db"));
  raw.exec(sql);
  raw.close();
}

/** Stands in for Electron's safeStorage: sealed with a key the CLI cannot see, and labelled as the keychain's. */
const keychainCipher = (): SecretCipher => ({ ...fileKeyCipher(path.join(outside, "keychain.key")), protection: "os-keychain", warning: null });

let out: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-verify-"));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-keychain-"));
  out = vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const lastJson = () => JSON.parse(out.mock.lastCall![0] as string) as Record<string, unknown>;

describe("audit:verify", () => {
  it("says intact, then names the broken link after the file is edited", () => {
    writeLog(dir, fileKeyCipher(path.join(dir, "secrets.key")));
    expect(main(["--data-dir", dir])).toBe(0);
    expect(out).toHaveBeenLastCalledWith("Intact: 2 entries (4 links); signatures and head checked.");
    edit(`UPDATE audit_log SET bytes_received = 1 WHERE payload = '{"n":1}'`);
    expect(main(["--data-dir", dir, "--json"])).toBe(1);
    expect(lastJson()).toMatchObject({ ok: false, firstBroken: { seq: 2 }, signatures: "checked" });
  });

  it("finds the last row deleted (the tail cut)", () => {
    writeLog(dir, fileKeyCipher(path.join(dir, "secrets.key")));
    edit(`DELETE FROM audit_chain WHERE seq = 4; UPDATE audit_log SET bytes_received = 0, tokens_in = NULL, tokens_out = NULL,
      cost_usd = NULL, outcome = 'aborted', duration_ms = NULL WHERE payload = '{"n":2}'`);
    expect(main(["--data-dir", dir])).toBe(1);
    expect(out).toHaveBeenLastCalledWith(expect.stringMatching(/^Broken at link 4: The chain ends at link 3, but the head recorded link 4/));
  });

  it("finds a middle entry rewritten with its hashes recomputed, by its signature", () => {
    writeLog(dir, fileKeyCipher(path.join(dir, "secrets.key")));
    const raw = new Database(path.join(dir, "hearth.db"));
    // Link 2 closes the first entry: its payload is changed and links 2-4 are re-hashed.
    raw.prepare(`UPDATE audit_log SET payload = '{"n":7}' WHERE payload = '{"n":1}'`).run();
    rechain(raw, 2);
    raw.close();
    expect(main(["--data-dir", dir, "--json"])).toBe(1);
    expect(lastJson()).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: expect.stringMatching(/signature does not match/) } });
  });

  it("finds the head file edited", () => {
    writeLog(dir, fileKeyCipher(path.join(dir, "secrets.key")));
    const head = path.join(dir, AUDIT_HEAD_FILE);
    fs.writeFileSync(head, fs.readFileSync(head, "utf8").replace(/"at":\d+/, '"at":1'));
    expect(main(["--data-dir", dir, "--json"])).toBe(1);
    expect(lastJson()).toMatchObject({ ok: false, firstBroken: { reason: expect.stringMatching(/was edited/) } });
  });

  it("with a key sealed by the keychain: checks hashes and the head, says signatures were not checked, exit 3 only on request", () => {
    writeLog(dir, keychainCipher());
    expect(main(["--data-dir", dir, "--json"])).toBe(0);
    expect(lastJson()).toMatchObject({ ok: true, signatures: "unchecked", note: expect.stringMatching(/OS keychain.*not checked/) });
    expect(main(["--data-dir", dir, "--require-signatures"])).toBe(3);
    expect(fs.existsSync(path.join(dir, "secrets.key"))).toBe(false);
    // A cut tail still shows: the head's position needs no key.
    edit(`DELETE FROM audit_chain WHERE seq = 4; UPDATE audit_log SET bytes_received = 0, tokens_in = NULL, tokens_out = NULL,
      cost_usd = NULL, outcome = 'aborted', duration_ms = NULL WHERE payload = '{"n":2}'`);
    expect(main(["--data-dir", dir, "--json"])).toBe(1);
    expect(lastJson()).toMatchObject({ ok: false, signatures: "unchecked", firstBroken: { seq: 4 } });
  });

  it("exits 2 with a message on a folder without a database, and does not create one", () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const empty = path.join(dir, "empty");
    fs.mkdirSync(empty);
    expect(main(["--data-dir", empty])).toBe(2);
    expect(err).toHaveBeenCalledWith(expect.stringMatching(/No Hearth database/));
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
