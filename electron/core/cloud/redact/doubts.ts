import type { Detection, RedactionType } from "./detection.js";
import { shannonEntropy } from "./validators.js";

/**
 * Why the redactor is not sure it hid everything in a text. Auto mode asks before sending a message with doubts
 * (chat/escalation.ts). Offsets point into the text as given to `redact` (the original), `end` exclusive.
 * `note` never quotes the text: it is shown in the preview and kept with the proposal.
 */
export type DoubtReason = "credential" | "disagreement" | "low-confidence";
export type Doubt = { reason: DoubtReason; type?: RedactionType; start: number; end: number; note: string };

/**
 * A kept detection below this confidence makes Auto ask. Format-only matches (a case number without its court, a
 * codice fiscale whose check letter fails) come at 0.6 and ask; a ZIP+4 (0.7) or a postcode (0.85) does not. Chosen
 * on the dev rows of the evaluation set: no PII-free prose row asks at any threshold up to 0.9.
 */
export const LOW_CONFIDENCE = 0.65;
/**
 * The same for the tagger (source "ner"), whose confidence is its margin squashed to 0.38..0.97 for a kept word: its
 * false names in ordinary prose sit at every margin, so only the smallest margins ask (dev prose: see doubts.test.ts).
 */
export const LOW_TAGGER_CONFIDENCE = 0.4;

// Words that announce a credential, in English, German, French, Dutch, Italian and Spanish. Generic ones ("key",
// "code", "clave") only count with a value-like token after them, see looksLikeSecret.
const CREDENTIAL_WORDS = [
  "passwords?", "passwd", "pwd", "pass ?phrase", "passcode", "pin(?: ?code)?", "tokens?", "secrets?",
  "(?:api|access|secret|private|licen[cs]e|product|encryption|signing|ssh) ?keys?", "credentials?", "auth(?:orization)?",
  "bearer", "otp", "one[- ]time code",
  "passwort", "kennwort", "zugangs(?:code|daten)", "geheimzahl", "geheimnis", "(?:api-)?schlüssel", "zugangsschlüssel",
  "mot de passe", "mdp", "code (?:secret|pin|d'accès)", "clé(?: api| secrète| d'accès)?", "jeton", "identifiants",
  "wachtwoord", "toegangscode", "pincode", "inlogcode", "(?:api-)?sleutel", "geheime code",
  "parola d'ordine", "codice (?:pin|segreto|di accesso)", "chiave(?: api| segreta| di accesso)?", "credenziali",
  "contraseña", "clave(?: de acceso| secreta| api)?", "código (?:pin|secreto|de acceso)", "credenciales",
];
const CREDENTIAL_WORD = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${CREDENTIAL_WORDS.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
/** Words after which a bare number is the secret: "PIN 4821", "Geheimzahl 0815". */
const NUMERIC_SECRET_WORD = /^(?:pin|pin ?code|pincode|passcode|geheimzahl|otp|code|codice|código)/i;

const USERINFO_URL = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]+:[^\s/@]+@[^\s]+/gi;
const CONNECTION_STRING =
  /\b(?:(?:server|data source|host|address)\s*=[^;\n]{1,200};[^\n]{0,300}?\b(?:password|pwd|accountkey|sharedaccesskey)\s*=|(?:accountkey|sharedaccesskey|sharedaccesssignature)\s*=)/gi;
const PEM_HEADER = /-----BEGIN [A-Z0-9 ]{0,40}(?:PRIVATE KEY|CERTIFICATE|OPENSSH|PGP)[A-Z0-9 ]{0,40}-----/g;
const LONG_TOKEN = /(?<![\w+/=.-])[A-Za-z0-9_+/=.-]{20,}(?![\w+/=-])/g;

/** A long run that looks machine-made (key, token, hash) rather than a word, a number or a path. */
export function isRandomLooking(token: string): boolean {
  const core = token.replace(/[.=]+$/, "");
  if (core.length < 20) return false;
  if (!/[0-9]/.test(core) || !/[A-Za-z]/.test(core)) return false;
  // Version strings and dotted names ("1.2.3-alpha.45", "com.example.app") are not secrets.
  if (/^[\w-]*(?:\.[\w-]+)+$/.test(core) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(core.replace(/\./g, ""))) return false;
  const isHex = /^[0-9a-fA-F-]+$/.test(core);
  return shannonEntropy(core) >= (isHex ? 3.0 : 3.5);
}

/**
 * Whether a token after a credential word looks like the secret itself: mixes letters with digits or symbols,
 * or mixes case inside the word ("Winter2025!Clinic", "hunter2", "Tr0ub4dor&3"); a bare number of 4-12 digits
 * only after PIN-like words. Ordinary words ("policy", "reset", "12") are not values.
 */
function looksLikeSecret(token: string, word: string, afterSeparator: boolean): boolean {
  const value = token.replace(/^["'«„“‘(]+|["'»“”’).,;:!?]+$/g, "");
  if (value.length < 4 || value.length > 200) return false;
  if (/^\d+$/.test(value)) return NUMERIC_SECRET_WORD.test(word) && value.length <= 12;
  if (afterSeparator && /[\p{N}\p{P}\p{S}]/u.test(value) && !/^\p{P}+$/u.test(value)) return true;
  if (value.length < 6) return false;
  const letters = /\p{L}/u.test(value);
  const digits = /\p{N}/u.test(value);
  const symbols = /[^\p{L}\p{N}\s'’-]/u.test(value);
  const innerCase = /\p{Ll}\p{Lu}/u.test(value);
  if (letters && (digits || symbols || innerCase)) return !/^\p{Lu}?\p{Ll}+-\p{N}{1,3}$/u.test(value); // "COVID-19"-like names
  return false;
}

function credentialNote(word: string): string {
  const w = word.toLowerCase();
  if (/^(?:pin|pincode|geheimzahl|otp|code|codice|código)/.test(w)) return "a PIN or code";
  if (/token|bearer|jeton|auth/.test(w)) return "a token";
  if (/key|schlüssel|clé|sleutel|chiave|clave/.test(w) && !/^clave$/.test(w)) return "a key";
  return "a password-like value";
}

/** Credential-like things, whether or not a detector redacted them. */
function credentialDoubts(text: string, detections: readonly Detection[]): Doubt[] {
  const doubts: Doubt[] = [];
  for (const d of detections) {
    if (d.type === "SECRET") doubts.push({ reason: "credential", type: "SECRET", start: d.start, end: d.end, note: "a password, key or token" });
  }
  for (const m of text.matchAll(CREDENTIAL_WORD)) {
    const word = m[0];
    const rest = text.slice(m.index + word.length, m.index + word.length + 60).split("\n")[0] ?? "";
    // The value follows within a few words: "password Winter2025!Clinic", "Passwort ist: x", "PIN: 4821".
    const separated = /^\s*(?:\(?[\p{L}]{0,12}\)?\s*)?[:=]/u.test(rest);
    let offset = m.index + word.length;
    let words = 0;
    for (const t of rest.matchAll(/\S+/g)) {
      if (++words > 4) break;
      if (/^[:=]+$/.test(t[0])) continue;
      const token = t[0].replace(/^[:=]+/, "");
      if (looksLikeSecret(token, word, separated)) {
        offset = m.index + word.length + t.index;
        doubts.push({ reason: "credential", type: "SECRET", start: offset, end: offset + t[0].length, note: credentialNote(word) });
        break;
      }
    }
  }
  for (const m of text.matchAll(USERINFO_URL)) {
    doubts.push({ reason: "credential", type: "SECRET", start: m.index, end: m.index + m[0].length, note: "a user name and password in an address" });
  }
  for (const m of text.matchAll(CONNECTION_STRING)) {
    doubts.push({ reason: "credential", type: "SECRET", start: m.index, end: m.index + m[0].length, note: "a connection string with a password or key" });
  }
  for (const m of text.matchAll(PEM_HEADER)) {
    doubts.push({ reason: "credential", type: "SECRET", start: m.index, end: m.index + m[0].length, note: "a private key or certificate" });
  }
  for (const m of text.matchAll(LONG_TOKEN)) {
    if (isRandomLooking(m[0])) {
      doubts.push({ reason: "credential", type: "SECRET", start: m.index, end: m.index + m[0].length, note: "a long random-looking string (a key or token?)" });
    }
  }
  return doubts;
}

const STRUCTURED = new Set<RedactionType>([
  "EMAIL", "PHONE", "CARD", "IBAN", "NATIONAL_ID", "ACCOUNT", "CASE_NUMBER", "MEDICAL_RECORD", "POSTCODE", "IP", "URL", "SECRET", "DATE", "AGE",
]);
/** Types that legitimately sit inside one another ("Maple Avenue, Springfield" holds a place). */
const NESTS: ReadonlyArray<[RedactionType, RedactionType]> = [
  ["ADDRESS", "LOCATION"], ["ADDRESS", "POSTCODE"], ["ADDRESS", "PERSON"], ["ORG", "PERSON"], ["ORG", "LOCATION"],
  ["EMAIL", "URL"], ["URL", "IP"], ["ADDRESS", "ORG"],
];
const nests = (outer: RedactionType, inner: RedactionType) => NESTS.some(([o, i]) => o === outer && i === inner);
const contains = (a: Detection, b: Detection) => a.start <= b.start && b.end <= a.end;
const isWordSource = (d: Detection) => d.source === "known" || d.source === "custom";
const typeLabel: Partial<Record<RedactionType, string>> = {
  PERSON: "a name", ORG: "an organisation", ADDRESS: "an address", LOCATION: "a place", CUSTOM: "one of your terms",
};

/**
 * Detectors of different types claiming the same text: partly overlapping spans (a value's edge may be left
 * out), or a value the conversation already hid (or the user's own term) that the tagger reads as another type.
 * A structured find that wholly holds another find (the domain inside an email) is not a disagreement.
 */
function disagreementDoubts(detections: readonly Detection[]): Doubt[] {
  const doubts: Doubt[] = [];
  const sorted = [...detections].sort((a, b) => a.start - b.start);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.start < a.end; j++) {
      const b = sorted[j]!;
      if (a.type === b.type) continue;
      const start = Math.min(a.start, b.start);
      const end = Math.max(a.end, b.end);
      if (contains(a, b) || contains(b, a)) {
        const [outer, inner] = contains(a, b) ? [a, b] : [b, a];
        if (STRUCTURED.has(outer.type) || nests(outer.type, inner.type)) continue;
        // The tagger and a known value (or the user's term) name the same words differently.
        const word = isWordSource(outer) ? outer : isWordSource(inner) ? inner : null;
        const other = word === outer ? inner : outer;
        if (word && other.source === "ner" && word.type !== "CUSTOM") {
          doubts.push({ reason: "disagreement", type: word.type, start, end, note: `the detectors disagree whether a value is ${typeLabel[word.type] ?? word.type.toLowerCase()} or ${typeLabel[other.type] ?? other.type.toLowerCase()}` });
        }
        continue;
      }
      // Partial overlap of two word values (a name running into an address): the tagger is unsure where one
      // ends. A validated pattern's span is hidden whole and wins, so a tagger span running over it is not a doubt.
      if (STRUCTURED.has(a.type) || STRUCTURED.has(b.type)) continue;
      doubts.push({ reason: "disagreement", type: a.type, start, end, note: "the detectors disagree where a value begins or ends" });
    }
  }
  return doubts;
}

function lowConfidenceDoubts(kept: readonly Detection[], threshold: number, taggerThreshold: number): Doubt[] {
  return kept
    .filter((d) => d.confidence !== undefined && d.confidence < (d.source === "ner" ? taggerThreshold : threshold))
    .map((d) => ({ reason: "low-confidence" as const, type: d.type, start: d.start, end: d.end, note: `a value the detectors are unsure about (${typeLabel[d.type] ?? d.type.toLowerCase().replace(/_/g, " ")}?)` }));
}

/**
 * Every doubt about one text: `found` are all detections before overlaps were resolved (with their sources),
 * `kept` what was redacted. Doubts of one reason over the same text are reported once.
 */
export function findDoubts(
  text: string,
  found: readonly Detection[],
  kept: readonly Detection[],
  options: { lowConfidence?: number; lowTaggerConfidence?: number } = {},
): Doubt[] {
  const all = [
    ...credentialDoubts(text, found),
    ...disagreementDoubts(found),
    ...lowConfidenceDoubts(kept, options.lowConfidence ?? LOW_CONFIDENCE, options.lowTaggerConfidence ?? LOW_TAGGER_CONFIDENCE),
  ].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Doubt[] = [];
  for (const d of all) {
    if (out.some((o) => o.reason === d.reason && o.start < d.end && d.start < o.end)) continue;
    out.push(d);
  }
  return out;
}
