import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvalSet, splitOf } from "./training/redact/eval-set.js";
import { emptyPlaceholderMap, type RedactionResult } from "../electron/core/cloud/redact/redactor.js";
import { evaluatePart, type RedactFn } from "./bench-redact-hearth.js";
import { evaluate, formatReport, formatScore, runBench } from "./bench-redact.js";

/** A redactor that hides nothing and never doubts: every labelled value leaks. */
const hidesNothing: RedactFn = {
  redact: (text): RedactionResult => ({ text, redactions: [], map: emptyPlaceholderMap(), doubts: [] }),
};

/** A redactor that hides the whole message and always doubts: nothing leaks, every word is collateral. */
const hidesEverything: RedactFn = {
  redact: (text): RedactionResult => ({
    text: "[CUSTOM_1]",
    redactions: [{ type: "CUSTOM", original: text, placeholder: "[CUSTOM_1]", start: 0, end: text.length }],
    map: emptyPlaceholderMap(),
    doubts: [{ reason: "low-confidence", start: 0, end: text.length, note: "test" }],
  }),
};

/** The first `n` ids of the form `prefix-i` that fall in `split`, so a small fixture has rows in both parts. */
function idsIn(split: "dev" | "heldout", prefix: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) if (splitOf(`${prefix}-${i}`) === split) out.push(`${prefix}-${i}`);
  return out;
}

function writeSet(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-redact-eval-"));
  const pii = [
    "Patient {PERSON|Anna Schmidt}, geb. {DATE|12.03.1961}, Passwort {SECRET|Sonne!2024}",
    "Call {PHONE|+44 20 7946 0958 ext. 12} about case {CASE_NUMBER|2:24-cv-01873-JLR}",
  ];
  const rows = [...idsIn("heldout", "en-test", 2), ...idsIn("dev", "en-test", 2)].map((id, i) =>
    JSON.stringify({ id, lang: i % 2 ? "de" : "en", domain: "test", text: pii[i % 2] }),
  );
  fs.writeFileSync(path.join(dir, "pii.jsonl"), rows.join("\n") + "\n");
  const prose = [...idsIn("heldout", "en-prose", 2), ...idsIn("dev", "en-prose", 1)].map((id) =>
    JSON.stringify({ id, lang: "en", domain: "medical", text: "Parkinson's disease and the Nash equilibrium." }),
  );
  fs.writeFileSync(path.join(dir, "prose.jsonl"), prose.join("\n") + "\n");
  return dir;
}

describe("npm run bench:redact", () => {
  it("scores recall per type and collateral on the Presidio set, and prints them", () => {
    const text = "Card 4111 1111 1111 1111 belongs to the client";
    const s = evaluate([{ id: "1", text, spans: [{ type: "CREDIT_CARD", value: "4111 1111 1111 1111", start: 5, end: 24 }] }]);
    expect(s.byType.CREDIT_CARD).toEqual({ total: 1, removed: 1, fullyRemoved: 1 });
    expect(s.collateral).toEqual({ words: 5, destroyed: 0 });
    const printed = formatScore(s, "t");
    expect(printed).toContain("CREDIT_CARD");
    expect(printed).toContain("collateral: 0 of 5 ordinary words destroyed (0.0%)");
  });

  it("gives a redactor that hides nothing recall 0 on every type, no collateral and no asks", () => {
    const report = runBench({ set: "hearth", redactor: hidesNothing, evalDir: writeSet() });
    const h = report.hearth!;
    expect(h.heldout.pii.messages).toBe(2);
    expect(h.dev.pii.messages).toBe(2);
    for (const t of Object.values(h.heldout.pii.byType)) expect(t.recall).toBe(0);
    expect(Object.keys(h.heldout.pii.byType).sort()).toEqual(["CASE_NUMBER", "DATE", "PERSON", "PHONE", "SECRET"]);
    expect(h.heldout.prose).toMatchObject({ messages: 2, terms: 12, hidden: 0, collateral: 0, asked: 0, hiddenTerms: [] });
    // Goals are judged on the held-out part: every recall goal fails, collateral passes.
    expect(h.goals.find((g) => g.name === "SECRET recall")).toMatchObject({ pass: false, value: 0, target: 0.99 });
    expect(h.goals.find((g) => g.name === "PERSON recall")).toMatchObject({ pass: false, target: 0.9 });
    expect(h.goals.find((g) => g.name === "prose collateral")).toMatchObject({ pass: true, value: 0 });
    // Misses are listed for the dev part only: the held-out values must not be read while tuning.
    expect(h.heldout.pii.leaks).toEqual([]);
    expect(h.dev.pii.leaks.map((l) => l.value)).toContain("Sonne!2024");
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("gives a redactor that hides everything full recall, 100 % collateral and a 100 % ask rate", () => {
    const h = runBench({ set: "hearth", redactor: hidesEverything, evalDir: writeSet() }).hearth!;
    for (const t of Object.values(h.heldout.pii.byType)) expect(t).toMatchObject({ recall: 1, strict: 1 });
    expect(h.heldout.prose).toMatchObject({ terms: 12, hidden: 12, collateral: 1, asked: 2, askRate: 1 });
    expect(h.heldout.prose.askReasons).toEqual({ "low-confidence": 2 });
    expect(h.heldout.prose.hiddenTerms).toContainEqual({ term: "Parkinson's", type: "CUSTOM", count: 2 });
    expect(h.goals.find((g) => g.name === "prose collateral")).toMatchObject({ pass: false, value: 1 });
    expect(h.goals.filter((g) => g.name.endsWith("recall")).every((g) => g.pass)).toBe(true);
  });

  it("prints both parts labelled, goals with pass/fail marks, and hidden terms only when verbose", () => {
    const report = runBench({ set: "hearth", redactor: hidesEverything, evalDir: writeSet() });
    const quiet = formatReport(report);
    expect(quiet).toContain("HELD-OUT third");
    expect(quiet).toContain("DEV part");
    expect(quiet).toMatch(/SECRET\s+1\s+100\.0%\s+100\.0%\s+≥99%\s+pass/);
    expect(quiet).toMatch(/12 of 12 terms hidden \(100\.0%\)\s+goal ≤1%\s+FAIL/);
    expect(quiet).not.toContain("Parkinson's");
    expect(formatReport(report, true)).toContain("Parkinson's  -> CUSTOM");
    expect(formatReport(report, true)).toContain("hidden prose terms (dev)");
    expect(formatReport(report, true)).not.toContain("(heldout)");
  });

  it("says which set is missing instead of failing, and judges the Presidio set's held-out part", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-redact-none-"));
    const none = runBench({ set: "all", evalDir: empty, presidioPath: path.join(empty, "dev.jsonl"), redactor: hidesNothing });
    expect(none.hearth).toBeUndefined();
    expect(none.presidio).toBeUndefined();
    expect(none.missing).toEqual([empty, path.join(empty, "dev.jsonl")]);
    expect(formatReport(none)).toContain(`(not measured: ${empty} not found)`);

    const file = path.join(empty, "dev.jsonl");
    const rows = Array.from({ length: 20 }, (_, i) => ({
      id: `p-${i}`,
      text: "Email ana@example.com now",
      spans: [{ type: "EMAIL_ADDRESS", value: "ana@example.com", start: 6, end: 21 }],
    }));
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n"));
    const p = runBench({ set: "presidio", presidioPath: file, redactor: hidesNothing }).presidio!;
    expect(p.texts).toBeGreaterThan(0);
    expect(p.texts).toBeLessThan(20);
    expect(p.score.byType.EMAIL_ADDRESS?.removed).toBe(0);
    expect(p.goals).toEqual([{ name: "EMAIL_ADDRESS recall", op: ">=", target: 0.99, value: 0, n: p.texts, pass: false }]);
  });

  it("measures the shipped redactor on both parts of the committed set (shape, not figures)", () => {
    const report = runBench({ set: "hearth" });
    const h = report.hearth!;
    expect(report.speed?.chars).toBe(2000);
    expect(report.speed!.medianMs).toBeGreaterThan(0);
    expect(report.speed!.maxMs).toBeGreaterThanOrEqual(report.speed!.medianMs);
    const set = loadEvalSet(h.dir);
    expect(h.heldout.pii.messages + h.dev.pii.messages).toBe(set.pii.length);
    expect(h.heldout.prose.messages + h.dev.prose.messages).toBe(set.prose.length);
    // Rows written later for tuning (*-dev-extra.jsonl) are always dev: the held-out rows are those of the original files.
    expect(h.heldout.pii.messages).toBe(set.pii.filter((r) => r.split === "heldout").length);
    expect(h.heldout.prose.messages).toBe(set.prose.filter((r) => r.split === "heldout").length);
    expect(h.heldout.pii.messages).toBeGreaterThan(100);
    for (const part of [h.heldout, h.dev]) {
      expect(Object.keys(part.pii.byLang).sort()).toEqual(["de", "en", "es", "fr", "it", "nl"]);
      for (const t of Object.values(part.pii.byType)) {
        expect(t.recall).toBeGreaterThanOrEqual(0);
        expect(t.recall).toBeLessThanOrEqual(1);
        expect(t.strict).toBeLessThanOrEqual(t.recall);
      }
    }
    expect(h.goals.map((g) => g.name)).toEqual(expect.arrayContaining(["SECRET recall", "PERSON recall", "prose collateral"]));
  });

  it("evaluates only the rows of the part asked for", () => {
    const part = evaluatePart(
      "dev",
      [
        { id: "a", lang: "en", domain: "x", split: "dev", text: "Hi Ann", spans: [{ type: "PERSON", value: "Ann", start: 3, end: 6 }] },
        { id: "b", lang: "en", domain: "x", split: "heldout", text: "Hi Bob", spans: [{ type: "PERSON", value: "Bob", start: 3, end: 6 }] },
      ],
      [],
      hidesNothing,
    );
    expect(part.pii.messages).toBe(1);
    expect(part.pii.byType.PERSON?.total).toBe(1);
    expect(part.prose).toMatchObject({ messages: 0, terms: 0, collateral: 0, askRate: 0 });
  });
});
