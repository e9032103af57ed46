import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const typeOf = (text: string, value: string): RedactionType | undefined => found(text).find(([, v]) => v === value)?.[0];

describe("more national identifiers, labelled NATIONAL_ID", () => {
  const examples: Array<[string, string]> = [
    ["Agent finlandais en détachement, HETU 131052-308T. Prépare un résumé.", "131052-308T"],
    ["Kollegin aus Helsinki, 010594Y123W, bitte Vertrag vorbereiten", "010594Y123W"],
    ["Patient Jan Novák, Rodné číslo 785103/1111, tschechische Versicherung.", "785103/1111"],
    ["Paziente rumena, CNP 2850723412341, tessera sanitaria in arrivo.", "2850723412341"],
    ["Her husband's Norwegian fødselsnummer is 01018543229.", "01018543229"],
    ["Client's Danish CPR number is 230466-1387 for the probate file.", "230466-1387"],
    ["Mitarbeiterin, Sozialversicherungsnummer Österreich 4887120764, wechselt zu uns.", "4887120764"],
    ["Dipendente greco, AMKA 12038512344. Prepara un riepilogo.", "12038512344"],
    ["Paciente polaco, PESEL 92110738210, tarjeta sanitaria europea.", "92110738210"],
    ["Patiënt uit Portugal, NIF 234567813, polisnummer volgt.", "234567813"],
    ["Número de afiliación a la Seguridad Social 28 1234567840, redacta el alta.", "28 1234567840"],
  ];
  for (const [text, value] of examples) {
    it(`finds ${value}`, () => expect(typeOf(text, value), text).toBe("NATIONAL_ID"));
  }

  it("needs a word naming an identifier where the check passes by chance too often", () => {
    // Valid PESEL, AMKA, CPR and Austrian numbers, but the sentence speaks of an order, a phone or an invoice.
    expect(typeOf("Order 92110738210 shipped today.", "92110738210")).not.toBe("NATIONAL_ID");
    expect(typeOf("Call me on 230466-1387 tomorrow.", "230466-1387")).not.toBe("NATIONAL_ID");
    expect(typeOf("Rechnung 4887120764 ist bezahlt.", "4887120764")).not.toBe("NATIONAL_ID");
  });

  it("rejects numbers whose check fails even beside the word", () => {
    expect(typeOf("HETU 131052-308U", "131052-308U")).toBeUndefined();
    expect(typeOf("Rodné číslo 785103/1112", "785103/1112")).not.toBe("NATIONAL_ID");
    expect(typeOf("CNP 2850723412342", "2850723412342")).not.toBe("NATIONAL_ID");
  });
});

describe("business numbers, labelled ACCOUNT", () => {
  const examples: Array<[string, string]> = [
    ["Steuer-ID 57203948510, USt-IdNr. DE281937465. Entwirf ein Anschreiben.", "DE281937465"],
    ["Invoice footer: DE136585900", "DE136585900"],
    ["TVA intracommunautaire FR44732829320 et SIRET 73282932000017.", "73282932000017"],
    ["Partita IVA dello studio 07382910458, riformula l'intestazione.", "07382910458"],
    ["CIF de la empresa B86561412 y pie de firma.", "B86561412"],
  ];
  for (const [text, value] of examples) {
    it(`finds ${value}`, () => expect(typeOf(text, value), text).toBe("ACCOUNT"));
  }

  it("leaves article, version and regulation numbers of prose alone", () => {
    for (const text of [
      "Article 6(1)(f) GDPR and Regulation (EU) 2016/679 apply.",
      "Der Fehler trat in Version 10.2.3 auf, Port 8443.",
      "La directive 2015/2366 (DSP2) impose l'authentification forte.",
      "Il DPR 633/1972 disciplina l'IVA.",
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});
