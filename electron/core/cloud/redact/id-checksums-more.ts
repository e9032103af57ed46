import { luhnValid } from "./validators.js";

/**
 * Check rules of more identifiers (Nordic, Central and Eastern European, Iberian, Irish) and of EU VAT numbers, so
 * a number of the right length is taken for one only when its check holds. Each takes the raw match (spaces,
 * dots, dashes and slashes allowed). The older schemes are in id-checksums.ts.
 */

const digits = (s: string): number[] => [...s.replace(/\D/g, "")].map(Number);
const weighted = (d: readonly number[], weights: readonly number[]): number => weights.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0);

/** Whether DD, MM name a day of the calendar (29 February allowed whatever the year). */
function realDay(day: number, month: number): boolean {
  const length = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return length !== undefined && day >= 1 && day <= length;
}

/** Polish PESEL: YYMMDD (the month carries the century: +20 for 2000-2099), serial, weights 1-3-7-9, check. */
export function peselValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11) return false;
  const month = ((d[2] ?? 0) * 10 + (d[3] ?? 0)) % 20;
  if (!realDay((d[4] ?? 0) * 10 + (d[5] ?? 0), month)) return false;
  return (10 - (weighted(d, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10 === d[10];
}

const HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";

/** Finnish henkilötunnus DDMMYYCZZZQ: C the century sign (+, -, A-F, U-Y), Q = DDMMYYZZZ mod 31 in a table. */
export function hetuValid(raw: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})[-+A-FU-Y](\d{3})([0-9A-Y])$/i.exec(raw.trim());
  if (!m) return false;
  const [, dd, mm, yy, serial, check] = m as unknown as [string, string, string, string, string, string];
  if (!realDay(Number(dd), Number(mm))) return false;
  return HETU_CHECK[Number(dd + mm + yy + serial) % 31] === check.toUpperCase();
}

/** Norwegian fødselsnummer (and D-number, day + 40): DDMMYY, three serial digits, two mod-11 check digits. */
export function fodselsnummerValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11) return false;
  const day = ((d[0] ?? 0) * 10 + (d[1] ?? 0)) % 40;
  if (!realDay(day, ((d[2] ?? 0) * 10 + (d[3] ?? 0)) % 40)) return false;
  const k1 = (11 - (weighted(d, [3, 7, 6, 1, 8, 9, 4, 5, 2]) % 11)) % 11;
  const k2 = (11 - (weighted(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
  return k1 !== 10 && k2 !== 10 && k1 === d[9] && k2 === d[10];
}

/** Danish CPR number DDMMYY-SSSS: no check digit since 2007, so only the date can be checked. */
export function cprDateValid(raw: string): boolean {
  const d = digits(raw);
  return d.length === 10 && realDay((d[0] ?? 0) * 10 + (d[1] ?? 0), (d[2] ?? 0) * 10 + (d[3] ?? 0));
}

/** Austrian social insurance number: serial (3), check, DDMMYY; check = weights 3,7,9,_,5,8,4,2,1,6 mod 11. */
export function atSvnrValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 10 || d[0] === 0) return false;
  // Day and month may be replaced by placeholders above 12 or 31 when the birth date is unknown: allow up to 31/19.
  const day = (d[4] ?? 0) * 10 + (d[5] ?? 0);
  const month = (d[6] ?? 0) * 10 + (d[7] ?? 0);
  if (day < 1 || day > 31 || month < 1 || month > 19) return false;
  const check = weighted(d, [3, 7, 9, 0, 5, 8, 4, 2, 1, 6]) % 11;
  return check !== 10 && check === d[3];
}

/** Romanian CNP: sex/century digit 1-8, YYMMDD, county 01-52, serial, check = weights 279146358279 mod 11 (10 -> 1). */
export function cnpValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 13 || (d[0] ?? 0) < 1 || (d[0] ?? 0) > 8) return false;
  if (!realDay((d[5] ?? 0) * 10 + (d[6] ?? 0), (d[3] ?? 0) * 10 + (d[4] ?? 0))) return false;
  const county = (d[7] ?? 0) * 10 + (d[8] ?? 0);
  if (county < 1 || county > 52) return false;
  const r = weighted(d, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
  return (r === 10 ? 1 : r) === d[12];
}

/**
 * Czech and Slovak rodné číslo YYMMDD/SSSC: the month carries sex (+50) and overflow (+20); since 1954 the ten
 * digits are divisible by 11 (a remainder of 10 was written as a 0 check digit).
 */
export function rodneCisloValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 10) return false;
  const month = ((d[2] ?? 0) * 10 + (d[3] ?? 0)) % 50;
  if (!realDay((d[4] ?? 0) * 10 + (d[5] ?? 0), month > 20 ? month - 20 : month)) return false;
  const n = BigInt(d.join(""));
  return n % 11n === 0n || (BigInt(d.slice(0, 9).join("")) % 11n === 10n && d[9] === 0);
}

/** Greek AMKA: DDMMYY, five digits, Luhn over all eleven. */
export function amkaValid(raw: string): boolean {
  const d = digits(raw);
  return d.length === 11 && realDay((d[0] ?? 0) * 10 + (d[1] ?? 0), (d[2] ?? 0) * 10 + (d[3] ?? 0)) && luhnValid(d.join(""));
}

/** Portuguese NIF: nine digits, weights 9..2, check = 11 - sum mod 11 (10 and 11 -> 0); first digit 1-3, 5-9. */
export function ptNifValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 9 || d[0] === 0 || d[0] === 4) return false;
  const c = 11 - (weighted(d, [9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  return (c >= 10 ? 0 : c) === d[8];
}

/** Irish PPS number: seven digits, a check letter (weights 8..2, plus 9 x the optional second letter, mod 23; 0 = W). */
export function ppsValid(raw: string): boolean {
  const m = /^(\d{7})([A-W])([A-IW]?)$/i.exec(raw.replace(/[\s-]/g, ""));
  if (!m) return false;
  const [, body, check, second] = m as unknown as [string, string, string, string];
  const extra = second && second.toUpperCase() !== "W" ? (second.toUpperCase().charCodeAt(0) - 64) * 9 : 0;
  const r = (weighted(digits(body), [8, 7, 6, 5, 4, 3, 2]) + extra) % 23;
  return (r === 0 ? "W" : String.fromCharCode(64 + r)) === check.toUpperCase();
}

/** Spanish social security number (NSS): province (2), number (8), check = the first ten mod 97. */
export function esNssValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  if (d.length !== 12 && d.length !== 11) return false;
  const body = d.slice(0, -2);
  return Number(BigInt(body) % 97n) === Number(d.slice(-2));
}

/** ISO 7064 MOD 11,10 check of the German VAT number's eight digits. */
function deVatValid(d: readonly number[]): boolean {
  let product = 10;
  for (const v of d.slice(0, 8)) {
    const sum = (v + product) % 10 || 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10 === d[8];
}

/**
 * EU VAT numbers with a published check: DE, FR (key over the SIREN), IT (Luhn), NL (mod 11, "B" and the branch),
 * BE (mod 97), AT (U and a Luhn-like check), ES (NIF/CIF letters are checked in dniNieValid and cifValid).
 * Countries without a check here are accepted by layout only where the caller also has the word "VAT".
 */
export function vatValid(raw: string): boolean {
  const s = raw.replace(/[\s.-]/g, "").toUpperCase();
  const country = s.slice(0, 2);
  const body = s.slice(2);
  const d = digits(body);
  switch (country) {
    case "DE":
      return /^\d{9}$/.test(body) && deVatValid(d);
    case "FR": {
      const m = /^(\d{2})(\d{9})$/.exec(body);
      return m !== null && (12 + 3 * Number(BigInt(m[2] ?? "0") % 97n)) % 97 === Number(m[1]);
    }
    case "IT":
      return /^\d{11}$/.test(body) && luhnValid(body);
    case "NL": {
      const m = /^(\d{9})B\d{2}$/.exec(body);
      if (!m) return false;
      const n = digits(m[1] ?? "");
      return (weighted(n, [9, 8, 7, 6, 5, 4, 3, 2]) - (n[8] ?? 0)) % 11 === 0 || mod97Nl(body);
    }
    case "BE": {
      const b = body.padStart(10, "0");
      return /^[01]\d{9}$/.test(b) && 97 - (Number(b.slice(0, 8)) % 97) === Number(b.slice(8));
    }
    case "AT": {
      const m = /^U(\d{8})$/.exec(body);
      if (!m) return false;
      const n = digits(m[1] ?? "");
      const s2 = (x: number): number => Math.floor(x / 10) + (x % 10);
      const sum = (n[0] ?? 0) + s2((n[1] ?? 0) * 2) + (n[2] ?? 0) + s2((n[3] ?? 0) * 2) + (n[4] ?? 0) + s2((n[5] ?? 0) * 2) + (n[6] ?? 0);
      return (96 - sum) % 10 === n[7];
    }
    case "ES":
      return /^[A-Z0-9]\d{7}[A-Z0-9]$/.test(body) && (cifValid(body) || /^\d{8}[A-Z]$|^[XYZ]\d{7}[A-Z]$/.test(body));
    default:
      return false;
  }
}

/** Dutch VAT numbers since 2020 (sole traders) follow a mod-97 check over "NL" + number instead of the eleven-test. */
function mod97Nl(body: string): boolean {
  const numeric = `2321${body}`.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
}

/** Spanish CIF (company tax code): a letter, seven digits and a control digit or letter. */
export function cifValid(raw: string): boolean {
  const m = /^([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])$/.exec(raw.replace(/[\s.-]/g, "").toUpperCase());
  if (!m) return false;
  const [, letter, body, control] = m as unknown as [string, string, string, string];
  const d = digits(body);
  let sum = 0;
  d.forEach((v, i) => {
    if (i % 2 === 1) sum += v;
    else sum += Math.floor((v * 2) / 10) + ((v * 2) % 10);
  });
  const c = (10 - (sum % 10)) % 10;
  // Some kinds of body write the control as a letter, others as a digit; both are accepted.
  return control === String(c) || (control === "JABCDEFGHI"[c] && /[A-Z]/.test(letter));
}

/** French SIREN (9 digits) and SIRET (14 digits): Luhn over the digits (La Poste's SIRETs sum to a multiple of 5). */
export function sirenSiretValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  if (d.length !== 9 && d.length !== 14) return false;
  return luhnValid(d) || (d.startsWith("356000000") && [...d].reduce((a, c) => a + Number(c), 0) % 5 === 0);
}

/** French RIB key: 97 - (89 x bank + 15 x branch + 3 x account) mod 97, letters of the account as digits. */
export function ribKeyValid(bank: string, branch: string, account: string, key: string): boolean {
  const letters = "123456789123456789234567890";
  const acc = account.toUpperCase().replace(/[A-Z]/g, (ch) => letters[ch.charCodeAt(0) - 65] ?? "0");
  if (!/^\d{5}$/.test(bank) || !/^\d{5}$/.test(branch) || !/^\d{11}$/.test(acc) || !/^\d{2}$/.test(key)) return false;
  const r = (89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(acc)) % 97n;
  return 97n - r === BigInt(key);
}
