import { isIPv4, isIPv6 } from "node:net";

/** Luhn (mod-10) check used by every payment-card scheme. Input: digits only. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * A card number: 12-19 digits, Luhn-valid, not all one digit (those pass Luhn trivially: 0000...), and a first
 * digit some card network issues (1 UATP, 2 and 5 Mastercard, 3 Amex/Diners/JCB, 4 Visa, 6 Discover/Maestro/
 * UnionPay); numbers starting 0, 7, 8 or 9 are phone numbers or references that passed Luhn by chance.
 */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && /^[1-6]/.test(digits) && !/^(\d)\1+$/.test(digits) && luhnValid(digits);
}

/** ISO 13616 IBAN check: country letters, two check digits, mod-97 of the rearranged number is 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/[\s-]/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  // Piecewise mod keeps the arithmetic inside a double's exact range.
  let rest = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = (value > 9 ? rest * 100 + value : rest * 10 + value) % 97;
  }
  return rest === 1;
}

/** US Social Security Number rules: no area 000/666/9xx, no group 00, no serial 0000. */
export function ssnValid(raw: string): boolean {
  const m = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(raw);
  if (!m) return false;
  const [, area, group, serial] = m as unknown as [string, string, string, string];
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

export function ipValid(raw: string): boolean {
  return isIPv4(raw) || isIPv6(raw);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A token that looks machine-generated (API key, password hash, session id): long, mixes letters and digits,
 * and its characters are spread out. Long words, numbers and paths stay untouched.
 */
export function isHighEntropyToken(token: string): boolean {
  if (token.length < 20) return false;
  if (!/[0-9]/.test(token) || !/[A-Za-z]/.test(token)) return false;
  const isHex = /^[0-9a-fA-F-]+$/.test(token);
  const threshold = isHex ? 3.0 : 3.5;
  return shannonEntropy(token) >= threshold;
}
