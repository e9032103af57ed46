import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonWalkError, walkJsonFile, type JsonWalkLimits } from "./json-file-walk.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-json-walk-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const limits: JsonWalkLimits = { maxNesting: 8, maxValueBytes: 1024 * 1024, maxValues: 100 };
let n = 0;
async function walk(text: string, over: Partial<JsonWalkLimits> = {}) {
  const file = path.join(dir, `f${n++}.json`);
  fs.writeFileSync(file, text);
  const values: unknown[] = [];
  const result = await walkJsonFile(file, { ...limits, ...over }, { onValue: (value) => values.push(value) });
  return { ...result, values };
}
async function refused(text: string, over: Partial<JsonWalkLimits> = {}): Promise<JsonWalkError> {
  const error = await walk(text, over).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JsonWalkError);
  return error as JsonWalkError;
}

describe("walking a JSON file value by value", () => {
  it("hands over each element of a top-level array, or the one top-level value, as JSON.parse reads them", async () => {
    const items = [{ a: 1, b: [true, null, "x"], "__proto__": { polluted: 1 } }, 2, "three", [4, [5]], null, {}];
    const text = JSON.stringify(items);
    expect(await walk(text)).toEqual({ values: JSON.parse(text) as unknown[], shape: "array" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await walk('  {"one": [1, 2]}  ')).toEqual({ values: [{ one: [1, 2] }], shape: "single" });
    expect(await walk("[]")).toEqual({ values: [], shape: "array" });
    // A byte-order mark some editors write first is dropped.
    expect((await walk('\ufeff[{"x": "é"}]')).values).toEqual([{ x: "é" }]);
  });

  it("keeps characters whole across the reader's chunks", async () => {
    // Emoji and accents straddling the 256 KB chunk boundary many times over.
    const text = JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ i, t: "é😀ß".repeat(5_000 + i) })));
    expect((await walk(text, { maxValueBytes: 10 * 1024 * 1024 })).values).toEqual(JSON.parse(text));
  });

  it("says where a file stops being JSON, and that a cut-short file was cut short, with what came before", async () => {
    // Three conversations of 100 KB, then a damaged spot: those completed before the 64 K piece it is in are handed
    // over (the third ends in that piece).
    const long = "y".repeat(100_000);
    const bad = await refused(`[{"a": "${long}"}, {"b": "${long}"}, {"c": "${long}"}, {"d": nope}, {"e": "${long}"}]`);
    expect(bad.message).toMatch(/^The file is not valid JSON after 2 conversations \(near character 3\d\d,\d\d\d\)\.$/);
    expect(bad.completed).toBe(2);
    const cut = await refused('[{"a": 1}, {"b": [1, 2');
    expect(cut.message).toMatch(/^The file ends too early after 1 conversation: it was cut short/);
    // Damage in the last few characters cannot be told from a cut: both are said.
    expect((await refused('[{"a": 1}, {"b": nope}]')).message).toMatch(/after 1 conversation: it was cut short .* or is damaged at its end\.$/);
    expect((await refused("[")).message).toMatch(/ends too early/);
    expect((await refused("")).message).toMatch(/^The file (is empty|ends too early)/);
    expect((await refused("[1] [2]")).message).toMatch(/not valid JSON/);
  });

  it("refuses a file nesting deeper than allowed, a value too large and too many values", async () => {
    expect((await refused(`[${"[".repeat(50)}`)).message).toMatch(/nests deeper than 8 levels/);
    const big = await refused(`[{"ok": 1}, {"t": "${"x".repeat(3 * 1024 * 1024)}"}]`);
    expect(big.message).toMatch(/^Conversation 2 is larger than 1 MB/);
    expect(big.completed).toBe(1);
    expect((await refused(JSON.stringify(Array.from({ length: 101 }, () => 0)))).message).toMatch(/more than 100 conversations/);
  });
});
