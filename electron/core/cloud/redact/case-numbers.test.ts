import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);

describe("case and docket numbers", () => {
  it("US federal numbers, with or without a keyword", () => {
    expect(found("Case No. 2:24-cv-01873-JLR was filed.")).toEqual([["CASE_NUMBER", "2:24-cv-01873-JLR"]]);
    expect(found("See 1:23-cr-00456 for details.")).toEqual([["CASE_NUMBER", "1:23-cr-00456"]]);
  });

  it("the value after its keyword in six languages", () => {
    const cases: Array<[string, string]> = [
      ["Docket No. 22-1234 was set for hearing", "22-1234"],
      ["Case Number: CV-2023-004512 is closed", "CV-2023-004512"],
      ["Claim No. KB-2023-001234 issued", "KB-2023-001234"],
      ["Claim no. HQ21X01234 issued", "HQ21X01234"],
      ["Az. 3 O 123/24 vom Landgericht", "3 O 123/24"],
      ["Aktenzeichen: 12 C 345/23 bitte angeben", "12 C 345/23"],
      ["RG n° 21/01234 audience", "21/01234"],
      ["N° RG 22/04567 renvoyé", "22/04567"],
      ["zaaknummer C/13/123456 / HA ZA 22-123 dient", "C/13/123456 / HA ZA 22-123"],
      ["R.G. n. 1234/2023 udienza", "1234/2023"],
      ["n.º de procedimiento 123/2024 del juzgado", "123/2024"],
      ["Procedimiento ordinario n.º 456/2023", "456/2023"],
      ["ECLI:NL:HR:2020:1234 was cited.", "ECLI:NL:HR:2020:1234"],
      ["l'instance prud'homale RG F 24/00312 est fixée", "F 24/00312"],
      ["the related state case 24-2-11873-1 was stayed", "24-2-11873-1"],
      ["Aktenzeichen der Gegenseite WF-2025-447812 beachten", "WF-2025-447812"],
      ["Il suo fascicolo è il n. 5510/2025 presso il tribunale", "5510/2025"],
      ["Son dossier parquet : n° 25/118/0042.", "25/118/0042"],
      ["unser Zeichen: 12/345-AB bitte angeben", "12/345-AB"],
      ["Index No. 654321/2023 was filed", "654321/2023"],
    ];
    for (const [text, value] of cases) expect(found(text), text).toEqual([["CASE_NUMBER", value]]);
  });

  it("court file numbers near a legal word are found but marked unsure", () => {
    const text = "el juzgado de lo social, DSP 1187/2025, cita a las partes";
    const d = resolveOverlaps(text, detectPatterns(text));
    expect(d.map((x) => [x.type, text.slice(x.start, x.end), x.confidence])).toEqual([["CASE_NUMBER", "DSP 1187/2025", 0.6]]);
    expect(found("Seite 1187/2025 des Katalogs")).toEqual([]);
  });

  it("EU court case numbers by their layout, fairly sure", () => {
    const text = "Schrems II, C-311/18, changed transfers";
    const d = resolveOverlaps(text, detectPatterns(text));
    expect(d.map((x) => [x.type, text.slice(x.start, x.end), x.confidence])).toEqual([["CASE_NUMBER", "C-311/18", 0.8]]);
  });

  it("German register numbers alone are found but marked unsure", () => {
    const text = "Beschluss 2 BvR 123/20 lesen";
    const d = resolveOverlaps(text, detectPatterns(text));
    expect(d.map((x) => [x.type, text.slice(x.start, x.end), x.confidence])).toEqual([["CASE_NUMBER", "2 BvR 123/20", 0.6]]);
  });

  it("leaves 'case' and 'claim' in ordinary sentences alone", () => {
    for (const text of [
      "In case 2024 sales drop we cut costs.",
      "Case studies from 2020 to 2022 show a 12% improvement.",
      "The claim 3 of the patent covers the method.",
      "The case was heard in 2023 by 3 judges.",
      "a causa di 2 ritardi",
    ]) {
      expect(found(text).filter(([t]) => t === "CASE_NUMBER"), text).toEqual([]);
    }
  });
});
