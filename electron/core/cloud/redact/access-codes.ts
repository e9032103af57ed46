import { before, type Rule } from "./rule.js";

/**
 * Short codes that open something: PINs, one-time codes, door, alarm and key-box codes, recovery codes and card
 * security codes. They are plain digits, so each needs the words that name it; these rules find them by meaning
 * (a code word, the thing it opens, a stated value) rather than by one fixed phrase. All are SECRET.
 */

// A short numeric code, maybe with a letter in front (French digicodes: "B2741") or a key after ("5820#").
// Keypads also carry the letters A-D: "47B12", "1984B".
const CODE_VALUE = "((?:\\d(?:[ -]\\d){3,7}(?![ -]?\\d)|(?=[\\dA-D]{4,8}(?![\\dA-Za-z]))\\d{1,4}[A-D]\\d{0,4}|[A-Z]\\d{3,7}|\\d{4,8})[#*]?)(?![\\d.,]\\d|\\d)";
// "is", "ist le", "c'est le", "es el", and "set to", "auf", "op": how a code is stated or changed.
const STATED_LINK =
  "(?:\\s*[:=]\\s*|\\s+(?:is|ist|lautet|est|c['’]est|è|es|era|fue|fu|was|war|waren|wordt|werd|était|fut|ha sido|sono|son|are|sind|sont)\\s+(?:(?:le|la|el|il|het|de|the|now|jetzt|maintenant|nu|ora|ahora)\\s+)?|\\s+(?:to|auf|op|naar|à|en|a|su|in|als|mit|as|with|comme|come|como|met)\\s+|\\s*\\(\\s*)";
// Or nothing at all: "PIN bancomat 5508" (accepted for a PIN only).
const STATED = `(?:${STATED_LINK}|\\s+)`;
const STATED_AT_END = new RegExp(`${STATED_LINK}["'«„“]?$`, "iu");

// What a code opens or arms: doors, gates, key boxes, safes, cupboards, alarms, keypads, in six languages.
const LOCK_WORDS =
  "alarm|alarmanlage|alarmsystem|alarm system|alarm panel|alarme|système d['’]alarme|alarmsysteem|alarminstallatie|allarme|impianto d['’]allarme|alarma|" +
  "door|front door|back door|gate|entrance|keypad|key ?safe|key ?box|lock ?box|safe|cupboard|locker|cabinet|" +
  "tür|haustür|eingang|personaleingang|tor|hoftor|tastenfeld|schlüsselkasten|schlüsselsafe|schlüsseltresor|tresor|schrank|spind|" +
  "porte|portail|entrée|digicode|boîte à clés?|coffre|coffre-fort|armoire|casier|" +
  "deur|voordeur|achterdeur|poort|hek|ingang|sleutelkast|sleutelkluis|sleutelkastje|kluis|kluisje|kast|" +
  "porta|portone|cancello|ingresso|cassetta (?:delle|per le) chiavi|cassaforte|armadio|armadietto|" +
  "puerta|portal|verja|entrada|caja de llaves|cajetín|caja fuerte|armario|taquilla|" +
  "room|archive|server room|storeroom|raum|archiv|salle|local|archives|kamer|ruimte|archief|stanza|sala|archivio|reparto|cuarto|archivo|almacén|" +
  "building|get in|get into|entry|gebäude|haus|reinkommen|immeuble|bâtiment|résidence|gebouw|pand|binnenkomen|edificio|palazzo|stabile|entrar|ingreso";

// German and Dutch write the thing as one word: "Medikamentenschrank", "Aktenraum", "medicijnkast", "Hintertür".
const LOCK = new RegExp(
  `(?<![\\p{L}])(?:${LOCK_WORDS})(?![\\p{L}])|\\p{L}{3,}(?:kast|kastje|kluis|kluisje|schrank|raum|tür|tor|kamer|deur|poort|tresor|safe|box|kasten|ruimte|archiv|archief)(?![\\p{L}])`,
  "iu",
);

// The words for a PIN: a secret whatever it opens.
const PIN_WORD = /^(?:pin|pincode|pin-code|passcode|passnumber|pass number|geheimzahl|geheimnummer|security number|sicherheitsnummer|codice dispositivo|código de firma|clave de firma|code confidentiel|code de validation)/i;

// A payment card in the sentence makes a bare "code 8841" its PIN.
const CARD = /(?<![\p{L}])(?:card|carte|karte|kaart|carta|tarjeta|bankkarte|pinpas|bankpas)(?![\p{L}])/iu;

// "What is the code to get into the building? It's 3961.": the answer in the next short sentence.
const ANSWER = /(?:^|[.?!]\s+|\n)(?:it['’]s|it is|that['’]s|c['’]est|es|ist|è|het is|is)\s+["'«„“]?((?:\d{4,8})[#*]?)(?![\d.,]\d|\d)/giu;

// The word for "code" (and "PIN", "combination") that names the value.
const CODE_WORD = "code|codes|pin|pincode|pin-code|passcode|passnumber|pass number|geheimzahl|geheimnummer|security number|sicherheitsnummer|codice dispositivo|código de firma|clave de firma|code confidentiel|code de validation|combo|combi|kombi|combination|clé|clef|key|schlüssel|sleutel|chiave|llave|combinaison|combinatie|combinazione|combinación|kombination|zahlenkombination|codice|codici|código|códigos|kode";

// Words that make "code ... : 1234" something else: a postcode, a dialling or bank code, an error or a law.
const NOT_A_SECRET_CODE =
  /\b(?:post(?:al)?|postcode|zip|area|country|dialling|dialing|region|bank|banque|guichet|sort|branch|BIC|SWIFT|ABI|CAB|tax|fiscal|fiscale|steuer|ICD|CIM|CPT|NACE|NAF|APE|ATECO|CNAE|HS|product|article|artikel|articolo|artículo|error|erreur|errore|fehler|fout|status|exit|return|http|response|source|civil|pénal|penal|postale|postal|project|projet|projekt|progetto|proyecto|cost|kosten|budget|voucher|promo|discount|coupon|rabatt|gutschein)\b/i;

// One-time codes: the words around them ("the code received by SMS was 402918").
const OTP_WORDS =
  /\b(?:OTP|validation|Validierung|validatie|convalida|validación|confirmation|bevestiging|conferma|confirmación|Bestätigung|TAN|mTAN|2FA|MFA|one[- ]time|verification|verify|authenticat\w*|SMS|sms|text message|Einmal\w*|Bestätigungs\w*|Best[äa]tigungscode|vérification|à usage unique|reçu par SMS|verificatie\w*|eenmalige|codice di verifica|verifica|usa e getta|verificación|un solo uso|por SMS)\b|code (?:reçu|recibido|ricevuto|ontvangen|erhalten|received)/i;

// Recovery and backup codes, singular or plural, in six languages.
const RECOVERY_WORDS =
  /(?:recovery|backup|back-up|fallback) codes?|wiederherstellungs-?codes?|backup-?codes?|notfall-?codes?|codes? de (?:récupération|secours)|herstel-?codes?|back-?upcodes?|codici? di (?:recupero|backup|emergenza)|c[óo]digos? de (?:recuperación|respaldo|seguridad de respaldo)/i;

// Prepositions of time: after them a number is an hour or a year, not a code.
const TIME_OR_YEAR_WORDS =
  "at|from|since|in|by|until|till|before|after|around|um|seit|von|ab|bis|im|vor|nach|à|depuis|en|dès|vers|avant|après|om|sinds|van|tot|voor|na|rond|alle|dal|dalle|nel|fino al|prima del|dopo il|verso|a las|a la|desde|hasta|antes de|después de|hacia";
const YEAR_AFTER_PREPOSITION = new RegExp(`(?:^|\\s)(?:${"at|from|since|in|by|until|um|seit|von|ab|bis|im|depuis|en|dès|sinds|van|tot|dal|nel|desde|hasta"})\\s+\\S+\\s+(?:19|20)\\d{2}$`, "iu");
// Counts and amounts follow a number that is not a code: "reached 250000 users", "über 120000 Kunden".
const COUNT_AFTER = /^\s+(?:users|customers|clients|people|patients|messages|texts|codes|accounts|times|requests|Nutzer|Nutzerinnen|Kunden|Personen|Nachrichten|utilisateurs|personnes|messages|gebruikers|klanten|berichten|utenti|clienti|persone|messaggi|usuarios|clientes|personas|mensajes)\b/i;

/** A rule's prefilter: its keywords and, somewhere in the text, the two digits any code it finds must have. */
function withDigits(keywords: RegExp): RegExp {
  return new RegExp(`^(?=[\\s\\S]*?\\d[\\s-]?\\d)[\\s\\S]*?(?:${keywords.source})`, keywords.flags);
}

/** The `n` characters before `index`, from the start of their sentence on. */
function sentenceBefore(text: string, index: number, n: number): string {
  const head = before(text, index, n);
  const cut = Math.max(head.lastIndexOf(". "), head.lastIndexOf("? "), head.lastIndexOf("! "), head.lastIndexOf("\n"));
  return head.slice(cut + 1);
}

// "unlocks with 246810", "geht mit 3311 auf", "s'ouvre avec 0712", "si apre con la combinazione 4-19-33".
const OPENS_WITH =
  "unlocks?|unlocked|opens?|opened|entsperrt|öffnet|geht|lässt sich|s['’]ouvre|s['’]ouvrent|se déverrouille|opent|gaat|ontgrendelt|si apre|si aprono|si sblocca|se abre|se abren|se desbloquea";
const COMBINATION = "\\d{1,2}(?:-\\d{1,2}){2,3}(?![\\d-])";

export const ACCESS_CODE_RULES: Rule[] = [
  {
    type: "SECRET",
    re: new RegExp(
      `(?<![\\p{L}])(?:${OPENS_WITH})(?![\\p{L}])(?:\\s+[^\\s.!?]{1,15}){0,2}?\\s+(?:with|using|mit|avec|met|con|by)\\s+(?:(?:the|a|der|dem|den|le|la|l['’]|de|het|il|la|el|code|Code|codice|código|combinazione|combination|Kombination|combinaison|combinatie|combinación|PIN|pin)\\s*){0,2}["'«„“]?(${COMBINATION}|(?:\\d(?:[ -]\\d){3,7}(?![ -]?\\d)|\\d{4,8})[#*]?)(?![\\d.,]\\d|\\d)`,
      "giu",
    ),
    group: 1,
    when: withDigits(/unlock|open|entsperr|öffnet|geht|lässt|ouvre|déverrouill|gaat|ontgrendel|apre|sblocca|abre|desbloquea/i),
    accept: (m) => !/^(?:19|20)\d{2}$/.test(m[1] ?? ""),
  },
  {
    type: "SECRET",
    re: ANSWER,
    group: 1,
    when: withDigits(/it['’]s|it is|that['’]s|c['’]est|\bes\b|\bist\b|\bè\b|\bis\b/i),
    accept: (m, text) => {
      // The question is the sentence before the answer: the 160 characters before it hold it.
      const question = before(text, m.index, 160);
      return new RegExp(`(?<![\\p{L}])(?:${CODE_WORD})(?![\\p{L}])`, "iu").test(question) && (LOCK.test(question) || /pin|passcode/i.test(question));
    },
  },
  // PINs: "PIN 4821", "PIN-Code: 4821", "code PIN 4821", "pincode 4821", "codice PIN 4821", "código PIN 4821".
  {
    type: "SECRET",
    re: /\b(?:PIN(?:[- ]?(?:[Cc]ode|[Nn]umber|[Nn]ummer|Nr\.?|[Nn]o\.?))?|[Pp]in[- ]?[Cc]ode|code PIN|codice PIN|c[oó]digo PIN|Geheimzahl|Geheimnummer|code secret|code confidentiel|codice segreto|código secreto)(?![A-Za-z])\s*(?:(?:[:=]|['’]s|is|ist|lautet|est|c['’]est|è|es|was|war|era)\s*:?\s*(?:(?:le|il|el|het|de)\s+)?)?(\d{4,8})\b(?![.,]\d)/g,
    group: 1,
  },
  // PUK codes that unblock a SIM or a signature card: eight digits.
  { type: "SECRET", re: /\b(?:PUK2?|PUK-[Cc]ode|[Cc]odice PUK|c[oó]digo PUK|code PUK)\b\s*(?:[:=]|is|ist|lautet|est|è|es)?\s*:?\s*(\d{8})\b(?![.,]\d)/g, group: 1, overrides: ["PHONE", "ACCOUNT"] },
  // "pin: 4821", "my pin is 0042": lower case too, when it is stated as such.
  { type: "SECRET", re: /(?<![\p{L}])pin(?:[- ]?code)?\s*(?:[:=]|\s(?:is|was|ist|est|è|es))\s*(\d{4,8})\b(?![.,]\d)/giu, group: 1 },
  {
    type: "SECRET",
    re: /\b(?:PIN|code PIN|codice PIN|código PIN|[Pp]incode|code d['’]accès|codice di accesso|código de acceso|Zugangscode|toegangscode)\b(?:\s+[^\s:=]+){1,8}?(?:\s*[:=]\s*|\s+(?:is|ist|lautet|est|c['’]est|è|es|era|was|war)\s+)["'«„“]?(\d{4,8})\b(?![.,]\d)/g,
    group: 1,
  },
  // A code named by what it opens: "the pin for the drugs cupboard keypad is 7391", "code van de sleutelkast: 4719",
  // "El pin de la tarjeta del centro es 9034". The code word, a few words, then a stated value.
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])(?:${CODE_WORD})(?![\\p{L}])((?:\\s+[^\\s:=]{1,24}){0,8}?)${STATED}["'«„“]?${CODE_VALUE}`, "giu"),
    group: 2,
    when: withDigits(/code|pin|pass|geheim|combi|kombi|combo|codic|códig|kode|clé|clef|key|schlüssel|sleutel|chiave|llave|security|sicherheit|firma/i),
    rescan: true,
    accept: (m, text) => {
      const words = m[1] ?? "";
      // A number, a full stop or a second clause between word and value means the value belongs to something else.
      if (/\d|[.;!?]\s/.test(words)) return false;
      if (NOT_A_SECRET_CODE.test(words) || NOT_A_SECRET_CODE.test(before(text, m.index, 16))) return false;
      const value = m[2] ?? "";
      const head = m[0].slice(0, m[0].length - value.length);
      // A PIN is a secret whatever it opens; so is a code called secret or one for a payment card.
      const pin = PIN_WORD.test(m[0]) || PIN_WORD.test(words.trim()) || /secret|geheim|segret|secreto/i.test(words) || CARD.test(words);
      // With no "is" or ":" the value follows the words directly: only a PIN's, and never a year after "in"/"since".
      const bare = !STATED_AT_END.test(head);
      // "a pin 2024 sketch", "PIN in 2024 redesigned": a year without "is" or ":" is a date, not a code.
      const year = /^(?:19|20)\d{2}$/.test(value);
      if (year && (bare || /\s(?:to|auf|op|naar|à|en|a|su|in|als|mit|as|with|comme|come|como|met)\s+["'«„“]?$/iu.test(head))) return false;
      if (bare) return pin && words.trim().split(/\s+/).filter(Boolean).length <= 3 && !YEAR_AFTER_PREPOSITION.test(m[0]);
      if (pin) return true;
      // "to" / "in" / "with" state a change only for a PIN; after another code they are ordinary prepositions.
      if (/\s(?:to|auf|op|naar|à|en|a|su|in|als|mit|as|with|comme|come|como|met)\s+["'«„“]?[\dA-Z -]+[#*]?$/iu.test(m[0])) return false;
      return LOCK.test(words) || LOCK.test(sentenceBefore(text, m.index, 80));
    },
  },
  // "alarm - code 1357 then press set": "code" and the value with the thing it opens earlier in the sentence.
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])(?:code|codice|código|combo|combi|kombi)\\s+["'«„“]?${CODE_VALUE}`, "giu"),
    group: 1,
    when: withDigits(/code|codic|códig|combo|combi|kombi/i),
    accept: (m, text) => {
      const sentence = sentenceBefore(text, m.index, 80);
      return (LOCK.test(sentence) || CARD.test(sentence)) && !NOT_A_SECRET_CODE.test(sentence) && !YEAR_AFTER_PREPOSITION.test(sentence + m[0]);
    },
  },
  // One-time codes are six to eight digits: "TAN 123456", "code de vérification : 482913".
  {
    type: "SECRET",
    re: /\b(?:TAN|OTP|one-time code|one-time password|verification code|2FA code|MFA code|SMS[- ]code|code SMS|login code|sign-in code|authenticator code|authentication code|Sicherheitscode per SMS|SMS-TAN|mTAN|Anmeldecode|code de connexion|inlogcode|sms-code|codice SMS|código SMS|Einmalcode|Einmalpasswort|Bestätigungscode|code de vérification|code à usage unique|verificatiecode|eenmalige code|codice di verifica|codice OTP|código de verificación|código de un solo uso)\b\s*(?:[:=]|is|ist|lautet|est|è|es)?\s*:?\s*(\d{6,8})\b(?![.,]\d)/gi,
    group: 1,
  },
  // A six-to-eight-digit number in the same sentence as the words of a one-time code: "le code reçu par SMS 402918",
  // "Verificatiecode uit de sms was 558201", "codice OTP ricevuto: 301877".
  {
    type: "SECRET",
    re: /(?<![\d.,:/-])\d{6,8}(?!\d|[.,:/-]\d)/g,
    when: OTP_WORDS,
    accept: (m, text) => {
      const sentence = sentenceBefore(text, m.index, 70);
      if (COUNT_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 24))) return false;
      if (/(?:more than|over|about|around|reached|über|mehr als|rund|plus de|environ|meer dan|ruim|oltre|più di|circa|más de|unos|alrededor de)\s+$/i.test(sentence)) return false;
      return OTP_WORDS.test(sentence) && /code|pass|TAN|OTP|codice|código|wort|token|clave|chiave|sleutel|schlüssel|clé|pin/i.test(sentence);
    },
  },
  // Alarm, door and safe codes: "alarmcode ... code 7319", "codice dell'allarme: 5820#", "Türcode 4711", "Alarmanlage 0097",
  // "digicode du cabinet B2741".
  {
    type: "SECRET",
    re: /(?<![\p{L}])(?:alarm ?code|alarmcode|alarmanlage|alarm system|alarme|allarme|alarma|door code|gate code|safe code|key ?safe code|keypad code|türcode|tresorcode|torcode|digicode|code d['’]entrée|code de la porte|code porte|code d['’]alarme|code alarme|deurcode|kluiscode|codice (?:dell['’])?allarme|codice del portone|código de (?:la )?alarma|código de (?:la )?puerta)(?:\s+[^\s:=]+){0,6}?(?:\s*[:=]\s*|\s+(?:is|ist|lautet|est|c['’]est|è|es|era|was|war)\s+|\s+)["'«„“]?(?:(?:code|codice|código|Code)\s+)?((?:[A-Z]\d{3,7}|\d{4,8})[#*]?)(?!\d|[.,]\d)/giu,
    group: 1,
    when: withDigits(/alarm|door|gate|safe|keypad|tür|tresor|torcode|digicode|entrée|porte|deur|kluis|allarme|portone|alarma|puerta/i),
    // An alarm also rings at a time and a system dates from a year: "l'alarme sonne à 0700", "alarm system from 2015".
    accept: (m) => !new RegExp(`(?:^|\\s)(?:${TIME_OR_YEAR_WORDS})\\s+["'«„“]?[A-Z]?\\d{4,8}[#*]?$`, "iu").test(m[0]),
  },
  // "mon code c['’]est 7391", "el código es 4455": a numeric code stated as such.
  {
    type: "SECRET",
    re: /\b(?:code|Code|código|Código|codice|Codice|Code-PIN)\s+(?:is|ist|lautet|est|c['’]est|è|es|era|was|war|:)\s*:?\s*["'«„“]?\s*(\d{4,8})\b(?![.,]\d)(?!\s+(?:lines|Zeilen|lignes|regels|righe|líneas|bytes|ms)\b)/g,
    group: 1,
  },
  // Recovery and backup codes, one or a list of them after the word: "Codes de récupération : 5XKQ-8M2T-PL4W et 9RDN-...".
  {
    type: "SECRET",
    re: /(?<![\p{L}\p{N}-])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]{3,6}(?:[- ][A-Za-z0-9]{3,6}){1,3}(?![\p{L}\p{N}-])|(?<![\p{L}\p{N}-])\d{8,10}(?![\p{L}\p{N}-])/gu,
    when: RECOVERY_WORDS,
    accept: (m, text) => {
      // Only the list right after the word, in the same sentence.
      const sentence = sentenceBefore(text, m.index, 160);
      return RECOVERY_WORDS.test(sentence) && /\d/.test(m[0]);
    },
  },
  // Codes of letters and digits that sign in or activate: "authentication code is 7KQ2ZX", "Aktivierungscode: HX4-92PQ".
  {
    type: "SECRET",
    re: /(?<![\p{L}])(?:authentication code|auth code|activation code|access code|access key|login code|sign-in code|unlock code|Aktivierungscode|Freischaltcode|Zugangscode|Anmeldecode|Authentifizierungscode|code d['’]activation|code d['’]authentification|code d['’]accès|code de connexion|activeringscode|toegangscode|inlogcode|codice di attivazione|codice di accesso|codice di autenticazione|código de activación|código de acceso|código de autenticación)(?![\p{L}])(?:\s*[:=]\s*|\s+(?:is|ist|lautet|est|è|es|was|war|era)\s*:?\s*|\s+)["'«„“]?((?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Z])[A-Z0-9]{2,}(?:-[A-Z0-9]{2,}){0,3})(?![\p{L}\p{N}-])/giu,
    group: 1,
    when: /code|codic|códig|key|Zugang|toegang|accesso|acceso/i,
    // Upper-case letters or digits only, five or more: an activation code, not a word that happens to follow.
    accept: (m) => (m[1] ?? "").replace(/-/g, "").length >= 5 && (m[1] ?? "") === (m[1] ?? "").toUpperCase(),
  },
  // Card security codes: "CVV 123", "Kartenprüfnummer: 447", "cryptogramme visuel 382".
  {
    type: "SECRET",
    re: /(?<![\p{L}])(?:CVV2?|CVC2?|CSC|CID|card security code|security code|Kartenprüfnummer|Prüfnummer|Sicherheitscode|Kartenprüfziffer|cryptogramme(?: visuel)?|code de sécurité|code CVV|beveiligingscode|CVV-code|codice di sicurezza|codice CVV|código de seguridad|código CVV)(?![\p{L}])\s*(?:[:=#]|\s(?:is|ist|lautet|est|è|es|was|war))?\s*:?\s*(\d{3,4})(?![\d.,])/giu,
    group: 1,
    when: /cvv|cvc|csc|cid|security code|prüf|sicherheitscode|cryptogramme|sécurité|beveiliging|sicurezza|seguridad/i,
  },
];
