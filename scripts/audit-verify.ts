import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { verifyAuditChain, type VerifyReport } from "../electron/core/cloud/audit-chain.js";
import { fileKeyCipher } from "../electron/core/secrets/secret-store.js";
import { DatabaseKey } from "../electron/core/store/database-key.js";
import { connect } from "../electron/core/store/database.js";

/**
 * Verifies the audit log's hash chain in a Hearth data folder, read-only.
 *
 * Usage: npm run -s audit:verify -- --data-dir DIR [--json]
 *   Exit 0 when intact, 1 when a link is broken, 2 when the folder cannot be read.
 *   An encrypted database can be opened here only where its key is sealed by the key file (browser/Node mode);
 *   a key sealed by the OS keychain needs the app's Verify button.
 */
export function verifyDataDir(dataDir: string): VerifyReport {
  const file = path.join(dataDir, "hearth.db");
  if (!fs.existsSync(file)) throw new Error(`No Hearth database in ${dataDir}.`);
  const keyFile = path.join(dataDir, "database.key");
  const secretsKey = path.join(dataDir, "secrets.key");
  let key: Buffer | null = null;
  if (fs.existsSync(keyFile)) {
    // Never create a key file here: only an existing one can unseal the database key.
    if (!fs.existsSync(secretsKey)) throw new Error("The database is encrypted with a key sealed by the OS keychain; use Verify in the app.");
    key = new DatabaseKey(keyFile, fileKeyCipher(secretsKey)).load();
  }
  const db = connect(file, { key, readonly: true, fileMustExist: true });
  try {
    return verifyAuditChain(db);
  } finally {
    db.close();
  }
}

export function main(argv = process.argv.slice(2)): number {
  const { values } = parseArgs({ args: argv, options: { "data-dir": { type: "string" }, json: { type: "boolean" } } });
  const dataDir = values["data-dir"];
  if (!dataDir) {
    console.error("Usage: npm run -s audit:verify -- --data-dir DIR [--json]");
    return 2;
  }
  let report: VerifyReport;
  try {
    report = verifyDataDir(dataDir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (values.json) console.log(JSON.stringify(report));
  else if (report.ok) console.log(`Intact: ${report.entries} entries (${report.links} links).`);
  else {
    const broken = report.firstBroken!;
    console.log(`Broken at link ${broken.seq}${broken.entryId ? ` (entry ${broken.entryId})` : ""}: ${broken.reason}`);
  }
  return report.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
