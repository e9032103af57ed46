import { ADDRESS_RULES } from "./addresses.js";
import { AGE_RULES } from "./ages.js";
import { CASE_NUMBER_RULES } from "./case-numbers.js";
import { CREDENTIAL_RULES } from "./credentials.js";
import { DATE_RULES } from "./dates.js";
import type { Detection } from "./detection.js";
import { NATIONAL_ID_RULES } from "./national-ids.js";
import { MORE_ID_RULES } from "./national-ids-more.js";
import { PHONE_RULES } from "./phones.js";
import { POSTCODE_RULES } from "./postcodes.js";
import { RECORD_RULES } from "./records.js";
import { SIGN_IN_NAME_RULES } from "./sign-in-names.js";
import { PASSWORD_PHRASING_RULES } from "./password-phrasings.js";
import { digitsOf, runRules, type Rule } from "./rule.js";
import { ibanValid, ipValid, isCardNumber, isHighEntropyToken, ssnValid } from "./validators.js";

/**
 * Structured detectors: each a regular expression for candidates plus a validator that throws out
 * look-alikes (a Luhn-invalid number is not a card, 999.1.1.1 is not an address). This file keeps the generic
 * ones (emails, URLs, IBANs, cards, IPs, prefixed API keys, long numbers, English ages); the others live one
 * family a file: credentials.ts, national-ids.ts and national-ids-more.ts (check digits in id-checksums*.ts), case-numbers.ts,
 * records.ts (medical records, accounts, sort codes), phones.ts, dates.ts, postcodes.ts, addresses.ts, ages.ts.
 * detectPatterns runs them all (rule.ts), so the redactor needs to know only this function.
 */

// Top-level domains recognised without a scheme; country codes that double as file extensions (.md, .py) stay out.
const TLD =
  "(?:com|net|org|edu|gov|mil|int|info|biz|io|ai|app|dev|co|me|tv|eu|uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|cz|sk|hu|pt|ie|gr|ro|bg|hr|si|ee|lv|lt|is|lu|ca|us|au|nz|jp|cn|in|br|mx|ar|za|ru|ua|tr|il)";

const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]{3,40}-----[\s\S]*?-----END [A-Z0-9 ]{3,40}-----/g,
  /\bsk-ant-[A-Za-z0-9_-]{20,}/g,
  /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/g,
  /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bhf_[A-Za-z0-9]{30,}/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
];

const RULES: Rule[] = [
  ...SECRET_PATTERNS.map((re): Rule => ({ type: "SECRET", re })),
  ...CREDENTIAL_RULES,
  // "password: hunter2", "api_key = ..." - only the value goes.
  {
    type: "SECRET",
    // A boarding or day pass is a ticket, not a password.
    re: /\b(?<!(?:boarding|bus|day|season|ski|travel|hall|guest|visitor|press|rail|train|bike|park) )(?:password|passwd|pwd|pw|pass|mdp|passcode|pin|secret|token|api[_ -]?key|api-schlüssel|clé api|api-sleutel|chiave api|clave api|access[_ -]?key|client[_ -]?secret|private[_ -]?key)\b["']?\s*[:=]\s*["']?([^\s"',;]{3,}[^\s"',;.])/gi,
    group: 1,
  },
  { type: "SECRET", re: /(?<![\w+/=-])[A-Za-z0-9_+/=-]{20,}(?![\w+/=-])/g, accept: (m) => isHighEntropyToken(m[0]) },
  // Anchored at the start of a run: a long run with no "@" must not be rescanned from every character.
  { type: "EMAIL", re: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu },
  { type: "URL", re: /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]/gi },
  { type: "URL", re: new RegExp(`(?<![@\\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+${TLD}(?:/[^\\s<>"']*[^\\s<>"'.,;:!?)])?(?![\\w@-])`, "gi") },
  {
    type: "IBAN",
    re: /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?\b/g,
    accept: (m) => ibanValid(m[0]),
  },
  { type: "CARD", re: /(?<![\d+-])\d(?:[ -]?\d){11,18}(?![\d])/g, accept: (m) => isCardNumber(digitsOf(m[0])) },
  { type: "NATIONAL_ID", re: /(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])/g, accept: (m) => ssnValid(m[0]) },
  // Nine bare digits count as an SSN only where the text says so.
  { type: "NATIONAL_ID", re: /\b(?:ssn|social security(?: number| no\.?)?)\D{0,20}(\d{9})\b/gi, group: 1 },
  // Driver's licences, passports, national insurance and tax numbers named as such.
  {
    type: "NATIONAL_ID",
    re: /\b(?:licen[cs]e|DL|passport|national insurance|NINO|tax id|TIN|ID card|identity card|personal id|id number|NHS number)\b[^\n\d]{0,30}?\b((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,18}[A-Z0-9])\b/gi,
    group: 1,
    accept: (m) => /\d/.test(m[1] ?? "") && digitsOf(m[1] ?? "").length >= 4,
  },
  // Letter prefix and a long run of digits (US licence formats, passport numbers): rare in ordinary prose.
  { type: "NATIONAL_ID", re: /\b[A-Z]{1,2}\d{6,14}\b/g },
  // A full stop after the address ends the sentence: "... from 91.64.201.17."
  // Loopback and "any" addresses (127.0.0.1, 0.0.0.0, ::1) name no machine of anyone's: they stay.
  { type: "IP", re: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g, accept: (m) => ipValid(m[0]) && !/^(?:127\.|0\.0\.0\.0$)/.test(m[0]) },
  {
    type: "IP",
    re: /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g,
    accept: (m) => m[0].length > 2 && ipValid(m[0]) && !/^(?:::1?|0*:(?:0*:)*0*1?)$/.test(m[0]),
  },
  // Long numbers that are neither cards nor phones: account, policy or record numbers.
  { type: "ACCOUNT", re: /(?<![\d.,])\d{9,34}(?![\d.,])/g },
  {
    type: "ACCOUNT",
    re: /\b(?:account|acct|a\/c|policy|member|invoice|reference|ref)\.?(?: (?:number|no\.?|num|id|#))?[ :#]+([A-Z0-9][A-Z0-9/-]{3,}[A-Z0-9])\b/gi,
    group: 1,
    accept: (m) => /\d/.test(m[1] ?? "") && /\d{3}/.test(m[1] ?? ""),
  },
  {
    type: "AGE",
    // "54-year-old", "72 years old", "82 y/o", "45 years of age"; "a 25-year term" is a duration.
    re: /\b(\d{1,3})(?:[ -](?:years?|yrs?)(?:[ -]old\b| of age\b|(?=[,;)]|\.(?:\s|$)))|[ -]?y\/?o\b)/gi,
    group: 1,
  },
  { type: "AGE", re: /\b(?:aged?|age of|turned|turning|turns)[: ]+(\d{1,3})\b(?![.,]\d)/gi, group: 1 },
];

const ALL_RULES: Rule[] = [
  ...RULES,
  ...SIGN_IN_NAME_RULES,
  ...PASSWORD_PHRASING_RULES,
  ...NATIONAL_ID_RULES,
  ...MORE_ID_RULES,
  ...CASE_NUMBER_RULES,
  ...RECORD_RULES,
  ...PHONE_RULES,
  ...DATE_RULES,
  ...POSTCODE_RULES,
  ...ADDRESS_RULES,
  ...AGE_RULES,
];

/** Every structured detection in `text` (source "pattern"); overlaps are left for the caller to resolve. */
export function detectPatterns(text: string): Detection[] {
  return runRules(text, ALL_RULES);
}

/** Whole-word, case-insensitive matches of the user's own terms (client names, project code names). */
export function detectCustomTerms(text: string, terms: readonly string[]): Detection[] {
  const cleaned = terms.map((t) => t.trim()).filter((t) => t.length > 0);
  if (cleaned.length === 0) return [];
  // Longest first so "Acme Holdings" wins over "Acme"; inner whitespace may vary.
  const alternatives = [...new Set(cleaned)]
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
  const found: Detection[] = [];
  for (const m of text.matchAll(re)) found.push({ type: "CUSTOM", start: m.index, end: m.index + m[0].length, source: "custom" });
  return found;
}
