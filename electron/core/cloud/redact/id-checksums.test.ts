import { describe, expect, it } from "vitest";
import {
  aadhaarValid,
  abaValid,
  bsnValid,
  codiceFiscaleValid,
  dniNieValid,
  medicareValid,
  nhsValid,
  niValid,
  nirValid,
  panValid,
  personnummerValid,
  sinValid,
  steuerIdValid,
  svNummerValid,
  tfnValid,
  verhoeffValid,
} from "./id-checksums.js";

/** Each check digit changed by one must fail: the validator really reads it. */
function bumpLast(raw: string): string {
  const i = raw.search(/\d(?=\D*$)/);
  const d = Number(raw[i]);
  return raw.slice(0, i) + String((d + 1) % 10) + raw.slice(i + 1);
}

describe("national identifier check digits", () => {
  const cases: Array<[string, (s: string) => boolean, string[]]> = [
    ["NHS (mod 11)", nhsValid, ["943 476 5919", "4010232137", "485-777-3457"]],
    ["FR NIR (97 - n mod 97)", nirValid, ["2 69 05 49 588 157 80", "1 59 04 82 156 889 10"]],
    ["DE Steuer-ID (ISO 7064 mod 11,10)", steuerIdValid, ["86095742719", "65929970489", "57549285017"]],
    ["NL BSN (elfproef)", bsnValid, ["111222333", "123456782"]],
    ["SE personnummer (Luhn)", personnummerValid, ["811218-9876", "19811218-9876"]],
    ["CA SIN (Luhn)", sinValid, ["046 454 286"]],
    ["AU TFN (weighted mod 11)", tfnValid, ["123 456 782"]],
    ["IN Aadhaar (Verhoeff)", aadhaarValid, ["2341 2341 2346"]],
    ["US ABA routing (3-7-1)", abaValid, ["021000021", "011000015"]],
  ];
  for (const [name, valid, examples] of cases) {
    it(`${name}: accepts valid numbers and rejects a changed check digit`, () => {
      for (const ex of examples) {
        expect(valid(ex), ex).toBe(true);
        expect(valid(bumpLast(ex)), bumpLast(ex)).toBe(false);
      }
    });
  }

  it("French NIR: Corsica departments 2A and 2B count as 19 and 18", () => {
    expect(nirValid("2 85 05 2A 006 084 82")).toBe(true);
    expect(nirValid("1 85 05 2B 006 084 62")).toBe(true);
    expect(nirValid("1 85 05 2A 006 084 62")).toBe(false);
  });

  it("Steuer-ID: rejects numbers whose digits do not repeat exactly once (or repeat too often) and a leading 0", () => {
    expect(steuerIdValid("12345678903")).toBe(false); // all ten different
    expect(steuerIdValid("11112345678")).toBe(false); // one digit four times
    expect(steuerIdValid("06095742719")).toBe(false);
  });

  it("Italian codice fiscale: the check letter, omocodia letters, and shape", () => {
    expect(codiceFiscaleValid("RSSMRA85T10A562S")).toBe(true);
    expect(codiceFiscaleValid("rssmra85t10a562s")).toBe(true);
    expect(codiceFiscaleValid("RSSMRA85T10A562T")).toBe(false);
    expect(codiceFiscaleValid("RSSMRA85Z10A562S")).toBe(false); // Z is no month letter
  });

  it("Spanish DNI and NIE letters", () => {
    expect(dniNieValid("12345678Z")).toBe(true);
    expect(dniNieValid("12345678-Z")).toBe(true);
    expect(dniNieValid("X1234567L")).toBe(true);
    expect(dniNieValid("12345678A")).toBe(false);
    expect(dniNieValid("X1234567A")).toBe(false);
  });

  it("UK National Insurance prefixes", () => {
    expect(niValid("AB 12 34 56 C")).toBe(true);
    expect(niValid("JG103759A")).toBe(true);
    for (const bad of ["QQ123456C", "GB123456A", "AO123456B", "DA123456A", "AB123456E"]) expect(niValid(bad), bad).toBe(false);
  });

  it("Indian PAN layout: the fourth letter names the holder type", () => {
    expect(panValid("ABCPE1234F")).toBe(true);
    expect(panValid("ABCXE1234F")).toBe(false);
  });

  it("Verhoeff on the textbook example 236 -> 2363, and rejects swapped neighbours", () => {
    expect(verhoeffValid("2363")).toBe(true);
    expect(verhoeffValid("2633")).toBe(false);
    expect(aadhaarValid("2341 2341 2364")).toBe(false);
  });

  it("AU Medicare: the ninth digit is the check, the tenth the issue number", () => {
    expect(medicareValid("2123 45670 1")).toBe(true);
    expect(medicareValid("2123 45670 4")).toBe(true);
    expect(medicareValid("2123 45671 1")).toBe(false);
    expect(medicareValid("7123 45670 1")).toBe(false); // first digit 2-6
  });

  it("SIN: 8 starts business numbers", () => {
    expect(sinValid("800 000 002")).toBe(false);
  });

  it("German pension insurance number: initial as its alphabet position, weighted digit sums", () => {
    // Check digits computed by a separate script (weights 2,1,2,5,7,1,2,1,2,1,2,1).
    expect(svNummerValid("65 170839 J 003")).toBe(true);
    expect(svNummerValid("12010180M514")).toBe(true);
    expect(svNummerValid("12 010180 M 515")).toBe(false);
    expect(svNummerValid("12 010180 N 514")).toBe(false);
    expect(svNummerValid("12 321380 M 514")).toBe(false); // day 32
  });
});
