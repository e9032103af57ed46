import { describe, expect, it } from "vitest";
import { findDoubts } from "./doubts.js";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

const redactor = createRedactor();
const doubtsOf = (text: string) => redactor.redact(text, emptyPlaceholderMap()).doubts;

describe("credential-like text is a doubt, whether or not a detector hid it", () => {
  const cases: Array<[string, string, string]> = [
    ["the issue's leak", "password Winter2025!Clinic", "Winter2025!Clinic"],
    ["German", "Das Passwort ist Sommer2024! – bitte ändern.", "Sommer2024!"],
    ["French", "Le mot de passe : azerty123", "azerty123"],
    ["Dutch", "Het wachtwoord is Fiets!88 voor de wifi.", "Fiets!88"],
    ["Italian", "Il codice PIN è 55731, non dirlo a nessuno.", "55731"],
    ["Spanish", "La contraseña es Gato#2023 desde ayer.", "Gato#2023"],
    ["a PIN", "My PIN is 4821.", "4821"],
    ["user:pass@ in a URL", "Connect with postgres://admin:s3cret@db.internal:5432/app today", "postgres://admin:s3cret@db.internal:5432/app"],
    ["a connection string", "Server=tcp:x.database.windows.net;Database=db;User ID=sa;Password=Xy12!abc;", "Server="],
    ["a PEM header", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----"],
    ["a random-looking token", "Use x9Fq2LmZ7pQ4rT8vW1yB3nK6 as the header value", "x9Fq2LmZ7pQ4rT8vW1yB3nK6"],
  ];
  for (const [name, text, value] of cases) {
    it(name, () => {
      const doubts = doubtsOf(text).filter((d) => d.reason === "credential");
      expect(doubts.length, text).toBeGreaterThan(0);
      expect(doubts.some((d) => text.slice(d.start, d.end).includes(value) || value.includes(text.slice(d.start, d.end))), JSON.stringify(doubts)).toBe(true);
      for (const d of doubts) expect(d.note).not.toContain(value);
    });
  }

  it("credential words without a value are not doubts", () => {
    for (const text of [
      "Our password policy requires at least 12 characters, one digit and one symbol.",
      "The secret to good bread is 72h fermentation.",
      "Use a token limit of 4096 for COVID-19 summaries.",
      "Rédigez un rappel : ne jamais communiquer son mot de passe par téléphone.",
      "Wie oft sollte man sein Passwort ändern?",
    ]) {
      expect(doubtsOf(text), text).toEqual([]);
    }
  });
});

describe("disagreement and low confidence", () => {
  it("two detectors of word types claiming partly overlapping spans disagree", () => {
    const text = "Send it to Harbor Lane Foods at the Harbor Lane depot.";
    const doubts = findDoubts(
      text,
      [
        { type: "ORG", start: 11, end: 27, source: "ner" },
        { type: "ADDRESS", start: 18, end: 31, source: "llm" },
      ],
      [],
    );
    expect(doubts).toContainEqual(expect.objectContaining({ reason: "disagreement" }));
  });

  it("a value the conversation hid as a name, read now by the tagger as an organisation, is a disagreement", () => {
    const doubts = findDoubts("Call Jordan today", [
      { type: "PERSON", start: 5, end: 11, source: "known" },
      { type: "ORG", start: 5, end: 11, source: "ner" },
    ], []);
    expect(doubts).toEqual([expect.objectContaining({ reason: "disagreement", type: "PERSON", start: 5, end: 11 })]);
  });

  it("a validated value holding another find (the domain in an email) is not a disagreement", () => {
    const text = "Mail ana@ruiz.es now";
    expect(findDoubts(text, [
      { type: "EMAIL", start: 5, end: 16, source: "pattern" },
      { type: "URL", start: 9, end: 16, source: "pattern" },
    ], [])).toEqual([]);
  });

  it("a kept detection below the threshold is a low-confidence doubt; a confident one is not", () => {
    const unsure = createRedactor({ detectors: [(t) => [{ type: "PERSON", start: t.indexOf("Quill"), end: t.indexOf("Quill") + 5, confidence: 0.4 }]] });
    const out = unsure.redact("Ask Quill about the report.", emptyPlaceholderMap());
    expect(out.text).toBe("Ask [PERSON_1] about the report.");
    expect(out.doubts).toEqual([expect.objectContaining({ reason: "low-confidence", type: "PERSON", start: 4, end: 9 })]);
    const sure = createRedactor({ detectors: [(t) => [{ type: "PERSON", start: t.indexOf("Quill"), end: t.indexOf("Quill") + 5, confidence: 0.95 }]] });
    expect(sure.redact("Ask Quill about the report.", emptyPlaceholderMap()).doubts).toEqual([]);
  });
});
