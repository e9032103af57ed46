import { luhnValid } from "./validators.js";

/**
 * Check-digit rules of national identifiers, so a random number of the right length is not taken for one.
 * Each takes the raw match (spaces and dashes allowed) and says whether its check digit holds.
 */

const digits = (s: string): number[] => [...s.replace(/\D/g, "")].map(Number);
const compact = (s: string): string => s.replace(/[\s.-]/g, "").toUpperCase();

/** UK NHS number: 10 digits, weights 10..2 on the first nine, check = 11 - sum mod 11 (10 is never issued). */
export function nhsValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 10 || /^(\d)\1+$/.test(d.join(""))) return false;
  const sum = d.slice(0, 9).reduce((acc, v, i) => acc + v * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === d[9];
}

/** UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; O not second; some pairs barred), six digits, A-D. */
export function niValid(raw: string): boolean {
  const s = compact(raw);
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(s);
  if (!m) return false;
  return !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].includes(`${m[1]}${m[2]}`);
}

/** French NIR (sécurité sociale): 13 characters, Corsica 2A/2B counted as 19/18, key = 97 - n mod 97. */
export function nirValid(raw: string): boolean {
  const s = compact(raw);
  const m = /^([1-478]\d{4})(\d{2}|2A|2B)(\d{6})(\d{2})$/.exec(s);
  if (!m) return false;
  const [, head, dept, tail, key] = m as unknown as [string, string, string, string, string];
  const deptNumber = dept === "2A" ? "19" : dept === "2B" ? "18" : dept;
  const n = BigInt(head + deptNumber + tail);
  return 97n - (n % 97n) === BigInt(key);
}

const CF_ODD: Record<string, number> = Object.fromEntries(
  [..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((ch, i) => {
    const oddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    const index = i < 10 ? i : i - 10;
    return [ch, oddValues[index] ?? 0];
  }),
);

/** Italian codice fiscale: 16 characters (digits may be replaced by letters, omocodia), check letter from a table sum mod 26. */
export function codiceFiscaleValid(raw: string): boolean {
  const s = raw.toUpperCase();
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = s[i] ?? "";
    // Positions are counted from 1: odd positions use the table, even ones the plain value.
    if (i % 2 === 0) sum += CF_ODD[ch] ?? 0;
    else sum += /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

/** ISO 7064 MOD 11,10 check digit over a string of digits. */
function iso7064Mod11_10(body: number[]): number {
  let product = 10;
  for (const d of body) {
    let sum = (d + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

/** German Steuer-ID: 11 digits, no leading 0, one digit repeated two or three times in the first ten, MOD 11,10 check. */
export function steuerIdValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || d[0] === 0) return false;
  const counts = new Map<number, number>();
  for (const v of d.slice(0, 10)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const repeated = [...counts.values()].filter((c) => c > 1);
  if (repeated.length !== 1 || (repeated[0] ?? 0) > 3) return false;
  return iso7064Mod11_10(d.slice(0, 10)) === d[10];
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): letter = table[number mod 23]. */
export function dniNieValid(raw: string): boolean {
  const s = compact(raw);
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m) return false;
  const [, prefix, number, letter] = m as unknown as [string, string, string, string];
  if (prefix === "" && number.length !== 8) return false;
  if (prefix !== "" && number.length !== 7) return false;
  const n = Number(`${prefix === "" ? "" : "XYZ".indexOf(prefix)}${number}`);
  return DNI_LETTERS[n % 23] === letter;
}

/** Dutch BSN: 9 digits, 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11 (the "elfproef"). */
export function bsnValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 9 || d.every((v) => v === 0)) return false;
  const sum = d.slice(0, 8).reduce((acc, v, i) => acc + v * (9 - i), 0) - (d[8] ?? 0);
  return sum % 11 === 0;
}

/** Swedish personnummer / samordningsnummer: (CC)YYMMDD-NNNC, a real date (day + 60 allowed), Luhn over the last ten. */
export function personnummerValid(raw: string): boolean {
  const m = /^(?:\d{2})?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})$/.exec(raw.trim());
  if (!m) return false;
  const [, yy, mm, dd, rest] = m as unknown as [string, string, string, string, string];
  const month = Number(mm);
  let day = Number(dd);
  if (day > 60) day -= 60;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return luhnValid(yy + mm + dd + rest);
}

/** Canadian SIN: 9 digits, Luhn; 8 starts business numbers, not people. */
export function sinValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  return d.length === 9 && d[0] !== "8" && luhnValid(d);
}

/** Australian Medicare number: 10 digits (an 11th issue digit may follow), first 2-6, weighted check in position 9. */
export function medicareValid(raw: string): boolean {
  const d = digits(raw);
  if ((d.length !== 10 && d.length !== 11) || (d[0] ?? 0) < 2 || (d[0] ?? 0) > 6) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9];
  const sum = weights.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0);
  return sum % 10 === d[8];
}

/** Australian Tax File Number: 8 or 9 digits, weighted sum divisible by 11. */
export function tfnValid(raw: string): boolean {
  const d = digits(raw);
  const weights = d.length === 9 ? [1, 4, 3, 7, 5, 8, 6, 9, 10] : d.length === 8 ? [10, 7, 8, 4, 6, 3, 5, 1] : null;
  if (!weights || d.every((v) => v === 0)) return false;
  return weights.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0) % 11 === 0;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check (dihedral group D5), the scheme of India's Aadhaar. Input: digits, check digit last. */
export function verhoeffValid(s: string): boolean {
  if (!/^\d+$/.test(s)) return false;
  let c = 0;
  const rev = [...s].reverse().map(Number);
  for (let i = 0; i < rev.length; i++) c = VERHOEFF_D[c]?.[VERHOEFF_P[i % 8]?.[rev[i] ?? 0] ?? 0] ?? 0;
  return c === 0;
}

/** Indian Aadhaar: 12 digits, first 2-9, Verhoeff check. */
export function aadhaarValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  return d.length === 12 && /^[2-9]/.test(d) && !/^(\d)\1+$/.test(d) && verhoeffValid(d);
}

/** Indian PAN: five letters (the fourth names the holder type), four digits, a letter. Format only: no check digit. */
export function panValid(raw: string): boolean {
  return /^[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]$/.test(raw.toUpperCase());
}

/** US ABA routing number: 9 digits, 3-7-1 weights sum to a multiple of 10. */
export function abaValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 9 || d.every((v) => v === 0)) return false;
  const w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  return w.reduce((acc, x, i) => acc + x * (d[i] ?? 0), 0) % 10 === 0;
}

/** Belgian national register number YY.MM.DD-XXX.CC: CC = 97 - (YYMMDDXXX mod 97), with a 2 in front after 1999. */
export function belgianNrnValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  if (d.length !== 11) return false;
  const body = BigInt(d.slice(0, 9));
  const check = BigInt(d.slice(9));
  return 97n - (body % 97n) === check || 97n - ((2000000000n + body) % 97n) === check;
}

/** Swiss AHV/AVS number 756.XXXX.XXXX.XC: an EAN-13 check digit. */
export function ahvValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  if (d.length !== 13 || !d.startsWith("756")) return false;
  const sum = [...d.slice(0, 12)].reduce((acc, ch, i) => acc + Number(ch) * (i % 2 === 0 ? 1 : 3), 0);
  return (10 - (sum % 10)) % 10 === Number(d[12]);
}

/**
 * German pension insurance (Sozialversicherungs-) number: area (2), birth date DDMMYY, the surname's initial,
 * serial (2) and a check digit: the initial counts as its two-digit alphabet position, weights 2,1,2,5,7,1,2,1,2,1,2,1,
 * the digit sums of the products summed mod 10.
 */
export function svNummerValid(raw: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})([A-Z])(\d{2})(\d)$/.exec(raw.replace(/\s/g, "").toUpperCase());
  if (!m) return false;
  const [, area, dd, mm, yy, initial, serial, check] = m as unknown as [string, string, string, string, string, string, string, string];
  if (Number(dd) < 1 || Number(dd) > 31 || Number(mm) < 1 || Number(mm) > 12) return false;
  const body = `${area}${dd}${mm}${yy}${String(initial.charCodeAt(0) - 64).padStart(2, "0")}${serial}`;
  const weights = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
  const sum = weights.reduce((acc, w, i) => {
    const p = w * Number(body[i]);
    return acc + Math.floor(p / 10) + (p % 10);
  }, 0);
  return sum % 10 === Number(check);
}
