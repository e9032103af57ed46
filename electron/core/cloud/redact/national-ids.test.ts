import { describe, expect, it } from "vitest";
import { resolveOverlaps, type Detection, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const resolved = (text: string): Detection[] => resolveOverlaps(text, detectPatterns(text));
const found = (text: string): Array<[RedactionType, string]> => resolved(text).map((d) => [d.type, text.slice(d.start, d.end)]);
const ids = (text: string): string[] => found(text).filter(([t]) => t === "NATIONAL_ID").map(([, v]) => v);

describe("national identifiers with check digits", () => {
  it("finds each country's identifier in a sentence, labelled NATIONAL_ID", () => {
    const examples: Array<[string, string]> = [
      ["NHS number 943 476 5919, seen today", "943 476 5919"],
      ["NI number AB 12 34 56 C on file", "AB 12 34 56 C"],
      ["N° de sécurité sociale : 2 69 05 49 588 157 80.", "2 69 05 49 588 157 80"],
      ["NIR 1 85 05 2B 006 084 62 (Bastia)", "1 85 05 2B 006 084 62"],
      ["Codice fiscale RSSMRA85T10A562S del paziente", "RSSMRA85T10A562S"],
      ["Steuer-ID: 86095742719", "86095742719"],
      ["Ihre Identifikationsnummer 86 095 742 719 bitte angeben", "86 095 742 719"],
      ["DNI 12345678Z y NIE X1234567L", "12345678Z"],
      ["BSN 111222333 van de patiënt", "111222333"],
      ["personnummer 811218-9876 i journalen", "811218-9876"],
      ["SIN 046 454 286 on the T4", "046 454 286"],
      ["Medicare card 2123 45670 1 expires", "2123 45670 1"],
      ["TFN 123 456 782 for payroll", "123 456 782"],
      ["Aadhaar 2341 2341 2346 linked", "2341 2341 2346"],
      ["PAN ABCPE1234F for the return", "ABCPE1234F"],
      ["registre national 90.02.01-123.05 à Bruxelles", "90.02.01-123.05"],
      ["AVS 756.1234.5678.97 bitte", "756.1234.5678.97"],
      ["matricule 1979 1104 123 45 au Luxembourg", "1979 1104 123 45"],
      ["Carta d'identità elettronica n. CB12345XY smarrita", "CB12345XY"],
      ["Reisepass C01X00T47 gültig", "C01X00T47"],
      ["DNI 12.345.678-Z del titular", "12.345.678-Z"],
      ["documentnummer NX12345K6 van het paspoort", "NX12345K6"],
      ["carte d’identité n° 880692310285 perdue", "880692310285"],
    ];
    for (const [text, value] of examples) expect(ids(text), text).toContain(value);
    expect(ids("DNI 12345678Z y NIE X1234567L")).toEqual(["12345678Z", "X1234567L"]);
  });

  it("the codice fiscale is found whatever the words around it", () => {
    for (const text of [
      "RSSMRA85T10A562S",
      "Il sig. Rossi (RSSMRA85T10A562S) chiede un appuntamento.",
      "cf: rssmra85t10a562s, nato a Roma",
      "Patient tax code RSSMRA85T10A562S, allergic to penicillin.",
      "Bitte die Steuernummer RSSMRA85T10A562S prüfen",
    ]) {
      expect(ids(text).map((v) => v.toUpperCase()), text).toEqual(["RSSMRA85T10A562S"]);
    }
  });

  it("rejects look-alikes whose check digit fails where only the layout would speak for them", () => {
    for (const [invalid, valid] of [
      ["Patient 943 476 5918 seen", "Patient 943 476 5919 seen"],
      ["n° 2 69 05 49 588 157 81", "n° 2 69 05 49 588 157 80"],
      ["Nummer 86 095 742 718", "Nummer 86 095 742 719"],
      ["ref 12345678A", "ref 12345678Z"],
      ["ref X1234567A", "ref X1234567L"],
      ["ref 811218-9875", "ref 811218-9876"],
      ["ref 046 454 287", "ref 046 454 286"],
      ["card 2123 45671 1", "card 2123 45670 1"],
      ["ref 2341 2341 2364", "ref 2341 2341 2346"],
      ["ref QQ 12 34 56 C", "ref AB 12 34 56 C"],
    ]) {
      expect(ids(invalid as string), invalid).toEqual([]);
      expect(ids(valid as string).length, valid).toBe(1);
    }
  });

  it("labels an NHS number and a French NIR as identifiers, never PHONE or CARD", () => {
    expect(found("NHS no. 401 023 2137 registered at the practice")).toEqual([["NATIONAL_ID", "401 023 2137"]]);
    expect(found("NHS: 4010232137")).toEqual([["NATIONAL_ID", "4010232137"]]);
    // This NIR also passes the card (Luhn) check.
    expect(found("n° de sécurité sociale 159048215688910")).toEqual([["NATIONAL_ID", "159048215688910"]]);
    expect(found("numéro 1 59 04 82 156 889 10")).toEqual([["NATIONAL_ID", "1 59 04 82 156 889 10"]]);
  });

  it("marks identifiers that only their layout speaks for as unsure", () => {
    const bare = resolved("Patient 943 476 5919 seen today");
    expect(bare.map((d) => [d.type, d.confidence, d.source])).toEqual([["NATIONAL_ID", 0.6, "pattern"]]);
    const named = resolved("NHS number 943 476 5919");
    expect(named.map((d) => [d.type, d.confidence, d.source])).toEqual([["NATIONAL_ID", undefined, "pattern"]]);
    expect(resolved("PAN ABCPE1234F")[0]?.confidence).toBeUndefined();
    // A codice fiscale with a wrong check letter is still hidden (its shape is unmistakable) but marked unsure.
    expect(resolved("CF RSSMRA85T10A562T").map((d) => [d.type, d.confidence])).toEqual([["NATIONAL_ID", 0.6]]);
    expect(resolved("CF RSSMRA85T10A562S").map((d) => [d.type, d.confidence])).toEqual([["NATIONAL_ID", undefined]]);
    expect(resolved("ref ABCPE1234F")[0]?.confidence).toBe(0.7);
  });

  it("a named identifier whose check fails is still an identifier (a typo), found by its name", () => {
    expect(found("Steuer-ID 12 345 678 901 bitte")).toEqual([["NATIONAL_ID", "12 345 678 901"]]);
    expect(found("NHS number 123 456 7890")).toEqual([["NATIONAL_ID", "123 456 7890"]]);
    expect(ids("sin embargo 2024 fue peor")).toEqual([]);
  });

  it("NI numbers grouped by dashes; identity documents named in compounds and residence permits", () => {
    expect(ids("NI no WW-51-84-71-D, please redo the letter")).toEqual(["WW-51-84-71-D"]);
    expect(ids("paspoortnummer NW3F2K9L1 van de aanvrager")).toEqual(["NW3F2K9L1"]);
    expect(ids("Aufenthaltstitel Nr. LXY3HR7330, Verlängerung beantragt")).toEqual(["LXY3HR7330"]);
    expect(ids("titre de séjour n° 7502134567 expiré")).toEqual(["7502134567"]);
    expect(ids("permesso di soggiorno n. I8817302 in scadenza")).toEqual(["I8817302"]);
    expect(ids("BSN-nummer 869608873 staat op de verkeerde aanvraag")).toEqual(["869608873"]);
    expect(ids("Client italien, code fiscal RSS MRA 85T10 A562S, succession")).toEqual(["RSS MRA 85T10 A562S"]);
    expect(ids("RSS MRA 85T10 A562X is not one")).toEqual([]);
    expect(ids("seinen Personalausweis (Nr. L64FWNY8L6) liegen lassen")).toEqual(["L64FWNY8L6"]);
    // The bare words stay words: a pass mark, a boarding pass, a tie.
    expect(ids("a pass 2024 exam, a tie 3-3 and the boarding pass 4411")).toEqual([]);
  });

  it("does not take a phone after 'call' for a bare NHS number, nor nine digits for a BSN without its name", () => {
    expect(found("call 943 476 5919 today")).toEqual([["PHONE", "943 476 5919"]]);
    expect(ids("order 111222333 shipped")).toEqual([]);
  });
});
