import { looksLikePassword } from "./credentials.js";
import type { Rule } from "./rule.js";

/**
 * Password phrasings credentials.ts does not cover: the Dutch "ww" (wachtwoord) with words before its value
 * ("het ww van de gedeelde mailbox is balie2026"), and the keys of Wi-Fi configuration files (`psk="..."`,
 * `wpa_passphrase=...`). All are SECRET.
 */

// Lower case only: "WW" is the Dutch unemployment benefit (Werkloosheidswet).
const DUTCH_WW_WORDS = /(?<![\p{L}\p{N}-])ww((?:\s+[^\s:=]+){1,8}?)(?:\s*[:=]\s*|\s+(?:is|was|blijft|wordt)\s+(?:(?:nog|nu|voortaan)\s+)?)["'«„“]?([^\s"'«»„“”,;]{3,63}[^\s"'«»„“”,;.)])/gu;

export const PASSWORD_PHRASING_RULES: Rule[] = [
  {
    type: "SECRET",
    re: DUTCH_WW_WORDS,
    group: 2,
    when: /(?<![\p{L}\p{N}-])ww(?![\p{L}\p{N}-])/u,
    rescan: true,
    // A number, a full stop or a second clause between word and value means the value belongs to something else.
    accept: (m) => !/\d|[.;!?]\s/.test(m[1] ?? "") && looksLikePassword(m[2] ?? "", false),
  },
  // Wi-Fi configuration: wpa_supplicant's psk="...", hostapd's wpa_passphrase=..., NetworkManager's psk=...
  {
    type: "SECRET",
    re: /(?<![\p{L}_])(?:psk|wpa_passphrase|wpa_psk|sae_password|passphrase)\s*[:=]\s*["']?([^\s"']{8,63})/giu,
    group: 1,
    when: /psk|passphrase|sae_password/i,
  },
];
