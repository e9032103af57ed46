import { describe, expect, it } from "vitest";
import {
  amkaValid,
  atSvnrValid,
  cifValid,
  cnpValid,
  cprDateValid,
  esNssValid,
  fodselsnummerValid,
  hetuValid,
  peselValid,
  ppsValid,
  ptNifValid,
  ribKeyValid,
  rodneCisloValid,
  sirenSiretValid,
  vatValid,
} from "./id-checksums-more.js";

// Valid values computed with an independent script from each scheme's published rule; the invalid ones change
// the last digit (or a date part) of a valid one.
describe("check rules of more identifiers", () => {
  const cases: Array<[string, (s: string) => boolean, string[], string[]]> = [
    ["PESEL", peselValid, ["85031407523", "92110738210", "02261504134"], ["85031407524", "85131407523"]],
    ["HETU", hetuValid, ["131052-308T", "010594Y123W", "311299-999E"], ["131052-308U", "311399-999E"]],
    ["fødselsnummer", fodselsnummerValid, ["01018543229", "15037521342"], ["01018543228", "15037521343"]],
    ["CPR", cprDateValid, ["230466-1387", "0101701234"], ["320466-1387", "231366-1387"]],
    ["AT SVNR", atSvnrValid, ["1237010180", "4887120764", "4573150290"], ["1238010180", "1237320180"]],
    ["CNP", cnpValid, ["1850723412341", "2961205400123", "2850723412341"], ["1850723412342", "1850723992341"]],
    ["rodné číslo", rodneCisloValid, ["785103/1111", "9055123451"], ["785103/1112", "781303/1111"]],
    ["AMKA", amkaValid, ["12038512344", "01017012343"], ["12038512345", "32038512344"]],
    ["PT NIF", ptNifValid, ["234567813", "501234560"], ["234567814", "434567813"]],
    ["PPS", ppsValid, ["6433218U", "1234567T", "1234567TW"], ["6433218V", "1234567A"]],
    ["ES NSS", esNssValid, ["28 1234567840", "28/12345678/40"], ["28 1234567841"]],
    ["CIF", cifValid, ["B86561412"], ["B86561413", "I86561412"]],
    ["SIREN/SIRET", sirenSiretValid, ["732829320", "73282932000017"], ["732829321", "73282932000018"]],
    ["VAT", vatValid, ["DE136585900", "DE281937460", "FR44732829320", "FR83404833048", "IT07382910458", "BE0403170701", "ESB86561412"], ["DE136585901", "FR45732829320", "IT07382910459", "BE0403170702", "XX123456789"]],
  ];
  for (const [name, valid, good, bad] of cases) {
    it(`${name}: accepts valid numbers and rejects a changed digit`, () => {
      for (const v of good) expect(valid(v), v).toBe(true);
      for (const v of bad) expect(valid(v), v).toBe(false);
    });
  }

  it("checks the French RIB key over bank, branch and account (letters of the account count as digits)", () => {
    expect(ribKeyValid("30003", "01234", "00012345678", "54")).toBe(true);
    expect(ribKeyValid("30003", "01234", "00012345678", "55")).toBe(false);
    expect(ribKeyValid("3003", "01234", "00012345678", "54")).toBe(false);
  });
});
