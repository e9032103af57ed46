import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scoreFile } from "./router-score.js";

const DEV = path.resolve("../shared/data/router/dev.jsonl");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "router-score-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("router:score", () => {
  it("writes {id, score} for every line, deterministically", () => {
    // Every 20th dev row, plus one unlabelled line: the scorer needs only id and prompt.
    const lines = fs.readFileSync(DEV, "utf8").split("\n").filter((l, i) => l.trim() && i % 20 === 0);
    lines.push(JSON.stringify({ id: "new/1", source: "mmlu", prompt: "What is 2 + 2?\nA. 3\nB. 4\nAnswer:" }));
    const input = path.join(dir, "in.jsonl");
    fs.writeFileSync(input, lines.join("\n") + "\n");

    const a = path.join(dir, "a.jsonl");
    const b = path.join(dir, "b.jsonl");
    expect(scoreFile(input, a)).toBe(lines.length);
    scoreFile(input, b);
    const out = fs.readFileSync(a, "utf8");
    expect(out).toBe(fs.readFileSync(b, "utf8"));

    const scored = out.trim().split("\n").map((l) => JSON.parse(l) as { id: string; score: number });
    expect(scored.map((s) => s.id)).toEqual(lines.map((l) => String((JSON.parse(l) as { id: string }).id)));
    for (const s of scored) {
      expect(Object.keys(s)).toEqual(["id", "score"]);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });
});
