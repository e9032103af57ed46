import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const secrets = (text: string): string[] => found(text).filter(([t]) => t === "SECRET").map(([, v]) => v);

describe("access codes", () => {
  it("a code named by what it opens, in any case, with words between", () => {
    expect(secrets("the pin for the staff room keypad is 2846, don't share it")).toEqual(["2846"]);
    expect(secrets("de code van het sleutelkastje bij de achterdeur: 5531")).toEqual(["5531"]);
    expect(secrets("El pin de la tarjeta de la farmacia es 9034.")).toEqual(["9034"]);
    expect(secrets("Alarmanlage Archiv 3318, Tür hinten offen lassen")).toEqual(["3318"]);
    expect(secrets("le digicode de l'immeuble B4417 a changé")).toEqual(["B4417"]);
    expect(secrets("il codice del cancello del parcheggio è 6021")).toEqual(["6021"]);
  });

  it("the thing opened may come first, as a compound, or the code word may be a key or a combination", () => {
    expect(secrets("the back door has a keypad, combo is 5174. Memo please")).toEqual(["5174"]);
    expect(secrets("Server room alarm - code 2291 then press set.")).toEqual(["2291"]);
    expect(secrets("Code vom Medikamentenschrank: 6093")).toEqual(["6093"]);
    expect(secrets("der Code für den Aktenraum ist 7142")).toEqual(["7142"]);
    expect(secrets("la clé de la boîte à clés du cabinet médical, c'est 0420, tu peux ?")).toEqual(["0420"]);
    expect(secrets("il codice della porta del reparto è cambiato, ora è 2468*")).toEqual(["2468*"]);
    expect(secrets("The keypad was installed in 2019, code 4410 since then")).toEqual(["4410"]);
    expect(secrets("The alarm was fitted in March 2019 by the landlord")).toEqual([]);
  });

  it("keypad letters, an article before the value, a PIN set 'to' a value, a card's code, an answer to the question", () => {
    expect(secrets("le code d'entrée de l'immeuble est le 47B12, merci")).toEqual(["47B12"]);
    expect(secrets("el código para entrar al edificio es 1984B; gracias")).toEqual(["1984B"]);
    expect(secrets("I set my passcode to 0815 and now it fails")).toEqual(["0815"]);
    expect(secrets("Sa carte : 5529 1084 3377 1203, code 8841.")).toEqual(["8841"]);
    expect(secrets("They asked what the code to get into the building is. It's 3961.")).toEqual(["3961"]);
    expect(secrets("The code was moved to 2019 standards.")).toEqual([]);
    expect(secrets("What is the code of the ICD chapter? It's 2019 content.")).toEqual([]);
  });

  it("PINs typed with spaces or dashes, after 'with'/'als', or straight after the card's words", () => {
    expect(secrets("the PIN written on the back: 9 2 0 4. How do we respond?")).toEqual(["9 2 0 4"]);
    expect(secrets("Der Kunde hat seine Geheimzahl mit 4-7-1-1 angegeben")).toEqual(["4-7-1-1"]);
    expect(secrets("De klant gaf zijn pincode als 1-9-7-3 door")).toEqual(["1-9-7-3"]);
    expect(secrets("Il cliente ha comunicato il suo PIN bancomat 5508 via chat")).toEqual(["5508"]);
    expect(secrets("El cliente escribió su PIN de la tarjeta, 3317, en el formulario")).toEqual(["3317"]);
    expect(secrets("Le client a tapé son code secret de carte (7731) dans le chat")).toEqual(["7731"]);
    expect(secrets("telephone banking passnumber is 55120")).toEqual(["55120"]);
    expect(secrets("PIN in 2024 redesigned")).toEqual([]);
  });

  it("what a code opens with, security numbers, validation codes, past tenses", () => {
    expect(secrets("the tablet at reception unlocks with 246810 - write a policy")).toEqual(["246810"]);
    expect(secrets("Die Tür zum BtM-Raum geht mit 3311 auf, leider")).toEqual(["3311"]);
    expect(secrets("Le coffre du cabinet s'ouvre avec 0712, ne l'écris pas")).toEqual(["0712"]);
    expect(secrets("La cassaforte si apre con la combinazione 4-19-33, è nel verbale")).toEqual(["4-19-33"]);
    expect(secrets("The office opened with 2019 figures")).toEqual([]);
    expect(secrets("her security number for phone banking is 730419 and")).toEqual(["730419"]);
    expect(secrets("il suo codice dispositivo è 81330, lo ha scritto")).toEqual(["81330"]);
    expect(secrets("son code PIN était 9120. Rédige la demande")).toEqual(["9120"]);
    expect(secrets("Code de validation reçu : 551380. Quelle procédure ?")).toEqual(["551380"]);
    expect(secrets("El cliente recibió la clave de un solo uso 602193 y")).toEqual(["602193"]);
  });

  it("not a time, a year, a postcode, an error or a rule", () => {
    expect(secrets("The alarm system from 2015 needs a new battery")).toEqual([]);
    expect(secrets("l'alarme sonne à 0700 chaque matin")).toEqual([]);
    expect(secrets("The code of conduct is 2019 vintage.")).toEqual([]);
    expect(secrets("the error code for the door sensor is 4040")).toEqual([]);
    expect(found("Code postal : 75001 Paris")).toEqual([["POSTCODE", "75001"]]);
    expect(secrets("The door code policy changed in 2021.")).toEqual([]);
  });

  it("one-time codes by the words around them, not counts in the same sentence", () => {
    expect(secrets("le code reçu par SMS 482913. Quelle réponse ?")).toEqual(["482913"]);
    expect(secrets("Verificatiecode uit de sms was 558201, die heb ik doorgestuurd")).toEqual(["558201"]);
    expect(secrets("codice OTP ricevuto: 301877")).toEqual(["301877"]);
    expect(secrets("El código de verificación que llegó por SMS fue 774019, lo mandé")).toEqual(["774019"]);
    expect(secrets("The SMS code rollout reached 250000 users.")).toEqual([]);
  });

  it("a list of recovery codes after the word, singular or plural, in its sentence only", () => {
    expect(secrets("Wiederherstellungscodes: 8H3K-2PQ9, 7MZT-4W1C. Wohin damit?")).toEqual(["8H3K-2PQ9", "7MZT-4W1C"]);
    expect(secrets("Codes de récupération du compte : 5XKQ-8M2T-PL4W et 9RDN-3HV7-QC2B")).toEqual(["5XKQ-8M2T-PL4W", "9RDN-3HV7-QC2B"]);
    expect(secrets("backup codes 4417 2093, 8812 0031")).toEqual(["4417 2093", "8812 0031"]);
    expect(secrets("Recovery codes are shown once. See page 12 of the 2024-11 guide")).toEqual([]);
  });
});

describe("activation and PUK codes", () => {
  it("an authentication or activation code of letters and digits, in six languages", () => {
    expect(secrets("Our Companies House authentication code is 7KQ2ZX, keep it safe.")).toEqual(["7KQ2ZX"]);
    expect(secrets("Aktivierungscode: HX4-92PQ für die Software")).toEqual(["HX4-92PQ"]);
    expect(secrets("Le code d'activation est A7K9P2, merci.")).toEqual(["A7K9P2"]);
    expect(secrets("codice di attivazione 4ZT8Q1 della firma")).toEqual(["4ZT8Q1"]);
    // A word or a lower-case name after it is not the code.
    expect(secrets("The activation code is emailed within 24 hours.")).toEqual([]);
    expect(secrets("See the access code policy (ISO 27001).")).toEqual([]);
  });

  it("a PUK is a secret, not a phone number", () => {
    expect(found("Il PIN della firma è 80417 e il PUK 55219043.")).toEqual([
      ["SECRET", "80417"],
      ["SECRET", "55219043"],
    ]);
  });
});
