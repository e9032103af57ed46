import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const secrets = (text: string): string[] => found(text).filter(([t]) => t === "SECRET").map(([, v]) => v);

describe("credentials", () => {
  it("password phrases in six languages, with or without ':' or 'is'", () => {
    const cases: Array<[string, string]> = [
      ["password Winter2025!Clinic", "Winter2025!Clinic"],
      ["The password is Winter2025!Clinic.", "Winter2025!Clinic"],
      ["the password for the portal is Kx9!mmq2", "Kx9!mmq2"],
      ["passphrase: correct-horse-battery", "correct-horse-battery"],
      ["passcode 77aa91", "77aa91"],
      ["Passwort: Sommer#2024", "Sommer#2024"],
      ["Das Passwort lautet Tr0ub4dor&3", "Tr0ub4dor&3"],
      ["Kennwort ist Haus2024 bitte ändern", "Haus2024"],
      ["mot de passe Bonjour2024", "Bonjour2024"],
      ["le mot de passe est azerty123", "azerty123"],
      ["wachtwoord Welkom01", "Welkom01"],
      ["Het wachtwoord is Zomer2023", "Zomer2023"],
      ["la password è Ciao2024", "Ciao2024"],
      ["contraseña Hola1234$", "Hola1234$"],
      ["Mi contraseña es secreta99", "secreta99"],
      ["password: sunshine", "sunshine"],
    ];
    for (const [text, value] of cases) expect(secrets(text), text).toEqual([value]);
  });

  it("fillers and changes: 'ist noch', 'changed to', a stated numeric code, typed apostrophes, user/password pairs", () => {
    expect(secrets("Das Passwort ist noch Sommer2024")).toEqual(["Sommer2024"]);
    expect(secrets("the password was changed to Spring2024!")).toEqual(["Spring2024!"]);
    expect(secrets("la contraseña sigue siendo Madrid#22")).toEqual(["Madrid#22"]);
    expect(secrets("le code d'accès est 4521")).toEqual(["4521"]);
    expect(secrets("Le code d’accès est 4521")).toEqual(["4521"]);
    expect(secrets("credentials: admin / Hunter22")).toEqual(["admin / Hunter22"]);
    expect(secrets("API-Schlüssel: abcd1234efgh")).toEqual(["abcd1234efgh"]);
    expect(secrets("the password changed to 2024 policy")).toEqual([]);
    expect(secrets("The password was reset to default.")).toEqual([]);
  });

  it("security answers, recovery codes and licence keys", () => {
    expect(secrets("memorable place: Whitby")).toEqual(["Whitby"]);
    expect(secrets("mother’s maiden name is Harrington")).toEqual(["Harrington"]);
    expect(secrets("recovery codes: 8f2k-9d3m")).toEqual(["8f2k-9d3m"]);
    expect(secrets("license key ABCD-EFGH-1234-5678")).toEqual(["ABCD-EFGH-1234-5678"]);
    expect(secrets("PIN-Nr. 4711 bitte")).toEqual(["4711"]);
    expect(secrets("The security answer is required.")).toEqual([]);
  });

  it("Wi-Fi keys, abbreviations after a colon, one-time codes", () => {
    expect(secrets("the Wi-Fi password is BlueFalcon77")).toEqual(["BlueFalcon77"]);
    expect(secrets("WLAN-Schlüssel: sonnenblume42")).toEqual(["sonnenblume42"]);
    expect(secrets("login: admin pw: Admin123")).toEqual(["Admin123"]);
    expect(secrets("mdp : Azerty12")).toEqual(["Azerty12"]);
    expect(secrets("Ihre Geheimzahl 4711 nicht weitergeben")).toEqual(["4711"]);
    expect(secrets("TAN 123456 eingeben")).toEqual(["123456"]);
    expect(secrets("code de vérification : 482913")).toEqual(["482913"]);
    expect(secrets("the TAN 2024 plan")).toEqual([]);
  });

  it("PINs", () => {
    expect(secrets("Your PIN 4821 expires.")).toEqual(["4821"]);
    expect(secrets("PIN-Code: 9931")).toEqual(["9931"]);
    expect(secrets("le code PIN est 0042")).toEqual(["0042"]);
    expect(secrets("pincode 123456")).toEqual(["123456"]);
  });

  it("codes after several words, alarm codes, and the user name beside a password", () => {
    expect(secrets("La clave de la tarjeta de LexNET del abogado es 771204 y")).toEqual(["771204"]);
    expect(secrets("le mot de passe de l'intranet de la mairie est Marianne1789!")).toEqual(["Marianne1789!"]);
    expect(secrets("dit certificaatwachtwoord: PKIo_Gem2025!x gebruikt")).toEqual(["PKIo_Gem2025!x"]);
    expect(secrets("de alarmcode op de deur geplakt: code 7319.")).toEqual(["7319"]);
    expect(secrets("codice dell'allarme sulla bacheca: 5820# da cambiare")).toEqual(["5820#"]);
    expect(secrets("mon code c'est 7391")).toEqual(["7391"]);
    expect(secrets("identifiant cabinet.morel, mot de passe Azur2024!")).toEqual(["cabinet.morel", "Azur2024!"]);
    expect(secrets("memorable word (bluebell) and PIN 4829")).toEqual(["bluebell", "4829"]);
    // A user name without a password nearby is just a name in a sentence.
    expect(secrets("the user j.smith opened a ticket")).toEqual([]);
  });

  it("leaves ordinary sentences about passwords and PINs alone", () => {
    for (const text of [
      "Please reset your password before Monday.",
      "Use a password manager and a strong password.",
      "Passwort vergessen? Klicken Sie hier.",
      "Le mot de passe doit contenir 12 caractères.",
      "The password policy requires 12 characters and a symbol.",
      "Change your password every 90 days.",
      "Use PIN codes of at least 6 digits.",
      "password-protected files from 2024",
      "Het wachtwoord is verlopen.",
      "la contraseña es obligatoria",
      "a pin 2024 sketch",
      "The code is 4000 lines long.",
      "error code 404 and code 500",
    ]) {
      expect(secrets(text), text).toEqual([]);
    }
  });

  it("URLs with user:password, connection strings and JDBC URLs", () => {
    for (const s of [
      "https://bob:hunter22@git.example.org/repo.git",
      "postgres://admin:S3cr3t!@db.example.com:5432/clinic",
      "mysql://root:pw@localhost/app",
      "mongodb+srv://user:pa55word@cluster0.abcde.mongodb.net/test",
      "jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=Secret1",
      "Server=tcp:myserver.database.windows.net,1433;Initial Catalog=db;User ID=sa;Password=Pa$$w0rd123;",
      "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abcdEFGH1234ijklMNOP5678==;EndpointSuffix=core.windows.net",
    ]) {
      const text = `use ${s} please`;
      const hidden = secrets(text).join(" ");
      expect(hidden.length, s).toBeGreaterThanOrEqual(s.replace(/;$/, "").length - 1);
    }
  });

  it("cloud and SaaS tokens, private keys and signatures", () => {
    const tokens = [
      "npm_abcdefghijklmnopqrstuvwxyz0123456789",
      "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NTY3",
      "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      "SK0123456789abcdef0123456789abcdef",
      "whsec_abcdefghijklmnop1234",
      "xapp-1-A0123456789-0123456789012-abcdef",
      "glrt-abcdefghijklmnopqrst12",
      "ya29.a0AfH6SMBx-abcdefghijklmnopqrstuvwxyz",
      "dop_v1_" + "a1".repeat(32),
      "123456789:AAbcdefghijklmnopqrstuvwxyz0123456",
    ];
    for (const t of tokens) expect(secrets(`token: ${t} `), t).toEqual([t]);
    expect(secrets("Authorization: Bearer abc123def456ghi789jkl")).toEqual(["abc123def456ghi789jkl"]);
    const aws = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    expect(secrets(aws)).toEqual(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]);
    const sas = "https://acct.blob.core.windows.net/c/f.txt?sv=2020-08-04&sig=AbCdEf1234567890%2BxyzQWE%3D";
    expect(secrets(sas)).toEqual(["sig=AbCdEf1234567890%2BxyzQWE%3D"]);
    const gcp = '{"type": "service_account", "private_key_id": "1a2b3c4d5e6f", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}';
    expect(secrets(gcp).join(" ")).toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    expect(secrets(gcp).join(" ")).toContain("1a2b3c4d5e6f");
    const cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAMwAAAAtzc2gtZW";
    expect(secrets(`my key:\n${cut}`)).toEqual([cut]);
  });

  it("abbreviations, a few words before a made-up value, Wi-Fi keys named near the network", () => {
    expect(secrets("gebruiker advocaat.bos, ww Recht&Zaak9")).toEqual(["advocaat.bos", "Recht&Zaak9"]);
    expect(secrets("utente avv.rinaldi, pwd Giustizia#88")).toEqual(["avv.rinaldi", "Giustizia#88"]);
    expect(secrets("la parola chiave per aprire l'archivio è Tribunale2025")).toEqual(["Tribunale2025"]);
    expect(secrets("nos dio la clave de firma Firma!9021 por teléfono")).toEqual(["Firma!9021"]);
    expect(secrets("Passwort fürs WLAN Sonne2024 am Empfang")).toEqual(["Sonne2024"]);
    expect(secrets("Reception wifi is Clinic-Guest, key mapleLeaf7731. Make a sign.")).toEqual(["mapleLeaf7731"]);
    expect(secrets("chiave wifi sala consiliare Consiglio2026! - sul sito?")).toEqual(["Consiglio2026!"]);
    expect(secrets("la contrasena del programa (sin tilde, el teclado no la tiene) es Hospi2025xq")).toEqual(["Hospi2025xq"]);
    expect(secrets("Zugangsdaten zum Mandantenportal: mueller.kanzlei / Rechtsweg#2025")).toEqual(["mueller.kanzlei / Rechtsweg#2025"]);
    expect(secrets("Het wachtwoord voor de raad wordt per 1 juni Raad#Juni2026.")).toEqual(["Raad#Juni2026"]);
    expect(secrets("son mot de passe d'accès en ligne Chamonix74! dans le formulaire")).toEqual(["Chamonix74!"]);
    expect(secrets("Shared login for the lab results portal: labresults / Pathology#77")).toEqual(["labresults / Pathology#77"]);
    expect(secrets("compte mairie.etatcivil, mot de passe EtatCivil#88")).toEqual(["mairie.etatcivil", "EtatCivil#88"]);
    expect(secrets("compte 12345678, mot de passe EtatCivil#88")).toEqual(["EtatCivil#88"]);
    expect(secrets("IT reset the mailbox, the new one is Pebble!Moor42 (capital P).")).toEqual(["Pebble!Moor42"]);
    expect(secrets("le mot de passe a été changé hier : c'est désormais Mairie#Nord26.")).toEqual(["Mairie#Nord26"]);
    expect(secrets("Zugang: VR-NetKey gesperrt, Online-PIN Firma2026! bitte ändern")).toEqual(["Firma2026!"]);
    expect(secrets("Teams-vergadering, vergadercode Bos2026!. Stel de uitnodiging op")).toEqual(["Bos2026!"]);
    expect(secrets("Accès Zoom : code secret Avocat24, ID 812 4471 9930")).toEqual(["Avocat24"]);
    expect(secrets("SARS-CoV-2, #Covid19, @JohnSmith2, Ctrl+Alt+Del, C++17, Na+/K+-ATPase")).toEqual([]);
    expect(secrets("his VPN login is g.lewis and the password IT set is Temp-4471-Vpn")).toEqual(["g.lewis", "Temp-4471-Vpn"]);
    expect(secrets("inlog voor het zaaksysteem: hvd.gemeente met wachtwoord Zaak!2026")).toEqual(["hvd.gemeente", "Zaak!2026"]);
    expect(secrets("sent the login in plain text: user jpark_lit, password Discovery!2026.")).toEqual(["jpark_lit", "Discovery!2026"]);
    // Product names and plain words after the same phrases stay.
    expect(secrets("the password for the Windows11 laptop expired")).toEqual([]);
    expect(secrets("Passwort für Office365 vergessen?")).toEqual([]);
    expect(secrets("Our wifi router model AX3000 is old")).toEqual([]);
    expect(secrets("the password policy for all staff requires 12 characters")).toEqual([]);
  });

  it("every credential detection says it came from the patterns", () => {
    const text = "password Winter2025!Clinic";
    expect(detectPatterns(text).filter((d) => d.type === "SECRET").every((d) => d.source === "pattern")).toBe(true);
  });
});
