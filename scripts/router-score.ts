import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readJsonl } from "./training/router/dataset.js";
import { loadRouter } from "../electron/core/router/router.js";

/**
 * Scores every line of a JSONL file in the dev.jsonl format with exactly the shipped router
 * (electron/core/router/router-model.json) and writes {"id", "score"} per line, in input order.
 * Higher score = more in need of the strong model. Deterministic: same input, same bytes out.
 *
 * Usage: npm run -s router:score -- --in FILE.jsonl --out SCORES.jsonl
 */

export function scoreFile(input: string, output: string): number {
  const router = loadRouter();
  const rows = readJsonl(input);
  const lines = rows.map((row) => JSON.stringify({ id: row.id, score: router.score({ prompt: row.prompt }) }));
  fs.writeFileSync(output, lines.length ? lines.join("\n") + "\n" : "");
  return rows.length;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  let input: string | null = null;
  let output: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--in") input = path.resolve(value);
    else if (flag === "--out") output = path.resolve(value);
    else throw new Error(`unknown option ${flag}`);
  }
  if (!input || !output) {
    process.stderr.write("usage: npm run -s router:score -- --in FILE.jsonl --out SCORES.jsonl\n");
    process.exit(2);
  }
  const n = scoreFile(input, output);
  process.stderr.write(`scored ${n} prompts -> ${output}\n`);
}
