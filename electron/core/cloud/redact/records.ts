import { abaValid } from "./id-checksums.js";
import { before, ci, digitsOf, referenceRule, type Rule } from "./rule.js";

/**
 * Medical record numbers and bank account references, found by the words that name them in six languages.
 * Without those words such numbers are only "a long number" (the generic ACCOUNT rule in patterns.ts).
 */

const MRN_STRONG = [
  ci(
    "medical record number|medical record no\\.?|medical record|med\\. rec\\.|hospital number|hospital no\\.?|hosp\\. no\\.?|hosp no\\.?|encounter number|encounter id|visit number|admission number|" +
      "EPD-nummer|EPD-nr\\.?|ZIS-nummer|opnamenummer|n° de séjour|numéro de séjour|numéro d'admission|n° d'admission|numero di ricovero|número de ingreso|hospital id|patient id|patient-id|patient number|patient no\\.?|patient nr\\.?|chart number|chart no\\.?|record number|UR number|URN|" +
      "patientennummer|patienten-nr\\.?|aufnahmenummer|aufnahme-nr\\.?|patienten-id|patientenidentifikationsnummer|pat\\.-nr\\.?|pat\\.-id|fallnummer|fall-nr\\.?|krankenblattnummer|" +
      "numéro de dossier|n° de dossier|no de dossier|n° dossier|dossier médical|dossier patient|numéro patient|n° patient|n° IPP|IPP|" +
      "patiëntnummer|patientnummer|patiëntnr\\.?|patientnr\\.?|patiënt-id|patiëntennummer|dossiernummer|dossiernr\\.?|ziekenhuisnummer|" +
      "cartella clinica|numero di cartella|n\\. nosologico|numero nosologico|nosologico|n\\. cartella|numero cartella|codice paziente|id paziente|" +
      "historia clínica|historia clinica|historia|número de historia|numero de historia|n\\.º de historia|nº de historia|NHC|N\\.H\\.C\\.|número de paciente",
  ),
  "MRN|MR#|MR #|Mrn",
].join("|");

const ACCOUNT_STRONG = ci(
  "account number|account no\\.?|account nr\\.?|account #|acct\\.?|a/c|acc\\. no\\.?|bank account|checking account|savings account|" +
    "kontonummer|konto-nr\\.?|kontonr\\.?|kto-nr\\.?|depotnummer|vertragsnummer|mandatsreferenz|kreditnummer|darlehensnummer|kto\\.?-nr\\.?|kto\\.|" +
    "numéro de compte|n° de compte|no de compte|compte n°|compte bancaire|RIB|relevé d'identité bancaire|CCC|código cuenta cliente|" +
    "rekeningnummer|rekeningnr\\.?|bankrekening|betaalrekening|spaarrekening|derdengeldenrekening|kwaliteitsrekening|" +
    "Girokonto|Sparkonto|Tagesgeldkonto|Festgeldkonto|Anderkonto|Treuhandkonto|Geschäftskonto|Privatkonto|Gehaltskonto|" +
    "compte courant|compte épargne|compte joint|livret A|livret|PEL|current account|joint account|" +
    "conto deposito|conto risparmio|libretto|cuenta nómina|cuenta de ahorro|cuenta de ahorros|cuenta conjunta|" +
    "numero di conto|numero conto|conto corrente|conto n\\.|c/c|" +
    "número de cuenta|numero de cuenta|cuenta n\\.º|cuenta bancaria|cuenta corriente|" +
    "policy number|policy no\\.?|member id|member number|membership number|customer number|customer no\\.?|customer id|" +
    "versicherungsnummer|versicherungsscheinnummer|versicherungsschein-nr\\.?|vers\\.-nr\\.?|policennummer|polizzennummer|kundennummer|kunden-nr\\.?|kundennr\\.?|mitgliedsnummer|kassenzeichen|steuernummer|" +
    "numéro de police|n° de police|numéro client|numéro de client|n° client|n° de client|numéro d'adhérent|" +
    "polisnummer|klantnummer|klantnr\\.?|lidnummer|aanslagnummer|KvK-nummer|KvK|" +
    "numéro allocataire|n° allocataire|numéro CAF|n° CAF|numéro fiscal|" +
    "numero di polizza|polizza n\\.|codice cliente|numero cliente|n\\. cliente|ABI|CAB|partita IVA|P\\. ?IVA|" +
    "número de póliza|numero de poliza|póliza n\\.º|número de cliente|numero de cliente|número de socio|referencia catastral|" +
    "contract number|contract no\\.?|loan number|loan no\\.?|mandate reference|agreement number|" +
    "numéro de contrat|n° de contrat|numéro de prêt|référence de mandat|RUM|contractnummer|leningnummer|machtigingskenmerk|" +
    "numero di contratto|numero del contratto|numero di mutuo|número de contrato|número de préstamo|referencia del mandato|" +
    "employee number|employee no\\.?|employee id|staff number|staff no\\.?|staff id|payroll number|payroll no\\.?|" +
    "Personalnummer|Personal-Nr\\.?|Mitarbeiternummer|personeelsnummer|personeelsnr\\.?|werknemersnummer|" +
    "numéro d'employé|numéro de salarié|n° de salarié|n° salarié|matricule|matricola|numero di matricola|" +
    "número de empleado|n\\.º de empleado|nº de empleado|número de trabajador|" +
    "code banque|code établissement|code guichet|n° de guichet|numéro de guichet|BLZ|Bankleitzahl|tax reference|UTR|VAT number|VAT no\\.?|USt-IdNr\\.?|numéro de TVA|btw-nummer",
);

// "nº de cliente", "n. di conto", "Nr. des Kontos": a number sign, maybe "of", and the thing the number belongs to.
const NUMBER_OF_ACCOUNT = ci(
  "(?:n°|nº|n\\.º|n\\.|no\\.?|nr\\.?|núm\\.?|num\\.?|número|numero|numéro|nummer|number) ?(?:de |di |du |del |de la |van |of |des |der |dello |della )?" +
    "(?:cliente|client|klant|customer|Kunde|Kunden|cuenta|compte|conto|Kontos|rekening|account|socio|póliza|polizza|police|polis|policy|contrato|contratto|contrat|contract|adhérent|allocataire|afiliado|asegurado|assuré)",
);

const CORRECTS = ["PHONE", "DATE", "NATIONAL_ID"] as const;
const CLINICAL =
  /\b(?:patient|patiente|patiënt|paziente|paciente|Patientin|clinique|kliniek|Klinik|hôpital|ziekenhuis|ospedale|hospital|médecin|arts|Arzt|medico|médico|soins|zorg|allerg\w*|diagnos\w*|post-op|opname|ricovero|ingreso|consult\w*)\b/i;
// Stems of the keywords above: most texts have none, and then the long keyword alternations need not run.
const ACCOUNT_STEMS = /RIB|banque|livret|libretto|PEL|guichet|établissement|CCC|socio|vers\.|contra|loan|lening|prêt|mutuo|préstamo|mandat|machtiging|RUM|depot|vertrag|kredit|darlehen|employ|staff|payroll|personal|mitarbeiter|personeel|werknemer|salarié|matric|emplead|trabajador|acc|acct|a\/c|kont|kto|compt|rekening|conto|cuent|c\/c|polic|polis|poliz|póliz|member|custom|kunde|versicherung|kassen|steuer|aanslag|kvk|CAF|allocataire|fiscal|ABI|CAB|IVA|catastral|BLZ|bankleitzahl|sort|routing|tax|UTR|VAT|USt|TVA|btw|mitglied|client|klant|lid|invoice|rechnung|factur|fattura|adhérent/i;
const MRN_STEMS = /hosp|encounter|visit|admission|EPD|ZIS|opname|séjour|ricovero|ingreso|patiëntnr|patientnr|mrn|mr ?#|record|med\. ?rec|hospital|patient|patiënt|pat\.|pacient|aufnahme|nosologico|chart|ur ?n|fall|krankenblatt|dossier|ipp|ziekenhuis|cartella|paziente|historia|nhc|n\.h\.c/i;

function longAccountRule(): Rule {
  const rule = referenceRule("ACCOUNT", ci("account|konto|compte|rekening|conto|cuenta|acc"), "", 6, CORRECTS);
  const base = rule.accept;
  return { ...rule, when: ACCOUNT_STEMS, accept: (m, text) => (base ? base(m, text) : true) && !/^\d{1,3}(?:[ .,\u00a0]\d{3})+$/.test(m[1] ?? "") };
}

export const RECORD_RULES: Rule[] = [
  { ...referenceRule("MEDICAL_RECORD", MRN_STRONG, "", 4, [...CORRECTS, "ACCOUNT"]), when: MRN_STEMS },
  { ...referenceRule("ACCOUNT", `${ACCOUNT_STRONG}|${NUMBER_OF_ACCOUNT}`, ci("account|konto|compte|rekening|conto|cuenta|policy|member|customer|client|invoice|rechnung|facture|factuur|fattura|factura"), 4, CORRECTS), when: ACCOUNT_STEMS },
  // The bare word ("Konto", "compte", "cuenta") also counts things: "il compte 1 500 employés". Six digits, not an amount.
  longAccountRule(),
  // "dossier" / "cartella" is a patient's file in a clinical message and a court file or a folder elsewhere.
  {
    ...referenceRule("MEDICAL_RECORD", ci("dossier|cartella"), "", 4, [...CORRECTS, "ACCOUNT", "CASE_NUMBER"]),
    when: CLINICAL,
    accept: (m, text) => CLINICAL.test(text) && digitsOf(m[1] ?? "").length >= 4,
  },
  // UK sort codes: 12-34-56 after "sort code", or right before an eight-digit account number. Never a date.
  {
    type: "ACCOUNT",
    re: new RegExp(`(?<![A-Za-z])(?:${ci("sort code|sort-code|sortcode|s/c|bank code")})[\\s.:#]*(\\d{2}[- ]?\\d{2}[- ]?\\d{2})(?![\\d-])`, "g"),
    group: 1,
    overrides: CORRECTS,
  },
  // "sort 40 11 62": the bare word, with the code's own grouping.
  { type: "ACCOUNT", re: new RegExp(`(?<![A-Za-z])${ci("sort")}[\\s.:#]*(\\d{2}([- ])\\d{2}\\2\\d{2})(?![\\d-])`, "g"), group: 1, overrides: CORRECTS },
  {
    type: "ACCOUNT",
    re: new RegExp(`(?<![\\d-])(\\d{2}-\\d{2}-\\d{2})(?=["'\\s,;/|]+(?:(?:${ci("account|acc|a/c|acct")})(?:\\s?${ci("no|number|nr")})?[\\s.:#]*)?\\d{8}(?!\\d))`, "g"),
    group: 1,
    overrides: CORRECTS,
  },
  {
    type: "ACCOUNT",
    re: /(?<![\d-])\d{2}-\d{2}-\d{2}["'\s,;/|]+(?:(?:account|acc|a\/c|acct|Account|Acc|A\/C)(?:\s?(?:no|number|nr|No|Number)\.?)?[\s.:#]*)?(\d{8})(?!\d)/g,
    group: 1,
    overrides: CORRECTS,
  },
  // The last digits people quote to name an account: "the account ending in 4821", "Konto endend auf 4821".
  {
    type: "ACCOUNT",
    re: /(?<![\p{L}])(?:account|acct|a\/c|Konto|compte|rekening|conto|cuenta)(?:\s+[\p{L}'’-]{1,14}){0,3}?\s+(?:ending|ends with|termina en|termine par|se termine par|endet mit|eindigt met|termina con|ending in|ends in|ending with|endend auf|endet auf|se terminant par|finissant par|terminant par|eindigend op|eindigt op|che termina con|terminante in|terminada en|que termina en|acabada en)\s+(\d{3,6})(?!\d|[.,]\d)/giu,
    group: 1,
    when: /ending|ends|endend|endet|terminant|finissant|eindig|termina|acabada/i,
  },
  // A bank's BIC / SWIFT code named as such, next to the account it routes to.
  {
    type: "ACCOUNT",
    re: new RegExp(`(?<![A-Za-z])(?:${ci("BIC|SWIFT|SWIFT code|SWIFT/BIC|BIC/SWIFT|BIC code|code BIC|código BIC|codice BIC|codice SWIFT")})(?![A-Za-z])[\\s.:#-]*(?:(?:is|ist|lautet|est|è|es)\\s+)?([A-Z]{4}[A-Z]{2}[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?)(?![A-Za-z0-9])`, "g"),
    group: 1,
  },
  // The two-digit keys that complete a bank account: the French "clé RIB", the Spanish "dígitos de control".
  {
    type: "ACCOUNT",
    re: new RegExp(`(?<![\\p{L}])(?:${ci("clé RIB|clef RIB|clé|clef|clé de contrôle|dígitos de control|dígito de control|DC")})[\\s.:=]*(\\d{2})(?!\\d|[.,]\\d)`, "gu"),
    group: 1,
    when: /RIB|guichet|banque|compte|cuenta|entidad|oficina|CCC/i,
    accept: (m, text) => /RIB|guichet|code banque|compte|cuenta|entidad|oficina|CCC/i.test(before(text, m.index, 160)),
  },
  // Members' numbers of health insurers and mutual funds: "mutuelle MUT-558210", "Krankenkasse AOK 4471920".
  {
    ...referenceRule("ACCOUNT", ci("mutuelle|caisse maladie|caisse-maladie|cassa malati|complémentaire santé|n° d'adhérent|numéro d'adhérent|adhérent|mutua|cassa mutua|Krankenkasse|Krankenversicherung|zorgverzekeraar|zorgverzekering|health insurer|health insurance|insurer|assurance|assicurazione|aseguradora|seguro"), "", 5, CORRECTS),
    when: /mutu|adhérent|santé|maladie|malati|kranken|zorgverzeker|insur|assuranc|assicuraz|asegur|seguro/i,
    accept: (m) => /\d{5}/.test(m[1] ?? "") && /^(?:[A-Z]{1,4}[-/. ]?)?\d/.test(m[1] ?? ""),
  },
  // US ABA routing numbers, checked.
  {
    type: "ACCOUNT",
    re: new RegExp(`(?<![A-Za-z])(?:${ci("routing number|routing no\\.?|routing|ABA|RTN|routing transit number")})[\\s.:#]*(\\d{9})(?!\\d)`, "g"),
    group: 1,
    accept: (m) => abaValid(m[1] ?? ""),
    overrides: CORRECTS,
  },
];
