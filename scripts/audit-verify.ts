import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { AuditKey } from "../electron/core/cloud/audit-key.js";
import { verifyAuditLog, type AuditVerification } from "../electron/core/cloud/audit-verification.js";
import { fileKeyCipher } from "../electron/core/secrets/secret-store.js";
import { DatabaseKey } from "../electron/core/store/database-key.js";
import { connect } from "../electron/core/store/database.js";

const USAGE = "Usage: npm run -s audit:verify -- --data-dir DIR [--json] [--require-signatures]";

/**
 * Verifies the audit log in a Hearth data folder, read-only: the hash chain in the database, each link's signature
 * and the signed head file (audit-head.json) outside it.
 *
 * Exit codes: 0 intact, 1 a link is broken, 2 the folder cannot be read, 3 (only with --require-signatures) nothing
 * was found broken but the signatures could not be checked.
 * Keys are unsealed here only where the data folder's key file seals them (browser/Node mode). A key sealed by the OS
 * keychain (the desktop app) cannot be: the hashes and the head file's position are still checked, the report says
 * the signatures were not ("signatures": "unchecked"), and the exit code stays 0 unless --require-signatures is given.
 * An encrypted database whose key the keychain seals cannot be opened at all here; use Verify in the app.
 */
export function verifyDataDir(dataDir: string): AuditVerification {
  const file = path.join(dataDir, "hearth.db");
  if (!fs.existsSync(file)) throw new Error(`No Hearth database in ${dataDir}.`);
  const keyFile = path.join(dataDir, "database.key");
  const secretsKey = path.join(dataDir, "secrets.key");
  // Never create a key file here: only an existing one can unseal what it sealed.
  const fileCipher = fs.existsSync(secretsKey) ? fileKeyCipher(secretsKey) : null;
  let key: Buffer | null = null;
  if (fs.existsSync(keyFile)) {
    if (!fileCipher) throw new Error("The database is encrypted with a key sealed by the OS keychain; use Verify in the app.");
    key = new DatabaseKey(keyFile, fileCipher).load();
  }
  const auditKey = AuditKey.inDataDir(dataDir, fileCipher);
  const db = connect(file, { key, readonly: true, fileMustExist: true });
  try {
    return verifyAuditLog(db, { dataDir, keyReading: auditKey.exists() ? auditKey.load() : null });
  } finally {
    db.close();
  }
}

export function main(argv = process.argv.slice(2)): number {
  const { values } = parseArgs({
    args: argv,
    options: { "data-dir": { type: "string" }, json: { type: "boolean" }, "require-signatures": { type: "boolean" } },
  });
  const dataDir = values["data-dir"];
  if (!dataDir) {
    console.error(USAGE);
    return 2;
  }
  let report: AuditVerification;
  try {
    report = verifyDataDir(dataDir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (values.json) console.log(JSON.stringify(report));
  else if (report.ok) {
    const signed = report.signatures === "checked" ? "; signatures and head checked" : "";
    console.log(`Intact: ${report.entries} entries (${report.links} links)${signed}.${report.note ? ` ${report.note}` : ""}`);
  } else {
    const broken = report.firstBroken!;
    console.log(`Broken at link ${broken.seq}${broken.entryId ? ` (entry ${broken.entryId})` : ""}: ${broken.reason}`);
    if (report.note) console.log(report.note);
  }
  if (!report.ok) return 1;
  return values["require-signatures"] && report.signatures !== "checked" ? 3 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
