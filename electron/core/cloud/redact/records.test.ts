import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);

describe("medical record numbers", () => {
  it("with their keyword in six languages, labelled MEDICAL_RECORD (never PHONE)", () => {
    const cases: Array<[string, string]> = [
      ["MRN 4827193 admitted", "4827193"],
      ["MRN: 0048-2719 admitted", "0048-2719"],
      ["medical record number 00-48-2719", "00-48-2719"],
      ["Patientennummer 12345678 bitte", "12345678"],
      ["Pat.-Nr. 2023/4711 aufgenommen", "2023/4711"],
      ["n° de dossier 2023-00456 transmis", "2023-00456"],
      ["patiëntnummer 7654321 opgenomen", "7654321"],
      ["cartella clinica n. 2023/4567 aggiornata", "2023/4567"],
      ["historia clínica 987654 revisada", "987654"],
      ["NHC: 55123 ingresado", "55123"],
      ["Aufnahmenummer A-55318207 vom Montag", "A-55318207"],
      ["dhr. Jansen (patiëntnr. 7712094) belde", "7712094"],
      ["Patiënt Lotte Meijer, dossier AMC-2025-55190, allergisch voor jodium", "AMC-2025-55190"],
    ];
    for (const [text, value] of cases) expect(found(text), text).toEqual([["MEDICAL_RECORD", value]]);
  });
});

describe("account numbers, sort codes and routing numbers", () => {
  it("account numbers with their keyword", () => {
    const cases: Array<[string, string]> = [
      ["account number 12345678 at the bank", "12345678"],
      ["Kontonummer 0532013000 bei der Bank", "0532013000"],
      ["Konto-Nr. 1234567 bitte", "1234567"],
      ["numéro de compte 00012345678", "00012345678"],
      ["rekeningnummer 123456789 bij", "123456789"],
      ["numero di conto 000012345 presso", "000012345"],
      ["número de cuenta 12345678 en", "12345678"],
      ["policy number POL-2023-88812 covers", "POL-2023-88812"],
      ["Kundennummer 4711-0815 angeben", "4711-0815"],
      ["Payroll error, employee no. E0048812 underpaid", "E0048812"],
      ["Vertragsnummer V-2023-1188 kündigen", "V-2023-1188"],
      ["Kontonr. 12345678 bitte", "12345678"],
      ["Kundennr. 445566 angeben", "445566"],
      ["Gehaltsfehler, Personalnummer 20017734, bitte", "20017734"],
      ["Erreur de paie, matricule 004417, à corriger", "004417"],
      ["busta paga, matricola 77120, da correggere", "77120"],
      ["nómina, n.º de empleado 0078812, a revisar", "0078812"],
    ];
    for (const [text, value] of cases) expect(found(text), text).toEqual([["ACCOUNT", value]]);
  });

  it("UK sort codes are ACCOUNT, never DATE", () => {
    expect(found("Sort code 12-34-56, account 12345678")).toEqual([
      ["ACCOUNT", "12-34-56"],
      ["ACCOUNT", "12345678"],
    ]);
    expect(found("sort code: 20-12-05 please")).toEqual([["ACCOUNT", "20-12-05"]]);
    expect(found("Pay 20-12-05 41234567 today")).toEqual([
      ["ACCOUNT", "20-12-05"],
      ["ACCOUNT", "41234567"],
    ]);
  });

  it("ABA routing numbers only when the check holds", () => {
    expect(found("routing number 021000021")).toEqual([["ACCOUNT", "021000021"]]);
    // A failing check is no routing number; the nine digits still go, as the generic long number they are.
    expect(found("routing number 021000022")).toEqual([["PHONE", "021000022"]]);
  });

  it("bank and branch codes, 'n° de cliente' forms, account endings and sort codes in tables", () => {
    const accounts = (text: string): string[] => found(text).filter(([t]) => t === "ACCOUNT").map(([, v]) => v);
    expect(accounts("code banque 20041, code guichet 01005 : peux-tu vérifier")).toEqual(["20041", "01005"]);
    expect(accounts("son code guichet (00450) par chat")).toEqual(["00450"]);
    expect(accounts("nº de cliente CLI-774201, queja")).toEqual(["CLI-774201"]);
    expect(accounts("n. di conto 000004417730 del cliente")).toEqual(["000004417730"]);
    expect(accounts("la cuenta del cliente termina en 4471, el embargo")).toEqual(["4471"]);
    expect(accounts("pay into acc 71920348 sort 40 11 62 today")).toEqual(["71920348", "40 11 62"]);
    expect(accounts('"Jones","30-15-99","70331842"')).toEqual(["30-15-99", "70331842"]);
    expect(accounts("cuenta nómina 0049 4410 27 3311720045, certificado")).toEqual(["0049 4410 27 3311720045"]);
    expect(accounts("Tagesgeldkonto 8801 4471 20 kündigen")).toEqual(["8801 4471 20"]);
    expect(accounts("Livret A n° 12448801733 à clôturer")).toEqual(["12448801733"]);
    expect(accounts("Sort the results by date, sort 2024 first")).toEqual([]);
  });

  it("counts after 'compte', 'Konto' or 'cuenta' are not accounts", () => {
    for (const text of ["Il compte 1 500 employés.", "Das Konto wurde 2024 eröffnet.", "La cuenta tiene 2.500 euros.", "the account grew 1,250,000 dollars"]) {
      expect(found(text).filter(([t]) => t === "ACCOUNT"), text).toEqual([]);
    }
  });
});

describe("account keys and members' numbers", () => {
  const accounts = (text: string): string[] => found(text).filter(([t]) => t === "ACCOUNT").map(([, v]) => v);
  it("the two-digit key that completes a French RIB or a Spanish CCC, beside the account", () => {
    expect(accounts("numéro de compte 00012345678, clé RIB 54. Rédige la lettre.")).toContain("54");
    expect(accounts("código de entidad 2100, oficina 0418, dígitos de control 45")).toContain("45");
    // Without bank words near it, "clé 54" is nothing to hide.
    expect(accounts("La clé 54 de la serrure est perdue.")).toEqual([]);
  });

  it("a member's number of a health insurer or a mutual fund, with five digits or more", () => {
    expect(accounts("Patiente belge, mutuelle MUT-558210. Résume la lettre.")).toEqual(["MUT-558210"]);
    expect(accounts("Krankenkasse: 4471920, bitte Antrag")).toEqual(["4471920"]);
    expect(accounts("Versicherungsscheinnummer LV-4471-2290-03 kündigen")).toEqual(["LV-4471-2290-03"]);
    // Years and ranges after the word are not members' numbers.
    expect(accounts("La mutuelle 2024 change ses garanties, l'assurance-vie 2019-2024 aussi.")).toEqual([]);
  });
});
