import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectCustomTerms, detectPatterns } from "./patterns.js";

/** The values the resolved pattern detections would replace, with their types. */
function found(text: string): Array<[RedactionType, string]> {
  return resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
}
const valuesOf = (text: string, type: RedactionType): string[] =>
  found(text).filter(([t]) => t === type).map(([, v]) => v);

describe("structured detectors", () => {
  it("emails", () => {
    expect(valuesOf("write to LaraFiorentino@armyspy.com or j.doe+x@mail.example.co.uk.", "EMAIL")).toEqual([
      "LaraFiorentino@armyspy.com",
      "j.doe+x@mail.example.co.uk",
    ]);
  });

  it("phone numbers, national and international", () => {
    for (const phone of ["467 3395", "3660170548", "032 288 79 44", "+41 (0)38 549 02 90", "28-64-66-98", "(64) 3591-3246",
      "+447700677662", "0393 1144137", "001-253-366-9781", "905-674-3793", "(217) 555-0143", "+44 7700 900123"]) {
      expect(valuesOf(`call me at ${phone} today`, "PHONE"), phone).toEqual([phone]);
    }
  });

  it("does not take amounts, decimals, years or times for phones", () => {
    expect(found("In 2004 we paid 1 000 000 and 3.14159265 at 12:30 on 5 May")).toEqual([]);
  });

  it("cards only when Luhn-valid", () => {
    expect(valuesOf("card 4111 1111 1111 1111 exp", "CARD")).toEqual(["4111 1111 1111 1111"]);
    expect(valuesOf("card 4111-1111-1111-1111", "CARD")).toEqual(["4111-1111-1111-1111"]);
    expect(valuesOf("number 4111 1111 1111 1112", "CARD")).toEqual([]);
  });

  it("IBANs only when mod-97 holds", () => {
    expect(valuesOf("pay GB82 WEST 1234 5698 7654 32 now", "IBAN")).toEqual(["GB82 WEST 1234 5698 7654 32"]);
    expect(valuesOf("pay GB83 WEST 1234 5698 7654 32 now", "IBAN")).toEqual([]);
  });

  it("SSNs, licences and passports", () => {
    expect(valuesOf("Here's my SSN: 731-83-4418", "NATIONAL_ID")).toEqual(["731-83-4418"]);
    expect(valuesOf("SSN 666-12-3456", "NATIONAL_ID")).toEqual([]);
    expect(valuesOf("My driver's license number is F162823540116", "NATIONAL_ID")).toEqual(["F162823540116"]);
    expect(valuesOf("My driver's license number is 6940579", "NATIONAL_ID")).toEqual(["6940579"]);
    expect(valuesOf("passport C03005988", "NATIONAL_ID")).toEqual(["C03005988"]);
  });

  it("IP addresses, v4 and v6, validated", () => {
    expect(valuesOf("address 172.61.42.192 blocked", "IP")).toEqual(["172.61.42.192"]);
    expect(valuesOf("|36.106.174.11|", "IP")).toEqual(["36.106.174.11"]);
    expect(valuesOf("gateway 2001:db8:85a3::8a2e:370:7334.", "IP")).toEqual(["2001:db8:85a3::8a2e:370:7334"]);
    expect(valuesOf("version 999.1.1.1", "IP")).toEqual([]);
  });

  it("API keys by prefix, JWTs, PEM blocks, password values and high-entropy tokens", () => {
    const secrets = [
      "sk-proj-4fT9kQ2LmX8vB1nR7sW3yZ6cJ0dH5gP",
      "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed",
      "ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ",
      "AKIAIOSFODNN7EXAMPLE",
      "xoxb-2048-4096-a1b2c3d4e5f6",
      "hf_AbCdEfGhIjKlMnOpQrStUvWxYz12345678",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
      "q8Zr2LmX0vB4nR7sW3yZ6cJ1dH5gPk",
    ];
    for (const s of secrets) expect(valuesOf(`key: ${s} here`, "SECRET"), s).toEqual([s]);
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
    expect(valuesOf(`use\n${pem}\nthanks`, "SECRET")).toEqual([pem]);
    expect(valuesOf("password: Tr0ub4dor&3 for admin", "SECRET")).toEqual(["Tr0ub4dor&3"]);
    expect(valuesOf("the password is hunter22", "SECRET")).toEqual(["hunter22"]);
  });

  it("URLs and bare domains", () => {
    expect(valuesOf("see https://www.HowDangerous.be/ and Smellology.be.", "URL")).toEqual([
      "https://www.HowDangerous.be/",
      "Smellology.be",
    ]);
    expect(valuesOf("open README.md and index.ts", "URL")).toEqual([]);
  });

  it("full dates and years of birth, not bare years or weekdays", () => {
    expect(valuesOf("She was born on 7/30/1964.", "DATE")).toEqual(["7/30/1964"]);
    expect(valuesOf("at 1978-04-13 12:20:39 UTC", "DATE")).toEqual(["1978-04-13 12:20:39"]);
    expect(valuesOf("on January 3, 2024 and 1 March 2021", "DATE")).toEqual(["January 3, 2024", "1 March 2021"]);
    expect(valuesOf("DOB: 1962", "DATE")).toEqual(["1962"]);
    expect(valuesOf("founded in 1977 on a Thursday", "DATE")).toEqual([]);
  });

  it("ages with their context", () => {
    expect(valuesOf("a 54-year-old man", "AGE")).toEqual(["54"]);
    expect(valuesOf("He just turned 72 years old", "AGE")).toEqual(["72"]);
    expect(valuesOf("retired at the age of 68", "AGE")).toEqual(["68"]);
    expect(valuesOf("and i'm 82 y/o.", "AGE")).toEqual(["82"]);
    expect(valuesOf("we sold 40 units", "AGE")).toEqual([]);
  });
});

describe("custom terms", () => {
  it("match case-insensitively as whole words, longest first", () => {
    const text = "Project Bluebird (bluebird for short) is not BLUEBIRDS or Bluebirdia; ask Acme  Holdings.";
    const hits = detectCustomTerms(text, ["Bluebird", "Project Bluebird", "Acme Holdings", " "]).map((d) => text.slice(d.start, d.end));
    expect(hits).toEqual(["Project Bluebird", "bluebird", "Acme  Holdings"]);
  });
  it("escape regular-expression characters", () => {
    const text = "the C++ (v2.0) build";
    expect(detectCustomTerms(text, ["C++ (v2.0)"]).map((d) => text.slice(d.start, d.end))).toEqual(["C++ (v2.0)"]);
  });
});
