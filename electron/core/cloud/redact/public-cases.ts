/**
 * Landmark court decisions cited as doctrine ("Marbury v. Madison", "Donoghue v Stevenson [1932] AC 562",
 * "l'arrêt Blanco", "la sentenza Cappato", "Costa contra ENEL") are public law, not parties to anyone's matter.
 * A case name counts as public when it carries a law-report citation or a year, or when the message discusses
 * doctrine (what a case established, the rule in it, where it is cited) and says nothing of a client, a file number
 * or a hearing. "In Hargreaves v. Castellan, the court held ..." alone could be anyone's matter and stays hidden.
 */

const WORD = "\\p{Lu}[\\p{L}\\p{M}'’.-]*";
const PARTY = `${WORD}(?:[ \\t]+(?:of|and|&|de|del|van|der|en|y|et|e|und|${WORD})){0,4}`;
/** "X v. Y", "X gegen Y", "X c. Y", "X contra Y", "X/Y-arrest". */
const CASE_NAME = new RegExp(
  `(?<![\\p{L}\\p{N}])${WORD}(?:[ \\t]+${WORD}){0,2}[ \\t]+(?:v\\.?|vs\\.?|versus|gegen|c\\.|c/|contre|tegen|contro|contra)[ \\t]+${PARTY}` +
    `|(?<![\\p{L}\\p{N}])${WORD}/${WORD}-?(?:arrest|Urteil|Entscheidung|arrêt|case)`,
  "gu",
);
/** A decision named by one party after the word for judgment: "arrêt Blanco", "sentenza Francovich", "Urteil Lüth". */
const JUDGMENT_NAME = new RegExp(
  `(?<![\\p{L}])(?:arrêt|arrêts|sentenza|sentencia|Urteil|arrest|caso|affaire|Fall|zaak|case|doctrine|doctrina|dottrina|jurisprudence|jurisprudencia|giurisprudenza|Doktrin|Rechtsprechung|leer|riforma|reforma|réforme|hervorming|legge|loi|ley|wet)[ \\t]+${PARTY}`,
  "gu",
);
/** Words for a decision or a doctrine proper, as opposed to "case", "caso" or "Fall", which may be anyone's file. */
// A reform or a law named after its minister ("riforma Fornero", "loi Macron", "Ley Celaá") is public too. Lower
// case only: a capitalised "Reform" may open a firm's or a party's name ("Reform Club").
const DECISION_WORD = /^(?:arrêt|arrêts|sentenza|sentencia|Urteil|arrest|doctrine|doctrina|dottrina|jurisprudence|jurisprudencia|giurisprudenza|Doktrin|Rechtsprechung|leer|riforma|reforma|réforme|hervorming|legge|loi|ley|wet)[ \t]/u;
/** "Baris/Riezenkamp-arrest", "Lindenbaum/Cohen-Urteil": a decision named by its parties and the word for it. */
const NAMED_DECISION = /\/\p{Lu}[\p{L}\p{M}'’.-]*-?(?:arrest|Urteil|Entscheidung|arrêt)$/u;
/** A law-report citation or a year right after the name: "(1803)", "[1932] AC 562", "5 U.S. 137", ", 1873". */
const CITATION_AFTER = /^[ \t]*(?:,[ \t]*)?(?:[([]\d{4}[)\]]|\d{1,3}[ \t]+(?:U\.?[ \t]?S\.?|F\.\d?d|S\.[ \t]?Ct\.|AC|QB|KB|Ch|WLR|All ER|EWCA|UKSC|UKHL)\b|de[ \t]+\d{4}\b|del[ \t]+\d{4}\b|\d{4}\b)/u;
/** The message talks about doctrine: what a case established, held or is cited for. */
const DOCTRINE = new RegExp(
  String.raw`(?:establish|rule in|doctrine|landmark|precedent|cited|citation|\bratio\b|principle|\btest\b|overrul|leading case|onwards|case law|House of Lords|Supreme Court|judicial review|stabilit|deciso|decisione|estableci|fondateur|fondamental|primac|primauté|Grundsatz|Leitentscheidung|Rechtsprechung|jurisprud|Hoge Raad|Cassazione|Corte costituzionale|Corte di giustizia|Tribunal Supremo|Conseil d'État|Cour de cassation|BVerfG|BGH|EuGH|CJEU|ECJ|ECtHR|doctrina|dottrina|belangrijk|importante|important|wichtig|` +
  // Asked to explain a case, one asks about the law it made ("Explain Hadley v Baxendale and the two limbs ...").
  String.raw`\bexplain|\bexplique[zs]?\b|\berkläre|\berläutere|\bleg uit\b|\bspiega|\bexplica\b)`,
  "iu",
);
/** The message is about someone's own matter: then the parties are people to protect. */
const OWN_MATTER =
  /(?:\bclient|\bcliënt|Mandant|\bcliente|counsel|\bMatter\b|\bAz\.|Aktenzeichen|\bR\.?G\.?\b|\bNo\.\s*\d|\bn[°º.]\s*\d|zaaknummer|procedimiento|\bClaim\b|docket|plaintiff|defendant|claimant|Kläger|Beklagte|demandeur|défendeur|attrice|attore|convenuto|\beiser\b|gedaagde|demandante|demandado|opposing|Gegenseite|audience|udienza|audiencia|zitting|hearing|we act|\bour\b|unser|\bnotre\b|\bnostr|\bnuestr|\bonze\b|Kanzlei|cabinet)/iu;

/** [start, end) ranges of the text that cite public case law. */
export function publicCaseRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const doctrine = DOCTRINE.test(text) && !OWN_MATTER.test(text);
  const ownMatter = OWN_MATTER.test(text);
  for (const re of [CASE_NAME, JUDGMENT_NAME]) {
    for (const m of text.matchAll(re)) {
      const end = m.index + m[0].length;
      // "la sentencia Van Gend en Loos", "la dottrina Francovich": a decision or doctrine called by its name is
      // cited as law unless the message is about someone's own matter ("case" and "Fall" alone say too little).
      const named = ((re === JUDGMENT_NAME && DECISION_WORD.test(m[0])) || (re === CASE_NAME && NAMED_DECISION.test(m[0]))) && !ownMatter;
      if (doctrine || named || CITATION_AFTER.test(text.slice(end, end + 30))) out.push([m.index, end]);
    }
  }
  return out;
}

/** Whether [start, end) lies inside a public case citation. */
export function inPublicCase(ranges: ReadonlyArray<[number, number]>, start: number, end: number): boolean {
  return ranges.some(([s, e]) => start >= s && end <= e);
}
