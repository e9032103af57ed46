import type { Detection } from "./detection.js";

/**
 * Public institutions named in full: central banks, international bodies, ministries and courts with their seat
 * ("Bank of England", "European Central Bank", "AG München", "Cour d'appel de Lyon", "Tribunale di Milano").
 * They identify no client or patient and the answer needs them, so the name detectors' finds inside them are
 * dropped (a court's town is not where a person lives).
 */

const NAMES = [
  // Central banks and international bodies, in the six languages
  "Bank of England", "European Central Bank", "World Bank", "European Investment Bank", "Bank for International Settlements",
  "Federal Reserve(?: Bank(?: of [A-Z][a-z]+(?: [A-Z][a-z]+)?)?| Board| System)?", "International Monetary Fund",
  "Deutsche Bundesbank", "Europäische(?:n)? Zentralbank", "Internationale(?:n|r)? Währungsfonds?",
  "Banque de France", "Banque centrale européenne", "Fonds monétaire international",
  "De Nederlandsche Bank", "Europese Centrale Bank", "Banca d'Italia", "Banca [Cc]entrale [Ee]uropea",
  "Banco de España", "Banco Central Europeo", "Fondo Monetario Internacional", "United Nations", "European Commission",
  "European Parliament", "Council of Europe", "Europäische(?:n)? Kommission", "Commission européenne",
  // Courts and ministries
  "Supreme Court(?: of the United States| of [A-Z][a-z]+)?", "Court of Appeal", "High Court", "Crown Court", "Court of Justice(?: of the European Union)?",
  "European Court of (?:Justice|Human Rights)", "Europäische(?:n)? Gerichtshof(?:s|es)?(?: für Menschenrechte)?",
  "Bundesgerichtshof(?:s|es)?", "Bundesverfassungsgericht(?:s|es)?", "Bundesarbeitsgericht(?:s|es)?", "Bundessozialgericht(?:s|es)?",
  "Bundesfinanzhof(?:s|es)?", "Cour de cassation", "Conseil d'[ÉE]tat", "Conseil constitutionnel", "Cour de justice de l'Union européenne",
  "Corte (?:di )?[Cc]assazione", "Corte [Cc]ostituzionale", "Tribunal Supremo", "Tribunal Constitucional", "Audiencia Nacional",
  "Hoge Raad", "Raad van State", "Centrale Raad van Beroep", "Home Office", "Foreign Office", "Cabinet Office", "Met Office",
];
const TOWN = "\\p{Lu}[\\p{L}'’-]+(?:[ \\t]+(?:am|an der|im|sur|upon|de|del)[ \\t]+\\p{Lu}[\\p{L}'’-]+)?";
/** Courts named by their kind and seat: "AG München", "Landgericht Hamburg", "Tribunal judiciaire de Lyon". */
const COURT_AT = [
  `(?:(?:Das|das|Dem|dem|Beim|beim|Vom|vom|Am|am)[ \\t]+)?(?:AG|LG|OLG|VG|OVG|SG|LSG|ArbG|LAG|FG|KG)[ \\t]+${TOWN}`,
  `(?:Amtsgericht|Landgericht|Oberlandesgericht|Verwaltungsgericht|Sozialgericht|Arbeitsgericht|Finanzgericht|Landesarbeitsgericht)(?:s|es)?[ \\t]+${TOWN}`,
  `(?:Tribunal judiciaire|Tribunal de commerce|Tribunal administratif|Cour d'appel|Cour administrative d'appel|Conseil de prud'hommes)[ \\t]+(?:de|d'|du)[ \\t]*${TOWN}`,
  `(?:Rechtbank|Gerechtshof)[ \\t]+${TOWN}`,
  `(?:Tribunale|Corte d'[Aa]ppello|Giudice di [Pp]ace)[ \\t]+(?:di|del)[ \\t]+${TOWN}`,
  `(?:Juzgado|Audiencia Provincial|Tribunal Superior de Justicia)[ \\t]+(?:[\\p{L}º°.\\d ]{0,40}?[ \\t])?(?:de|del)[ \\t]+${TOWN}`,
  `(?:Crown Court|County Court|Magistrates'? Court|Employment Tribunal)[ \\t]+at[ \\t]+${TOWN}`,
];
const PUBLIC = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...NAMES, ...COURT_AT].join("|")})(?![\\p{L}\\p{N}])`, "gu");
/** "Siemens AG Berlin" is a company's branch; "Das AG München" and "beim AG Köln" are courts. */
const COMPANY_BEFORE = /(?:^|[^\p{L}])(?!(?:Das|Dem|Des|Im|Beim|Vom|Am|Zum|Vor|Nach|Laut|Gegen|Urteil|Beschluss)\b)\p{Lu}[\p{L}-]*[ \t]+$/u;

export function publicBodyRanges(text: string): Array<[number, number]> {
  if (!/\p{Lu}/u.test(text)) return [];
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(PUBLIC)) {
    if (/^(?:AG|KG|SG)[ \t]/.test(m[0]) && COMPANY_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** Name finds (people, organisations, places, addresses) wholly inside a public institution's name are dropped. */
export function dropInsidePublicBodies(text: string, detections: Detection[]): Detection[] {
  const ranges = publicBodyRanges(text);
  if (ranges.length === 0) return detections;
  const words = new Set(["PERSON", "ORG", "LOCATION", "ADDRESS"]);
  return detections.filter((d) => !(words.has(d.type) && ranges.some(([s, e]) => s <= d.start && d.end <= e)));
}
