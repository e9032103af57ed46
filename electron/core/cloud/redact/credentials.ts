import { ACCESS_CODE_RULES } from "./access-codes.js";
import { before, type Rule } from "./rule.js";

/**
 * Credentials: passwords and PINs named in six languages, passwords inside URLs, connection strings, private
 * keys and the token formats of common clouds and SaaS. All are SECRET.
 */

// The word for "password" (and its kin) in English, German, French, Dutch, Italian and Spanish.
// German and Dutch compounds count too: "Zugangspasswort", "certificaatwachtwoord".
const PASSWORD_WORD =
  "(?:(?:passwort|kennwort|wachtwoord)|(?<![\\p{L}])(?:pw|pwd|pswd|mdp)(?![\\p{L}])|(?<![\\p{L}])pin(?![\\p{L}-])|(?<![\\p{L}])(?:passwords?|passwd|passcode|pass ?phrase|memorable word|secret word|recovery codes?|backup codes?|wiederherstellungscode|code de récupération|herstelcode|codice di recupero|código de recuperación|license key|licence key|product key|lizenzschlüssel|clé de licence|licentiesleutel|chiave di licenza|clave de licencia|wlan-schlüssel|wlan-key|wifi key|wi-fi key|wpa2? key|wpa-schlüssel|network key|netzwerkschlüssel|clé wi-?fi|clé wpa|netwerksleutel|chiave wi-?fi|clave wi-?fi|zugangscode|zugangsdaten|mot de passe|code d['’]accès|wachtwoord|toegangscode|parola d['’]ordine|parola chiave|code secret|codice segreto|código secreto|código de acceso|vergadercode|meeting code|meeting passcode|meeting password|kenncode|parola d['’]accesso|codice di accesso|contraseña|contrasena|clave de acceso|clave))";
// What may stand between the word and the value: ":", "=", "is", "ist", "est"... or nothing ("password Winter2025!").
// An adverb may follow the verb: "ist noch", "is still", "est toujours", "è ancora", "sigue siendo".
// Longest first: "nog steeds" must not stop at "nog".
const STILL = "(?:(?:still|now|currently|previously|before|bisher|früher|vorher|voorheen|eerder|auparavant|avant|prima|antes|immer noch|noch|jetzt|toujours|encore|maintenant|nog steeds|nog altijd|nog|nu|ancora|adesso|ora|todavía|ahora|sigue siendo|désormais|dorénavant|voortaan|vanaf nu|ab jetzt|ab sofort|d['’]ora in poi|da ora|a partir de ahora|desde ahora|from now on)\\s+)?";
const LINK = `(?:['’]s\\s+${STILL}|\\s*:\\s*(?:c['’]est|it['’]s|es|ist|è|is)\\s+${STILL}|\\s*[:=]\\s*|\\s*—\\s*|\\s+(?:is|was|ist|lautet|lautete|war|est|c['’]est|était|è|era|es|sigue siendo|wordt|werd|wird|wurde|devient|sera|diventa|sarà|será|becomes|will be)\\s*:?\\s*${STILL}|\\s*(?:-|–|→)\\s*|\\s+)`;
// "« Cabinet2024 »": French quotes are set off by a space.
const QUOTE_OPEN = "([\"'«„“‘`(]?)(?:(?<=«)[ \\u00a0\\u202f])?";
// Up to eight words between the password word and an explicit "is" / ":": "la contraseña del programa de citas es ...".
// "... changed to Spring2024!" / "geändert auf" / "changé en" / "gewijzigd naar" / "cambiata in" / "cambiado a".
const WORDS_THEN_LINK = `(?:\\s+[^\\s:=]+){1,12}?(?:\\s*[:=]\\s*|\\s+[—–]\\s+|\\s+(?:is|ist|lautet|est|c['’]est|è|es|era|was|war|sigue siendo|sigue|bleibt|blijft|reste|resta|rimane|remains|stays)\\s+${STILL}|\\s+(?:to|auf|in|en|naar|a|su)\\s+|\\s+(?:wordt|werd|wird|wurde|devient|deviendra|sera|diventa|diventerà|sarà|será|pasa a ser|becomes|will be)\\s+(?:[^\\s:=]+\\s+){0,3}?(?=[^\\s,;]*\\d))`;
// A final full stop ends the sentence, not the password.
const VALUE = "([^\\s\"'«»„“”‘’`,;]{3,63}[^\\s\"'«»„“”‘’`,;.)])";
// The value ahead holds a digit: a few plain words before it cannot swallow it.
const DIGIT_AHEAD = "(?=[^\\s\"'«»„“”‘’`,;]*\\d)";

// Words that follow "password" in ordinary sentences: "password reset", "Passwort vergessen".
const NOT_A_PASSWORD = new Set(
  (
    "reset change changed manager managers policy policies required expired expires protected protection field fields " +
    "hint hints strength length rules rule please must should will would needs need here there this that with without " +
    "from into your their every each when which while after before again also just only still then than have has been " +
    "being were does doing done into over under about login logins prompt prompts recovery vergessen ändern geändert " +
    "zurücksetzen eingeben erforderlich abgelaufen richtlinie oublié oublie changer modifier réinitialiser requis expiré " +
    "vergeten wijzigen herstellen verplicht verlopen dimenticata dimenticato cambiare reimpostare obbligatoria scaduta " +
    "olvidada olvidado cambiar restablecer obligatoria caducada correcta correct incorrect wrong invalid valid sicher " +
    "secure strong weak stark schwach fort faible sterk zwak forte debole fuerte débil the same different a an " +
    "le la les un une der die das ein eine het een de il lo el los las uno una not nicht pas niet non no"
  ).split(" "),
);

/** A bare or "is"-linked value must look like a password: a digit, a symbol or mixed case, and not a common word. */
export function looksLikePassword(raw: string, linkedByColon: boolean): boolean {
  // "Passwort vergessen?": sentence punctuation after a word does not make it a password.
  const value = raw.replace(/[!?]+$/u, "");
  if (NOT_A_PASSWORD.has(value.toLowerCase())) return false;
  if (linkedByColon) return true;
  // "password 2024 report": a short bare number is a year or a count, not a password.
  if (/^\d{1,5}$/.test(value)) return false;
  return /\d/.test(value) || /[^\p{L}\p{N}]/u.test(value) || /\p{Ll}\p{Lu}/u.test(value);
}

function passwordRules(): Rule[] {
  const accept = (m: RegExpExecArray): boolean => {
    const value = m[2] ?? "";
    const quoted = (m[1] ?? "") !== "";
    const linkedByColon = /[:=]\s*["'«„“‘`(]?$/u.test(m[0].slice(0, m[0].length - value.length));
    if (quoted && !NOT_A_PASSWORD.has(value.toLowerCase())) return true;
    // "le code d['’]accès est 4521": a number stated as the password is one.
    const stated = /\s(?:is|ist|lautet|est|c['’]est|è|es|war|was)\s*:?\s*$/iu.test(m[0].slice(0, m[0].length - value.length));
    if (stated && /^\d{4,8}$/.test(value)) return true;
    return looksLikePassword(value, linkedByColon);
  };
  const when = /pass|wort|\bpwd?\b|\bmdp\b|\bpin\b|vergader|meeting|kenncode|secret|segreto|secreto|mot de|wacht|parola|contrase|clave|zugang|toegang|codice|código|memorable|secret word|schlüssel|key|clé|sleutel|chiave|accès|acceso|accesso|recovery|backup|herstel|récupération|recupero|recuperación/i;
  return [
    { type: "SECRET", re: new RegExp(`${PASSWORD_WORD}${LINK}${QUOTE_OPEN}${VALUE}`, "giu"), group: 2, when, accept },
    {
      type: "SECRET",
      re: new RegExp(`${PASSWORD_WORD}${WORDS_THEN_LINK}${QUOTE_OPEN}${VALUE}`, "giu"),
      group: 2,
      when,
      // After several words only a value that looks made up counts, or a numeric code stated as such: "... est 8812".
      accept: (m) => {
        const value = m[2] ?? "";
        const head = m[0].slice(0, m[0].length - value.length);
        if (/\s(?:to|auf|in|en|naar|a|su)\s+["'«„“‘`(]?$/iu.test(head)) return looksLikePassword(value, false);
        // "wordt per 1 juni Raad#Juni2026": after a change and a date, only a made-up value.
        if (/\s(?:wordt|werd|wird|wurde|devient|deviendra|sera|diventa|diventerà|sarà|será|pasa a ser|becomes|will be)\s/iu.test(head)) return madeUp(value);
        return accept(m) || /^\d{4,8}$/.test(value);
      },
    },
    // A few plain words, then a made-up value with no "is" or ":": "la clave de firma Firma!9021", "Passwort fürs
    // WLAN Sonne2024". Only a value that cannot be a word counts (see madeUp).
    {
      type: "SECRET",
      re: new RegExp(`${PASSWORD_WORD}((?:\\s+[\\p{L}'’-]{1,16}){1,3}?)\\s+${QUOTE_OPEN}${DIGIT_AHEAD}${VALUE}`, "giu"),
      group: 3,
      when,
      rescan: true,
      accept: (m) => plainWords(m[1] ?? "") && madeUp(m[3] ?? ""),
    },
    // Wi-Fi keys named near the network: "wifi is Clinic-Guest, key mapleLeaf7731", "chiave wifi sala consiliare X1!".
    {
      type: "SECRET",
      re: new RegExp(`(?<![\\p{L}])(?:${WIFI_KEY_WORD})(?![\\p{L}])((?:\\s+[\\p{L}'’-]{1,20}){0,3}?)(?:\\s*[:=]\\s*|\\s+)${QUOTE_OPEN}${DIGIT_AHEAD}${VALUE}`, "giu"),
      group: 3,
      when: WIFI,
      rescan: true,
      accept: (m, text) => WIFI.test(before(text, m.index, 80) + m[0]) && plainWords(m[1] ?? "") && madeUp(m[3] ?? ""),
    },
  ];
}

// The network named nearby makes a "key" or "code" its Wi-Fi key.
const WIFI = /wi-?fi|wlan|wireless|ssid|\bréseau\b|\bnetwerk\b|\brete\b|\bred\b|\bnetz\b/i;
const WIFI_KEY_WORD = "key|code|password|passwort|kennwort|schlüssel|clé|cle|mot de passe|mdp|sleutel|wachtwoord|chiave|password|clave|contraseña";
// Words that may stand between a password word and its value: "de firma", "for the portal"; not a verb or a noun of
// the password's own vocabulary ("reset", "policy") that starts another sentence.
const FUNCTION_WORDS = new Set("the a an of for to on at in de la le les du des del della di da van von het een für fürs zum zur für per para pour voor por dell dello".split(" "));
function plainWords(words: string): boolean {
  return words
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => FUNCTION_WORDS.has(w.toLowerCase()) || !NOT_A_PASSWORD.has(w.toLowerCase()));
}

/** A value no dictionary has: letters with digits (or symbols), six characters or more, not a product name ("Office365"). */
export function madeUp(raw: string): boolean {
  const value = raw.replace(/[!?]+$/u, "");
  if (value.length < 6 || NOT_A_PASSWORD.has(value.toLowerCase())) return false;
  if (!/\p{L}/u.test(value)) return false;
  const digits = /\d/.test(value);
  const symbol = /[^\p{L}\p{N}]/u.test(raw);
  if (!digits && !(symbol && /\p{Ll}\p{Lu}|\p{Lu}\p{Ll}.*[^\p{L}\p{N}]/u.test(value))) return false;
  // Capitalised word and a short number: a product or a model (Office365, Windows11, A320), not a password.
  if (/^\p{Lu}?\p{Ll}*\d{1,3}$/u.test(value) && !symbol) return false;
  return !/^\d+(?:[.,:/-]\d+)*$/.test(value) && !/^v?\d+(?:\.\d+)+/i.test(value);
}

// A user name next to a password is half of the credential: "identifiant cabinet.morel, mot de passe ...".
const USER_WORD =
  "(?:account name|account|compte|konto|conto|cuenta|inlognaam|inlog|login name|user ?name|user ?id|user|login|benutzername|benutzer|anmeldename|kennung|identifiant|utilisateur|nom d['’]utilisateur|gebruikersnaam|gebruiker|nome utente|utente|usuario|nombre de usuario)";

const DUTCH_WW = /(?<![\p{L}\p{N}-])ww(?![\p{L}\p{N}-])/u;
const PASSWORD_NEAR = new RegExp(`${PASSWORD_WORD}|\\bPIN\\b`, "iu");

export const CREDENTIAL_RULES: Rule[] = [
  ...passwordRules(),
  // A value no word or name has: upper and lower case, a digit and a symbol inside ("Pebble!Moor42", "Surgery#Admin9").
  // Hashtags and handles start with their symbol; hyphens, dots and slashes join names and references instead.
  {
    type: "SECRET",
    when: /[\p{L}\p{N}][!#$%&*?@+=~^]+[\p{L}\p{N}]/u,
    re: /(?<![\p{L}\p{N}!#$%&*?@+=~^._\/-])(?=[^\s]*\p{Lu})(?=[^\s]*\p{Ll})(?=[^\s]*\d)[\p{L}\p{N}][\p{L}\p{N}!#$%&*?@+=~^]{6,38}[\p{L}\p{N}!?#$%&*]/gu,
    accept: (m) => {
      const value = m[0].replace(/[!?]+$/u, "");
      return /[\p{L}\p{N}][!#$%&*?@+=~^]+[\p{L}\p{N}]/u.test(value) && !/^[\p{L}\p{N}]+@[\p{L}\p{N}]+$/u.test(value.replace(/\d+$/, "")) ;
    },
  },
  ...ACCESS_CODE_RULES,
  {
    type: "SECRET",
    // "login: j.doe", "VPN login is g.lewis", "inlog voor het zaaksysteem: hvd.gemeente".
    re: new RegExp(`\\b${USER_WORD}(?:(?:\\s+[^\\s:]{1,20}){1,3}?\\s*:|\\s+(?:is|ist|lautet|est|è|es|was|war)(?![\\p{L}]))?\\s*[:=]?\\s*["'«„“]?([\\p{L}\\p{N}._@-]{3,40}[\\p{L}\\p{N}])`, "giu"),
    group: 1,
    when: /pass|wort|mot de|wacht|contrase|clave|PIN|pwd?\b|mdp|credenz|credenc|credential|kennw|\bww\b/i,
    rescan: true,
    accept: (m, text) => {
      const around = text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 80);
      // After "account" / "compte" a number is the account itself (records.ts), not a log-in name.
      if (/^(?:account|compte|konto|conto|cuenta)/i.test(m[0]) && !/\p{L}/u.test(m[1] ?? "")) return false;
      return /[._@\d]/u.test(m[1] ?? "") && (PASSWORD_NEAR.test(around) || DUTCH_WW.test(around));
    },
  },
  // Dutch "ww" (wachtwoord), lower case only: "WW-51-84-71-D" or "WW2" are something else.
  { type: "SECRET", re: new RegExp(`${DUTCH_WW.source}\\.?(?:\\s*[:=]\\s*|\\s+)${QUOTE_OPEN}${VALUE}`, "gu"), group: 2, when: DUTCH_WW, accept: (m) => looksLikePassword(m[2] ?? "", false) },
  // Answers to security questions are secrets even when they are plain words: "memorable place: Whitby".
  {
    type: "SECRET",
    re: /(?<![\p{L}])(?:memorable (?:word|place|name|date)|security answer|secret answer|security question answer|mother['’]s maiden name|Sicherheitsantwort|Antwort auf die Sicherheitsfrage|réponse secrète|réponse à la question secrète|antwoord op de beveiligingsvraag|risposta segreta|risposta alla domanda di sicurezza|respuesta secreta|respuesta de seguridad)\s*(?:[:=]|\(|\s(?:is|ist|lautet|est|è|es|was|war)\s)\s*["'«„“(]?([\p{L}\p{N}][\p{L}\p{N}'’-]{2,30})/giu,
    group: 1,
    when: /memorable|security|secret|maiden|sicherheit|secrète|beveiliging|segreta|sicurezza|seguridad/i,
    accept: (m) => !NOT_A_PASSWORD.has((m[1] ?? "").toLowerCase()),
  },
  // "credentials: admin / Hunter22": a user and a password after the word for login details.
  {
    type: "SECRET",
    re: /(?<![\p{L}])(?:credentials|login details|(?:log-?in|user(?:name)?|benutzer|utilisateur|gebruiker|utente|usuario)\s?\/\s?(?:pw|pwd|pass(?:word)?|passwort|kennwort|mdp|mot de passe|wachtwoord|contraseña)|log-?in|sign-?in|user\s?\/\s?pass(?:word)?|user(?:name)?\s?(?:and|&|\/)\s?password|Zugangsdaten|Anmeldedaten|Login-Daten|Benutzer\s?\/\s?Passwort|identifiants|inloggegevens|credenziali|credenciales|Zugang|accès|toegang|accesso|acceso)(?:(?:\s+[^\s:/,;]{1,24}){1,6}?\s*:|(?:\s+(?:is|are|ist|sind|lautet|lauten|sont|est|zijn|is|sono|è|son|es)(?![\p{L}]))?\s*:?)\s*([^\s/,;:]{2,40}\s?\/\s?[^\s,;]{4,64}[^\s,;.])/giu,
    group: 1,
    accept: (m) => /\d|[^\p{L}\s/]/u.test((m[1] ?? "").split("/")[1] ?? ""),
  },
  // "scheme://user:password@host/...": a URL that carries its credentials is a credential as a whole.
  { type: "SECRET", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]/gi },
  // Database and broker URLs carry host, user and password: the whole string is a credential.
  {
    type: "SECRET",
    re: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|couchdb|cockroachdb|clickhouse|neo4j(?:\+s)?):\/\/[^\s"'<>`]+[^\s"'<>`.,;)]/gi,
  },
  { type: "SECRET", re: /\bjdbc:[a-z0-9]+:[^\s"'<>`]+[^\s"'<>`.,)]/gi },
  // ADO.NET / Azure key=value strings with a password or key in them.
  {
    type: "SECRET",
    re: /\b(?:[A-Za-z][A-Za-z ]{1,30}=[^;\n"']+;\s*){1,12}[A-Za-z][A-Za-z ]{1,30}=[^;\n"'\s]+;?/g,
    when: /=[^;\n]*;/,
    accept: (m) => /\b(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|sig)\s*=/i.test(m[0]) && (m[0].match(/=/g) ?? []).length >= 2,
  },
  // Shared access signatures: the sig= value signs the URL.
  { type: "SECRET", re: /[?&](sig=[A-Za-z0-9%+/=]{16,})/g, group: 1, when: /sig=/ },
  // Private keys (whole PEM blocks are in patterns.ts): also those cut off before their END line or with literal \n (JSON key files).
  { type: "SECRET", re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:(?:\s|\\n)*[A-Za-z0-9+/=:,-]{8,})+/g },
  // AWS: a secret access key named as such, or a 40-character key next to an access key id.
  {
    type: "SECRET",
    re: /\b(?:aws_?secret_?access_?key|secret_?access_?key|SecretAccessKey|aws_?secret)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  {
    type: "SECRET",
    re: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (m, text) => /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/.test(text.slice(Math.max(0, m.index - 200), m.index + 240)) && /\d/.test(m[0]) && /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0]),
  },
  // Key names whose value is a credential whatever it looks like.
  {
    type: "SECRET",
    re: /\b(?:private_key_id|client_secret|auth_token|authToken|access_token|refresh_token|api_secret|app_secret|secret_key|signing_key|webhook_secret|AccountKey|SharedAccessKey)["']?\s*[:=]\s*["']?([^\s"',;]{8,})/g,
    group: 1,
  },
  { type: "SECRET", re: /\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)/g, group: 1 },
  { type: "SECRET", re: /\bBasic\s+([A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])/g, group: 1, accept: (m, text) => /authorization/i.test(text.slice(Math.max(0, m.index - 30), m.index)) },
  // SaaS token formats with a fixed prefix.
  { type: "SECRET", re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { type: "SECRET", re: /\bpypi-[A-Za-z0-9_-]{50,}/g },
  { type: "SECRET", re: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64}/g },
  { type: "SECRET", re: /\b(?:SK|AC)[0-9a-f]{32}\b/g },
  { type: "SECRET", re: /\b(?:whsec|sk_live|rk_live|sk_test|rk_test)_[A-Za-z0-9]{16,}/g },
  { type: "SECRET", re: /\bxapp-\d-[A-Za-z0-9-]{10,}/g },
  { type: "SECRET", re: /\bhttps:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g },
  { type: "SECRET", re: /\bgl(?:dt|rt|ptt|cbt|oas|soat)-[A-Za-z0-9_-]{20,}/g },
  { type: "SECRET", re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g },
  { type: "SECRET", re: /\bya29\.[A-Za-z0-9_-]{20,}/g },
  { type: "SECRET", re: /\bkey-[0-9a-f]{32}\b/g },
  { type: "SECRET", re: /\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/g },
  { type: "SECRET", re: /\bdop_v1_[a-f0-9]{64}\b/g },
  { type: "SECRET", re: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/g },
  { type: "SECRET", re: /\b(?:sk-ant-(?:api|admin)\d{2}-)[A-Za-z0-9_-]{20,}/g },
  { type: "SECRET", re: /\bhf_[A-Za-z0-9]{30,}/g },
  // A quoted passphrase may hold spaces: password 'correct horse battery staple'.
  {
    type: "SECRET",
    re: new RegExp(`${PASSWORD_WORD}${LINK}(["'«„“‘])([^"'«»„“”‘’\\n]{4,64}?)["'»“”’]`, "giu"),
    group: 2,
    when: /pass|wort|mot de|wacht|parola|contrase|clave|pwd/i,
    accept: (m) => !NOT_A_PASSWORD.has((m[2] ?? "").toLowerCase()) && /\S\s\S/.test(m[2] ?? ""),
  },
  // Command lines with a password: mysql -pSecret, curl -u user:pass, --password=..., sshpass -p ...
  {
    type: "SECRET",
    re: /\b(?:mysql|mysqldump|mariadb|mysqladmin)\b[^\n]*?\s-p([^\s-][^\s]{2,})/g,
    group: 1,
  },
  { type: "SECRET", re: /\b(?:curl|wget|http)\b[^\n]*?\s(?:-u|--user)\s+["']?([^\s:"']+:[^\s"']+)/g, group: 1 },
  { type: "SECRET", re: /(?<![\w-])(?:--password|--passwd|--pass|--token|--secret|--api-key)(?:=|\s+)["']?([^\s"']{3,})/g, group: 1 },
  { type: "SECRET", re: /\bsshpass\s+-p\s*["']?([^\s"']{3,})/g, group: 1 },
  // "use Harbour2024 to log in", "log in with Falcon!2023", "mit Sonne22 einloggen": a made-up word used to sign in.
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])(?:use|using|mit|avec|met|con)\\s+${QUOTE_OPEN}${VALUE}["'»“”’]?\\s+(?:to\\s+(?:log|sign)\\s?(?:in|on)|to\\s+(?:login|access)|(?:zum\\s+)?(?:einloggen|anmelden|Einloggen|Anmelden)|pour\\s+(?:vous\\s+|te\\s+|se\\s+)?(?:connecter|identifier)|(?:om\\s+)?in\\s+te\\s+loggen|inloggen|per\\s+(?:accedere|entrare)|para\\s+(?:entrar|acceder|iniciar\\s+sesión))`, "giu"),
    group: 2,
    accept: (m) => looksLikePassword(m[2] ?? "", false) && /\d/.test(m[2] ?? "") && /\p{L}/u.test(m[2] ?? ""),
    confidence: 0.7,
  },
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])(?:(?:log|sign)\\s?(?:in|on)|login|einloggen|anmelden|connecte[zr]?(?:-vous)?|inloggen|accedi|accedere|entra|inicia\\s+sesión|entrar)\\s+(?:with|using|mit|avec|met|con)\\s+(?:(?:the|das|le|het|la|el)\\s+)?${QUOTE_OPEN}${VALUE}`, "giu"),
    group: 2,
    accept: (m) => looksLikePassword(m[2] ?? "", false) && /\d/.test(m[2] ?? "") && /\p{L}/u.test(m[2] ?? "") && !/@/.test(m[2] ?? ""),
    confidence: 0.7,
  },
  // Config lines: DB_PASSWORD=..., SECRET_KEY = '...', "apiKey": "...", AZURE_CLIENT_SECRET=...: the key's name says it.
  {
    type: "SECRET",
    re: /(?<![A-Za-z0-9])(["']?)((?:[A-Za-z][A-Za-z0-9_.-]*?)?(?:password|passwd|passwort|pwd|pass|secret|token|api_?key|apikey|private_?key|access_?key|credentials?|auth_?token|auth_?key|session_?id)[A-Za-z0-9_]*)\1\s*[:=]\s*["']?([^\s"'`,;]{4,}[^\s"'`,;.])/gi,
    group: 3,
    when: /pass|pwd|secret|token|key|credential|auth|session|cookie/i,
    accept: (m) => {
      const name = m[2] ?? "";
      const value = m[3] ?? "";
      if (NOT_A_PASSWORD.has(value.toLowerCase())) return false;
      // MAX_TOKENS=40960, SESSION_TIMEOUT=18000: a plain number is a setting unless the key names a password or PIN.
      if (/^\d+$/.test(value) && !/pass|pwd|pin|secret/i.test(name)) return false;
      // Only a key as code names it (snake, camel, upper case, quoted): prose words ("Boarding pass:") have other rules.
      return (/[_.-]|[a-z][A-Z]|^[A-Z0-9_]+$/.test(name) || (m[1] ?? "") !== "") && (looksLikePassword(value, false) || value.length >= 8);
    },
  },
  // Session ids and cookies: the value signs a user in.
  {
    type: "SECRET",
    re: /(?<![A-Za-z0-9])(?:session[ _-]?id|session[ _-]?token|session[ _-]?key|sessionid|sid|JSESSIONID|PHPSESSID|ASP\.NET_SessionId|connect\.sid|csrf[_-]?token|xsrf-token|remember_token|auth[_-]?cookie|_session)\s*[:=]\s*["']?([A-Za-z0-9%._~+/=-]{8,})/gi,
    group: 1,
    when: /sess|sid|csrf|xsrf|token|cookie/i,
    accept: (m) => /\d/.test(m[1] ?? "") && /[A-Za-z]/.test(m[1] ?? ""),
  },
  // SSH public keys name their holder's machine; the key body is treated as a credential.
  { type: "SECRET", re: /\b(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d{3})\s+(AAAA[A-Za-z0-9+/]{20,}={0,3})/g, group: 1 },
  // A long secret-looking value right after "token", "key" or "secret" without a colon: "token 9f8e7d6c5b4a...".
  {
    type: "SECRET",
    re: /\b(?:token|api[ _-]?key|secret|schlüssel|clé|sleutel|chiave|clave)\s+([A-Za-z0-9_+/=.-]{16,})/gi,
    group: 1,
    accept: (m) => /\d/.test(m[1] ?? "") && /[A-Za-z]/.test(m[1] ?? "") && !/^\d+(?:\.\d+)+$/.test(m[1] ?? ""),
  },
];
