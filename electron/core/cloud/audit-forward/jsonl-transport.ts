import fs from "node:fs/promises";
import path from "node:path";
import type { JsonlCollector } from "./collector-config.js";
import type { CollectorTransport } from "./collector-transport.js";
import { fitRecord, jsonLineBytes } from "./record-cap.js";

/**
 * Appends each batch as JSON Lines to a file, or, when the path is a folder (or ends with a separator), to one
 * file a day in it (hearth-audit-YYYY-MM-DD.jsonl, UTC). Files are created owner-only (0600); a batch counts as
 * delivered once it is flushed to disk.
 */
export function jsonlTransport(collector: JsonlCollector, now: () => number = Date.now): CollectorTransport {
  const endsWithSeparator = /[\\/]$/.test(collector.path);

  async function target(): Promise<string> {
    const folder =
      endsWithSeparator ||
      (await fs.stat(collector.path).then(
        (stat) => stat.isDirectory(),
        () => false,
      ));
    if (folder) {
      await fs.mkdir(collector.path, { recursive: true, mode: 0o700 });
      return path.join(collector.path, `hearth-audit-${new Date(now()).toISOString().slice(0, 10)}.jsonl`);
    }
    await fs.mkdir(path.dirname(collector.path), { recursive: true, mode: 0o700 });
    return collector.path;
  }

  return {
    async send(records, signal) {
      signal.throwIfAborted();
      const file = await target();
      const handle = await fs.open(file, "a", 0o600);
      try {
        // Uncapped unless the policy sets maxRecordBytes (a log shipper reading the file may cut long lines).
        const maxBytes = collector.maxRecordBytes ?? null;
        await handle.writeFile(records.map((record) => `${JSON.stringify(fitRecord(record, maxBytes, jsonLineBytes))}\n`).join(""), "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}
