import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EvalSetError, findEvalSetDir, loadEvalSet, parseEvalJsonl, parseMarkup, splitOf } from "./eval-set.js";

describe("eval-set markup", () => {
  it("turns {TYPE|value} into plain text with exact spans", () => {
    const { text, spans } = parseMarkup("Patient {PERSON|Anna Schmidt}, geb. {DATE|12.03.1961}, {\"json\": 1}");
    expect(text).toBe('Patient Anna Schmidt, geb. 12.03.1961, {"json": 1}');
    expect(spans).toEqual([
      { type: "PERSON", value: "Anna Schmidt", start: 8, end: 20 },
      { type: "DATE", value: "12.03.1961", start: 27, end: 37 },
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.value);
  });

  it("rejects unknown types, unclosed, empty or padded spans and spans inside spans", () => {
    expect(() => parseMarkup("a {NAME|Anna} b")).toThrow(/unknown type NAME/);
    expect(() => parseMarkup("a {PERSON|Anna b")).toThrow(/unclosed/);
    expect(() => parseMarkup("a {PERSON|} b")).toThrow(/empty/);
    expect(() => parseMarkup("a {PERSON| Anna} b")).toThrow(/space-padded/);
    expect(() => parseMarkup("a {ADDRESS|Via {LOCATION|Roma} b")).toThrow(EvalSetError);
  });

  it("rejects bad rows: not JSON, missing fields, duplicate ids, markup in prose, PII rows with no label", () => {
    const row = (o: object): string => JSON.stringify(o);
    const ok = { id: "x-1", lang: "en", domain: "clinic", text: "Call {PHONE|555 0143}" };
    expect(() => parseEvalJsonl("{oops", { markup: true })).toThrow(/not JSON/);
    expect(() => parseEvalJsonl(row({ id: "x", text: "t" }), { markup: true })).toThrow(/needs string/);
    expect(() => parseEvalJsonl(row(ok) + "\n" + row(ok), { markup: true })).toThrow(/duplicate id x-1/);
    expect(() => parseEvalJsonl(row(ok), { markup: false })).toThrow(/markup in the prose set/);
    expect(() => parseEvalJsonl(row({ ...ok, text: "no pii" }), { markup: true })).toThrow(/no labelled value/);
    expect(parseEvalJsonl(row(ok), { markup: true })[0]).toMatchObject({ id: "x-1", text: "Call 555 0143", split: splitOf("x-1") });
  });
});

describe("the split", () => {
  it("is deterministic and holds out about a third", () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `xx-domain-${i}`);
    const held = ids.filter((id) => splitOf(id) === "heldout").length;
    expect(ids.map(splitOf)).toEqual(ids.map(splitOf));
    expect(held / ids.length).toBeGreaterThan(0.3);
    expect(held / ids.length).toBeLessThan(0.37);
    // Pinned: the split must never drift, or rows once held out would become dev rows that were tuned on.
    expect(["en-clinic-001", "en-clinic-002", "en-clinic-003", "de-law-001"].map(splitOf)).toEqual(["dev", "heldout", "dev", "dev"]);
  });
});

describe("the committed evaluation set", () => {
  const dir = findEvalSetDir();
  if (!dir) throw new Error("test/fixtures/redact-eval is missing");
  const set = loadEvalSet(dir);
  const langs = ["en", "de", "fr", "nl", "it", "es"];

  it("has at least 330 PII messages and 330 prose messages, 45+ of each per language, a third held out", () => {
    expect(set.pii.length).toBeGreaterThanOrEqual(330);
    expect(set.prose.length).toBeGreaterThanOrEqual(330);
    for (const lang of langs) {
      expect(set.pii.filter((r) => r.lang === lang).length, `pii ${lang}`).toBeGreaterThanOrEqual(45);
      expect(set.prose.filter((r) => r.lang === lang).length, `prose ${lang}`).toBeGreaterThanOrEqual(45);
    }
    // The share is the original files' own: rows written later for tuning (*-dev-extra.jsonl) are always dev.
    for (const [name, markup] of [["pii.jsonl", true], ["prose.jsonl", false]] as const) {
      const rows = parseEvalJsonl(readFileSync(join(dir, name), "utf8"), { markup });
      const share = rows.filter((r) => r.split === "heldout").length / rows.length;
      expect(share).toBeGreaterThan(0.25);
      expect(share).toBeLessThan(0.42);
    }
  });

  it("labels every occurrence: a labelled value never also appears unlabelled in its message", () => {
    // Recall counts a value as leaked when it is still in the redacted text, so an unlabelled copy would be unfair.
    const problems: string[] = [];
    for (const row of set.pii) {
      for (const span of row.spans) {
        for (let at = row.text.indexOf(span.value); at >= 0; at = row.text.indexOf(span.value, at + 1)) {
          if (!row.spans.some((s) => s.start <= at && at + span.value.length <= s.end)) problems.push(`${row.id}: ${span.value}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("rows added later for tuning", () => {
  it("are always dev, never join the held-out third, and may not reuse an id", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "hearth-eval-extra-"));
    const heldId = Array.from({ length: 50 }, (_, i) => `en-x-${i}`).find((id) => splitOf(id) === "heldout");
    expect(heldId).toBeDefined();
    const row = (id: string, text: string) => JSON.stringify({ id, lang: "en", domain: "clinic", text });
    writeFileSync(join(dir, "pii.jsonl"), row("en-orig-1", "Call {PERSON|Anna}") + "\n");
    writeFileSync(join(dir, "prose.jsonl"), row("en-prose-1", "Nash equilibrium") + "\n");
    writeFileSync(join(dir, "pii-dev-extra.jsonl"), row(heldId ?? "", "Mail {EMAIL|a@b.example}") + "\n");
    const set = loadEvalSet(dir);
    expect(set.pii.map((r) => [r.id, r.split])).toEqual([
      ["en-orig-1", splitOf("en-orig-1")],
      [heldId, "dev"],
    ]);
    expect(set.prose).toHaveLength(1);
    writeFileSync(join(dir, "prose-dev-extra.jsonl"), row("en-prose-1", "Bayes' theorem") + "\n");
    expect(() => loadEvalSet(dir)).toThrow(/duplicate id en-prose-1/);
  });
});
