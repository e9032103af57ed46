import type { Rule } from "./rule.js";

/**
 * Street addresses with their house numbers, in the order each language writes them: "27 rue de la Paix",
 * "Hauptstraße 12a", "Keizersgracht 123-2", "Via Roma 5", "Calle Mayor 10, 3º B", "221B Baker Street".
 * The tagger finds street names; these make sure the number goes with the street.
 */

const NAME_WORD = "[\\p{Lu}][\\p{L}'’.-]*";
// Articles and prepositions inside street names: "de la", "della", "del", "van", "des".
const LINKER = "(?:de|du|des|de la|de l'|d'|la|le|les|l'|di|da|del|della|dello|delle|dei|degli|dell'|van|von|der|den|het|y|e|do|dos|das)";
const NAME = `(?:${NAME_WORD}|\\d{1,2}(?:er|e|\\.)?)(?:[ \\u00a0](?:${LINKER}[ \\u00a0])?(?:${NAME_WORD}|${LINKER}[ \\u00a0]${NAME_WORD})){0,4}`;
// A house number with its suffixes: 12a, 12 bis, 123-2, 5/7, 12-14.
const HOUSE = "(?!(?:19|20)\\d{2}(?!\\d))\\d{1,4}(?:(?:[ \\u00a0]?(?:bis|ter|quater)|[a-zA-Z]|[ \\u00a0][A-Z])(?![\\p{L}]))?(?:[ \\u00a0]?[-/][ \\u00a0]?\\d{1,4}[a-zA-Z]?)?";

// German and Dutch: the street word is a suffix of one word, the number follows.
const SUFFIXED =
  "(?:straße|strasse|str\\.|weg|platz|allee|gasse|damm|ufer|chaussee|steig|graben|" +
  "straat|gracht|laan|plein|kade|singel|dijk|dreef|steeg|plantsoen|burgwal)";
// French: number first, then the street type in lower case.
const FR_TYPE = "(?:rue|avenue|av\\.|boulevard|bd|bld|place|pl\\.|chemin|allée|impasse|quai|route|cours|square|passage|faubourg|rond-point|voie|esplanade|promenade|montée|sentier)";
// Italian and Spanish: the street type first, the number after the name (", 12" or "n. 12" / "nº 12").
const IT_ES_TYPE =
  "(?:Rue|Avenue|Boulevard|Chaussée|Chemin|Route|Quai|Allée|Impasse|Ruelle|Via|Viale|V\\.le|Piazza|P\\.zza|Piazzale|Corso|C\\.so|Largo|Vicolo|Strada|Lungotevere|Lungarno|Borgo|Contrada|Calle|C/|Avenida|Avda\\.|Av\\.|Plaza|Pza\\.|Paseo|Pº|Carrer|Carretera|Camino|Ronda|Travesía|Rambla|Plaça|Passeig|Glorieta|Rúa|Rua)";
// Spanish floor and door after the number: "3º B", "2.º izq.", "4ª".
const FLOOR = "(?:,?[ \\u00a0]\\d{1,2}[ \\u00a0]?(?:º|ª|°|\\.º|\\.ª)(?:[ \\u00a0]?-?[ \\u00a0]?(?:[A-Z]|\\d{1,2}|izq(?:da)?\\.?|dcha\\.?|dcha|izquierda|derecha))?)?";
// English: number, name, street type.
const EN_TYPE =
  "(?:Street|St\\.|Road|Rd\\.|Avenue|Ave\\.|Lane|Ln\\.|Drive|Boulevard|Blvd\\.?|Terrace|Crescent|Parkway|Pkwy\\.?|Highway|Hwy\\.?|Gardens|Grove|Mews)";

export const ADDRESS_RULES: Rule[] = [
  // Bounded and anchored at a word start: a long run of letters must not cost quadratic time.
  { type: "ADDRESS", re: new RegExp(`(?<![\\p{L}-])[\\p{Lu}][\\p{L}-]{0,40}?${SUFFIXED}[ \\u00a0]${HOUSE}(?![\\p{L}\\d])`, "gu") },
  // Two-word German and Dutch streets: "Unter den Linden 5", "Am Markt 3", "Prins Hendrikkade 21".
  { type: "ADDRESS", re: new RegExp(`\\b(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Unter den|Zum|Zur|Alte|Neue|Prins|Prinses|Koning|Nieuwe|Oude)[ \\u00a0]${NAME_WORD}[ \\u00a0]${HOUSE}(?![\\p{L}\\d])`, "gu") },
  { type: "ADDRESS", re: new RegExp(`(?<![\\d\\p{L}])${HOUSE},?[ \\u00a0]${FR_TYPE}[ \\u00a0](?:${LINKER}[ \\u00a0])?${NAME}`, "gu") },
  {
    type: "ADDRESS",
    re: new RegExp(`(?<![\\p{L}])${IT_ES_TYPE}[ \\u00a0](?:${LINKER}[ \\u00a0])?${NAME},?[ \\u00a0](?:n\\.?[ \\u00a0]?º?|nº|n°|núm\\.|no\\.)?[ \\u00a0]?${HOUSE}${FLOOR}(?![\\p{L}\\d])`, "gu"),
  },
  { type: "ADDRESS", re: new RegExp(`(?<![\\d\\p{L}])(?!(?:19|20)\\d{2}\\b)\\d{1,5}[A-Za-z]?[ \\u00a0]${NAME_WORD}(?:[ \\u00a0]${NAME_WORD}){0,3}[ \\u00a0]${EN_TYPE}(?![\\p{L}])`, "gu") },
];

/** Is there a street with its number within the `n` characters before `index`? (Postcodes follow addresses.) */
export function streetBefore(text: string, index: number, n = 80): boolean {
  const window = text.slice(Math.max(0, index - n), index);
  return STREET_TESTS.some((re) => re.test(window));
}

const STREET_TESTS = ADDRESS_RULES.map((rule) => new RegExp(rule.re.source, rule.re.flags.replace("g", "")));
