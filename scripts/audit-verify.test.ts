import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuditLog } from "../electron/core/cloud/audit-log.js";
import { openDatabase } from "../electron/core/store/database.js";
import { main } from "./audit-verify.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-verify-"));
  const db = openDatabase(path.join(dir, "hearth.db"));
  const log = new AuditLog(db);
  const entry = log.begin({
    conversationId: "c",
    conversationTitle: "t",
    purpose: "chat",
    providerName: "OpenAI",
    providerKind: "openai",
    model: "m",
    host: "api.openai.com",
    payload: "{}",
    bytesSent: 2,
  });
  log.finish(entry.id, { bytesReceived: 9, tokensIn: 1, tokensOut: 1, costUsd: 0, outcome: "ok", error: null, durationMs: 5 });
  db.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("audit:verify", () => {
  it("says intact, then names the broken link after the file is edited", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => undefined);
    expect(main(["--data-dir", dir])).toBe(0);
    expect(out).toHaveBeenLastCalledWith("Intact: 1 entries (2 links).");
    const raw = new Database(path.join(dir, "hearth.db"));
    raw.prepare(`UPDATE audit_log SET bytes_received = 1`).run();
    raw.close();
    expect(main(["--data-dir", dir, "--json"])).toBe(1);
    expect(JSON.parse(out.mock.lastCall![0] as string)).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
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
