import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { hasLabels, readJsonl } from "./training/router/dataset.js";
import { extractFeatures } from "../electron/core/router/features.js";
import { DEFAULT_TRAIN, trainRouter, type TrainOptions } from "./training/router/train.js";

/**
 * Trains the escalation router from a labelled JSONL file (the dev.jsonl format) and writes the model file the
 * app ships. Deterministic: the same data and options give the same file.
 *
 * The multiple-choice and word-problem pairs' settings are chosen by inner cross-validation on all rows
 * (selection.ts), the same procedure `npm run bench:router` nests inside each outer fold.
 *
 * Usage: npm run router:train -- [--data FILE] [--out FILE] [--inner-folds N]
 * Defaults: ../shared/data/router/dev.jsonl -> electron/core/router/router-model.json
 */

export const DEFAULT_DATA = path.resolve("../shared/data/router/dev.jsonl");
export const DEFAULT_OUT = path.resolve("electron/core/router/router-model.json");

export function trainToFile(data: string, out: string, options: TrainOptions): { rows: number; bytes: number } {
  const rows = readJsonl(data).filter(hasLabels);
  const features = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: options.hashBits }));
  const { file } = trainRouter(rows, features, options);
  process.stderr.write(`chosen by inner cross-validation: ${String(file.training.selected)}\n`);
  const shares = file.training.heldOutLevelShares as Record<string, Record<string, number>>;
  process.stderr.write("strong-call share per level (rarely / balanced / often; held-out scores, common calibrated scale):\n");
  for (const [source, s] of Object.entries(shares)) {
    process.stderr.write(`  ${source.padEnd(9)} ${[s.rarely!, s.balanced!, s.often!].map((x) => `${(x * 100).toFixed(1)}%`).join(" / ")}\n`);
  }
  const text = JSON.stringify({ ...file, training: { ...file.training, data: path.basename(data) } }) + "\n";
  fs.writeFileSync(out, text);
  return { rows: rows.length, bytes: Buffer.byteLength(text) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  let data = DEFAULT_DATA;
  let out = DEFAULT_OUT;
  const options: TrainOptions = { ...DEFAULT_TRAIN, grid: { ...DEFAULT_TRAIN.grid } };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case "--data": data = path.resolve(value); break;
      case "--out": out = path.resolve(value); break;
      case "--inner-folds": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 2 || n > 10) throw new Error("--inner-folds needs a whole number from 2 to 10");
        options.grid.innerFolds = n;
        break;
      }
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  const t0 = Date.now();
  const { rows, bytes } = trainToFile(data, out, options);
  process.stdout.write(`trained on ${rows} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${out} (${(bytes / 1024).toFixed(0)} KiB)\n`);
}
