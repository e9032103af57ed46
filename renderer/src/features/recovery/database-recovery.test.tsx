import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { DatabaseState } from "../../api/contract.js";
import { RecoveryDialog } from "./DatabaseRecovery.js";
import { encryptionSummary, recoveryText } from "./database-recovery.js";

const ok: DatabaseState = {
  status: "ok",
  damage: null,
  newestGoodBackup: null,
  backupCount: 3,
  restoredFrom: null,
  encrypted: false,
  encryptionRequired: false,
  keyProtection: "os-keychain",
};

const damaged: DatabaseState = {
  ...ok,
  status: "recovery",
  damage: { reason: "the file is empty (0 bytes)", movedTo: ["/data/damaged/hearth-2026.db"], detectedAt: 2 },
  newestGoodBackup: { id: "hearth-0000000000001-000-start.db", createdAt: 1, sizeBytes: 4096 },
};

const time = (ms: number) => `T${ms}`;

describe("the database recovery dialog", () => {
  it("offers the newest good backup by its time, says why and where the damaged file went", () => {
    const text = recoveryText(damaged, time)!;
    expect(text.restoreLabel).toBe("Restore the backup from T1");
    expect(text.detail).toContain("the file is empty (0 bytes)");
    expect(text.detail).toContain("Nothing was deleted");
    const html = renderToStaticMarkup(<RecoveryDialog state={damaged} busy={false} error={null} onChoose={() => undefined} />);
    expect(html).toContain('role="alertdialog"');
    expect(html).toContain("/data/damaged/hearth-2026.db");
    expect(html).toContain('data-testid="database-restore"');
    expect(html).toContain('data-testid="database-start-fresh"');
  });

  it("without a good backup offers only an empty start", () => {
    const text = recoveryText({ ...damaged, newestGoodBackup: null }, time)!;
    expect(text.restoreLabel).toBeNull();
    expect(text.freshLabel).toBe("Start with an empty database");
    const html = renderToStaticMarkup(<RecoveryDialog state={{ ...damaged, newestGoodBackup: null }} busy={false} error={null} onChoose={() => undefined} />);
    expect(html).not.toContain('data-testid="database-restore"');
  });

  it("shows nothing when the database is fine", () => {
    expect(recoveryText(ok, time)).toBeNull();
    expect(renderToStaticMarkup(<RecoveryDialog state={ok} busy={false} error={null} onChoose={() => undefined} />)).toBe("");
  });

  it("says how the key is protected and when the policy requires encryption", () => {
    expect(encryptionSummary(ok)).toMatch(/unencrypted/);
    expect(encryptionSummary({ ...ok, encrypted: true, encryptionRequired: true })).toMatch(/system keychain.*policy requires/);
    expect(encryptionSummary({ ...ok, encrypted: true, keyProtection: "file" })).toMatch(/key file/);
  });
});
