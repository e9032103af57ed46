import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const secrets = (text: string): string[] => found(text).filter(([t]) => t === "SECRET").map(([, v]) => v);

describe("log-in names beside their password", () => {
  it("with words between the keyword and the name", () => {
    expect(secrets("Identifiant intranet c.martin et mot de passe provisoire Bienvenue2026.")).toEqual(["c.martin", "Bienvenue2026"]);
    expect(secrets("Benutzer im Portal k.wolf_2, Passwort folgt per SMS")).toEqual(["k.wolf_2"]);
  });

  it("a plain name joined to 'and password'", () => {
    expect(secrets("Usuario lgarcia y contraseña Mayo2026!Rrhh para el portal.")).toEqual(["lgarcia", "Mayo2026!Rrhh"]);
    expect(secrets("user jsmith and password Tulip!7743 for the VPN")).toEqual(["jsmith", "Tulip!7743"]);
  });

  it("not the words of a sentence about accounts and passwords", () => {
    for (const text of [
      "Every user account and password policy must be reviewed yearly.",
      "The login page and password reset flow need a redesign.",
      "Explain how user names and passwords are stored in Active Directory.",
      "Der Benutzer admin und das Passwort werden bei der Installation gesetzt.",
    ]) {
      expect(secrets(text), text).toEqual([]);
    }
  });
});

describe("passphrases of plain words", () => {
  it("after the passphrase's own word and a colon, up to the end of the clause", () => {
    expect(secrets("ssh-sleutel wachtwoordzin: de kat zit op de mat — leg uit waarom")).toEqual(["de kat zit op de mat"]);
    expect(secrets("Passphrase: orange piano river cloud. Please store it.")).toEqual(["orange piano river cloud"]);
  });

  it("not a rule about passphrases", () => {
    expect(secrets("Passphrase: at least four random words.")).toEqual([]);
    expect(secrets("A passphrase is a sequence of random words, easier to remember.")).toEqual([]);
  });
});
