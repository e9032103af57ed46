import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createRedactor, emptyPlaceholderMap } from "../electron/core/cloud/redact/redactor.js";

/**
 * Redacts a JSON-lines file with exactly the redactor the app runs before a prompt leaves the machine.
 *
 * Usage: npm run redact -- --in FILE.jsonl --out OUT.jsonl
 * Each input line is an object with "id" and "text"; each output line is {"id", "redacted"}. Every line is its
 * own conversation (a fresh placeholder map).
 */
export function redactLines(input: string): string {
  const redactor = createRedactor();
  const out: string[] = [];
  for (const [index, line] of input.split("\n").entries()) {
    if (line.trim() === "") continue;
    let row: { id: unknown; text: unknown };
    try {
      row = JSON.parse(line) as { id: unknown; text: unknown };
    } catch {
      throw new Error(`line ${index + 1} is not JSON: ${line.slice(0, 80)}`);
    }
    if (typeof row.text !== "string") throw new Error(`line ${index + 1} has no "text" string: ${line.slice(0, 80)}`);
    out.push(JSON.stringify({ id: row.id, redacted: redactor.redact(row.text, emptyPlaceholderMap()).text }));
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

function main(): void {
  const { values } = parseArgs({ options: { in: { type: "string" }, out: { type: "string" } } });
  if (!values.in || !values.out) {
    console.error("usage: npm run redact -- --in FILE.jsonl --out OUT.jsonl");
    process.exit(2);
  }
  try {
    writeFileSync(values.out, redactLines(readFileSync(values.in, "utf8")));
  } catch (error) {
    // A clear line, not a stack trace; nothing is written when the input is bad.
    console.error(`redact: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
