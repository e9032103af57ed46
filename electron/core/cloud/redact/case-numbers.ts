import { ci, referenceRule, type Rule } from "./rule.js";

/**
 * Court case and docket numbers: US federal numbers and UK High Court claim numbers by their layout, ECLI
 * identifiers, German register numbers, and any reference after its keyword in six languages.
 */

// Keywords after which the value may follow directly.
const STRONG = [
  ci("n° de rôle|numéro de rôle|n° RG|numéro RG|n° de répertoire général|our file ref\\.?|our file reference|file ref\\.?|our ref\\.?|our reference|your ref\\.?|your reference|NIG|unser Zeichen|Ihr Zeichen|notre réf\\.?|notre référence|votre réf\\.?|votre référence|onze ref\\.?|onze referentie|uw kenmerk|ons kenmerk|ns\\. rif\\.|vs\\. rif\\.|nostro riferimento|nuestra ref\\.?|nuestra referencia|su ref\\.?|" +
    "Geschäftsnummer|Vorgangsnummer|pourvoi|procedurenummer|N\\.R\\.G\\.|NRG|diligencias previas|juicio verbal|juicio ordinario|juicio monitorio|" +
    "docket|proceedings|fascicolo|dossier parquet|parquet|monitorio|ETJ|procedimiento|aktenzeichen|geschäftszeichen|geschaftszeichen|geschäfts-nr\\.|zaaknummer|zaaknr\\.?|rolnummer|rolnr\\.?|parketnummer|rekestnummer|ruolo generale|r\\.g\\.n\\.r\\.|rgnr|r\\.g\\.|rg|n\\.i\\.g\\.|numéro rg|répertoire général|expediente|kenmerk|n\\.º de procedimiento|nº de procedimiento|n° de procedimiento|número de procedimiento|numero de procedimiento"),
  "Az\\.|Az:|Gz\\.",
].join("|");
// Keywords that need "No." / "n°" / "#" before the value: "in case 2024 sales drop" is not a case number.
const WEAK = ci(
  "case|case ref|case reference|claim|matter|cause|index|file|sentenza|ordinanza|decreto|sentencia|auto|affaire|causa|procedimento|proc\\.|procedimiento|procedimiento ordinario|procedimiento abreviado|autos|recurso|rollo|verfahren|rôle|docket|appeal|zaak",
);

const CORRECTS = ["PHONE", "ACCOUNT", "DATE"] as const;
const LEGAL =
  /\b(?:R\.G|RG|N\.R\.G|ruolo|rôle|rolnummer|Aktenzeichen|Az|expediente|autos|juzgado|tribunal|procedimiento|demanda|recurso|sentencia|abogad[oa]|procurador|tribunale|giudice|udienza|causa|sentenza|avvocat[oa]|ricorso|fascicolo|cancelleria|Gericht|Gerichtsvollzieher|Klage|Anwalt|Anwältin|Urteil|court|judge|claimant|defendant|tribunal|juge|avocat|audience|greffe|parquet|procédure|rechtbank|advocaat|dagvaarding)\b/i;

export const CASE_NUMBER_RULES: Rule[] = [
  // US federal: office:year-type-number and the judge's initials (2:24-cv-01873-JLR, 1:23-cr-00456).
  {
    type: "CASE_NUMBER",
    re: new RegExp(`\\b(?:\\d{1,2}:)?\\d{2}-${ci("(?:cv|cr|mj|mc|bk|ap|md|po|sw|cm|mdl|misc|gj|dp|sf|ml)")}-\\d{3,6}(?:-[A-Z]{2,4}){0,3}\\b`, "g"),
    overrides: CORRECTS,
  },
  // UK High Court and Business and Property Courts claim numbers: KB-2023-001234.
  { type: "CASE_NUMBER", re: /\b(?:QB|KB|BL|CL|HC|CR|IL|PT|FS|BR|CH|HT|LM|PE|CO|FL|IP|KF)-\d{4}-\d{4,6}\b/g, overrides: CORRECTS },
  // European Case Law Identifier: ECLI:NL:HR:2020:1234.
  { type: "CASE_NUMBER", re: /\bECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:\d{4}:[A-Z0-9](?:[A-Z0-9.]*[A-Z0-9])?/g },
  // Court of Justice of the EU: C-311/18, T-612/17.
  { type: "CASE_NUMBER", re: /\b[CTF]-\d{1,4}\/\d{2}\b/g, confidence: 0.8, overrides: CORRECTS },
  // French Portalis numbers: letters and digits in 4-1-3-4 groups.
  { type: "CASE_NUMBER", re: /\bPortalis\s+([A-Z0-9]{4}-[A-Z0-9]-[A-Z0-9]{3}-[A-Z0-9]{4})\b/g, group: 1 },
  // Court file numbers of Spanish and Italian courts and German bailiffs, near a legal word: 123/2024, DR II 1843/25.
  {
    type: "CASE_NUMBER",
    re: /(?<![\d/.,-])(?:DR (?:[IVX]{1,4} )?|\b[A-Z]{2,4} )?\d{1,6}\/(?:19|20)?\d{2}(?![\d/]|[.,-]\d)/g,
    accept: (m, text) => LEGAL.test(text.slice(Math.max(0, m.index - 120), m.index + m[0].length + 60)) && (/\/(?:19|20)\d{2}$/.test(m[0]) || m[0].startsWith("DR")),
    rescan: true,
    confidence: 0.6,
    overrides: CORRECTS,
  },
  // German register numbers: 2 BvR 123/20, VI ZR 45/21, 3 O 123/24. Layout only, so not certain.
  {
    type: "CASE_NUMBER",
    re: /\b(?:[IVX]{1,5}|\d{1,3}) (?:BvR|BvL|BvE|BvF|BvQ|ZR|ZB|StR|AZR|ABR|AZB|KZR|O|S|C|U|UF|WF|Ns|Ds|Js|Cs|Ss|Sa|Ca|Ta|BV|OH|T|K|L|R|W|X|XI|ZS) \d{1,5}\/\d{2}\b/g,
    confidence: 0.6,
    overrides: CORRECTS,
  },
  // A court file ("dossier n° 2024/001234", "Akte Nr. 12/345") where the message is about a court, not a clinic.
  { ...referenceRule("CASE_NUMBER", "", ci("dossier|Akte|pratica|expediente|zaakdossier"), 3, CORRECTS), when: LEGAL },
  // "related state case 24-2-11873-1": a long reference right after "case" needs no "No.".
  {
    ...referenceRule("CASE_NUMBER", WEAK, "", 6, CORRECTS),
    when: /case|claim|matter|appeal|cause|affaire|causa|procedi|verfahren|zaak|rollo|recurso|autos/i,
    accept: (m) => /^\d[\d/-]*[-/]\d/.test(m[1] ?? "") && (m[1] ?? "").replace(/\D/g, "").length >= 6,
  },
  {
    ...referenceRule("CASE_NUMBER", STRONG, WEAK, 3, CORRECTS),
    when: /file ref|our ref|your ref|our reference|your reference|NIG|zeichen|réf|kenmerk|rif\.|riferimento|ref|geschäfts|vorgang|pourvoi|procedure|nrg|n\.r\.g|diligencias|juicio|index|file|sentenz|ordinanza|decreto|sentencia|auto|case|docket|claim|cause|parquet|fascicolo|proceeding|monitorio|ETJ|dossier|az[.:]|gz\.|akten|gesch|zaak|rol|parket|rekest|ruolo|r\.g|rg|n\.i\.g|rôle|répertoire|expediente|kenmerk|procedi|proc\.|causa|affaire|autos|recurso|rollo|verfahren|appeal/i,
  },
];
