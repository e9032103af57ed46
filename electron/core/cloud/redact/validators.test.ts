import { describe, expect, it } from "vitest";
import { ibanValid, ipValid, isCardNumber, isHighEntropyToken, luhnValid, shannonEntropy, ssnValid } from "./validators.js";

describe("luhn and cards", () => {
  it("accepts Luhn-valid card numbers of every common length", () => {
    for (const n of ["4111111111111111", "5500005555555559", "378282246310005", "36257583983048", "4799052202010", "676222165679"]) {
      expect(isCardNumber(n), n).toBe(true);
    }
  });
  it("rejects a number with one digit changed, wrong lengths and repeated digits", () => {
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(isCardNumber("4111111111111112")).toBe(false);
    expect(isCardNumber("41111111111")).toBe(false); // 11 digits
    expect(isCardNumber("00000000000000")).toBe(false);
    expect(luhnValid("4111-1111")).toBe(false);
  });
});

describe("IBAN mod-97", () => {
  it("accepts valid IBANs with or without spaces", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("GB02RVXB01271286793653")).toBe(true);
  });
  it("rejects a wrong check digit and malformed strings", () => {
    expect(ibanValid("GB83 WEST 1234 5698 7654 32")).toBe(false);
    expect(ibanValid("DE89370400440532013001")).toBe(false);
    expect(ibanValid("XX12")).toBe(false);
  });
});

describe("SSN rules", () => {
  it("accepts well-formed numbers and rejects reserved areas, groups and serials", () => {
    expect(ssnValid("731-83-4418")).toBe(true);
    expect(ssnValid("731834418")).toBe(true);
    for (const bad of ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "12-345-6789"]) {
      expect(ssnValid(bad), bad).toBe(false);
    }
  });
});

describe("IP addresses", () => {
  it("parses v4 and v6 and rejects out-of-range octets", () => {
    expect(ipValid("106.31.73.20")).toBe(true);
    expect(ipValid("2001:db8:85a3::8a2e:370:7334")).toBe(true);
    expect(ipValid("999.1.1.1")).toBe(false);
    expect(ipValid("12:20:39")).toBe(false);
  });
});

describe("entropy", () => {
  it("measures bits per character", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBeCloseTo(2);
  });
  it("flags machine-made tokens but not long words or numbers", () => {
    expect(isHighEntropyToken("q8Zr2LmX0vB4nR7sW3yZ6cJ1dH5gP")).toBe(true);
    expect(isHighEntropyToken("3f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e")).toBe(true);
    expect(isHighEntropyToken("Donaudampfschifffahrtsgesellschaft")).toBe(false);
    expect(isHighEntropyToken("12345678901234567890123")).toBe(false);
    expect(isHighEntropyToken("short1A")).toBe(false);
  });
});
