import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const secrets = (text: string): string[] => found(text).filter(([t]) => t === "SECRET").map(([, v]) => v);

describe("password phrasings", () => {
  it("the Dutch 'ww' with words before its value, lower case only", () => {
    expect(secrets("het ww van de gedeelde mailbox is balie2026 — schrijf een instructie")).toEqual(["balie2026"]);
    expect(secrets("ww voor de printer: Toner!55")).toEqual(["Toner!55"]);
    // "WW" is the unemployment benefit.
    expect(secrets("De WW-uitkering van de cliënt is 2026 gestopt.")).toEqual([]);
  });

  it("a value after words and 'still is' in several languages", () => {
    expect(secrets("la contraseña del correo compartido sigue siendo recepcion2026, redacta un aviso")).toEqual(["recepcion2026"]);
    expect(secrets("Das Passwort des Gastnetzes bleibt Gast2026!, bitte Aushang")).toEqual(["Gast2026!"]);
    expect(secrets("The password policy remains strict for all staff.")).toEqual([]);
  });

  it("Wi-Fi configuration keys", () => {
    expect(secrets('network={ ssid="Clinic-Staff" psk="Surgery-Wifi-2026" }')).toEqual(["Surgery-Wifi-2026"]);
    expect(secrets("wpa_passphrase=Harbour#Lights77")).toEqual(["Harbour#Lights77"]);
    expect(secrets("Explain what a PSK is and why WPA3 uses SAE.")).toEqual([]);
  });
});
