/**
 * Word lists for the router's structural and domain features. Domains are broad families, not benchmark subjects:
 * the router must place prompts from subjects it never saw, so it learns one weight per family rather than per
 * subject. Words are matched after lower-casing, on whole tokens.
 */

export const DOMAINS = {
  math: [
    "equation", "equations", "integer", "integers", "polynomial", "derivative", "integral", "matrix", "matrices",
    "probability", "prime", "sum", "ratio", "sqrt", "log", "logarithm", "variance", "vector", "vectors", "algebra",
    "geometry", "triangle", "circle", "radius", "angle", "divisible", "fraction", "fractions", "root", "roots",
    "solve", "solution", "solutions", "function", "functions", "real", "number", "numbers", "mean", "median",
    "group", "ring", "field", "subgroup", "isomorphic", "homomorphism", "modulo", "mod", "digit", "digits",
    "inequality", "exponent", "slope", "graph", "theorem", "regression", "distribution", "statistic", "sample",
  ],
  physics: [
    "force", "velocity", "acceleration", "mass", "energy", "momentum", "electric", "charge", "magnetic", "wave",
    "waves", "frequency", "gravity", "gravitational", "friction", "circuit", "voltage", "current", "resistance",
    "photon", "quantum", "temperature", "pressure", "speed", "kinetic", "potential", "light", "lens", "orbit",
    "planet", "star", "newton", "joule", "watt", "resistor", "capacitor", "heat", "thermal", "particle",
  ],
  chemistry: [
    "molecule", "molecules", "atom", "atoms", "reaction", "acid", "acids", "base", "ph", "bond", "bonds",
    "oxidation", "mol", "moles", "molar", "compound", "compounds", "element", "ion", "ions", "electron",
    "electrons", "solution", "gas", "equilibrium", "catalyst", "organic", "isotope", "hydrogen", "oxygen", "carbon",
  ],
  medicine: [
    "cell", "cells", "protein", "proteins", "gene", "genes", "dna", "rna", "patient", "patients", "disease",
    "symptom", "symptoms", "diagnosis", "treatment", "blood", "tissue", "organ", "enzyme", "infection", "virus",
    "drug", "drugs", "dose", "clinical", "syndrome", "mg", "physician", "hospital", "pain", "chronic", "acute",
    "muscle", "bone", "heart", "brain", "nerve", "species", "evolution", "organism", "bacteria", "vitamin",
  ],
  law: [
    "court", "plaintiff", "defendant", "statute", "contract", "liability", "constitutional", "jury", "evidence",
    "tort", "lawsuit", "appeal", "convicted", "prosecution", "prosecutor", "legal", "law", "laws", "amendment",
    "negligence", "sued", "suit", "judge", "trial", "crime", "criminal", "guilty", "damages", "property",
    "landlord", "tenant", "deed", "breach", "testimony", "hearsay", "ordinance", "state", "federal", "treaty",
  ],
  ethics: [
    "moral", "morally", "wrong", "ethical", "ethics", "virtue", "kant", "utilitarian", "utilitarianism",
    "philosopher", "ought", "justice", "duty", "rights", "good", "evil", "consequences", "normal", "standards",
  ],
  logic: [
    "premise", "premises", "conclusion", "valid", "invalid", "fallacy", "argument", "implies", "iff", "predicate",
    "proposition", "symbolize", "translation", "entail", "entails", "tautology", "contradiction", "proof", "prove",
    "lemma", "corollary", "statement", "true", "false",
  ],
  history: [
    "century", "war", "empire", "revolution", "president", "colonial", "dynasty", "king", "ancient", "kingdom",
    "civilization", "archaeological", "period", "historian", "historians", "reign", "medieval", "passage",
  ],
  computing: [
    "algorithm", "algorithms", "program", "programs", "code", "variable", "loop", "array", "compiler", "bit",
    "bits", "binary", "memory", "runtime", "complexity", "recursion", "recursive", "python", "java", "sql",
    "network", "encryption", "software", "computer", "byte", "bytes", "cpu", "cache", "neural", "training",
    "classifier", "dataset", "pointer", "hash", "string", "integer", "boolean", "server", "attack", "password",
  ],
  economics: [
    "price", "prices", "market", "markets", "demand", "supply", "cost", "costs", "profit", "tax", "taxes",
    "inflation", "gdp", "interest", "revenue", "firm", "firms", "monopoly", "accounting", "depreciation", "asset",
    "assets", "equity", "income", "expense", "expenses", "investment", "economy", "economic", "marginal",
    "elasticity", "bank", "loan", "dividend", "audit", "auditor",
  ],
  psychology: [
    "behavior", "behaviour", "cognitive", "therapy", "psychologist", "personality", "disorder", "child", "children",
    "development", "emotional", "social", "anxiety", "depression", "learning", "motivation", "perception",
    "conditioning", "psychological", "client", "counseling",
  ],
  writing: [
    "write", "story", "poem", "essay", "email", "letter", "blog", "summarize", "rewrite", "draft", "tweet",
    "slogan", "creative", "character", "persuasive", "describe", "imagine",
  ],
} as const satisfies Record<string, readonly string[]>;

export type Domain = keyof typeof DOMAINS;
export const DOMAIN_NAMES = Object.keys(DOMAINS) as Domain[];

/** User-facing name of each family, used in the decision's reasons. */
export const DOMAIN_LABELS: Record<Domain, string> = {
  math: "mathematics",
  physics: "physics",
  chemistry: "chemistry",
  medicine: "medicine / biology",
  law: "law",
  ethics: "ethics / moral judgement",
  logic: "formal logic / proofs",
  history: "history",
  computing: "computing",
  economics: "economics / accounting",
  psychology: "psychology",
  writing: "writing",
};

export const DOMAIN_OF_WORD: ReadonlyMap<string, Domain[]> = (() => {
  const map = new Map<string, Domain[]>();
  for (const domain of DOMAIN_NAMES) {
    for (const word of DOMAINS[domain]) {
      const list = map.get(word) ?? [];
      list.push(domain);
      map.set(word, list);
    }
  }
  return map;
})();

export const MATH_ASK_WORDS = new Set([
  "calculate", "compute", "solve", "find", "total", "percent", "percentage", "average", "each", "per", "remaining",
  "left", "twice", "half", "times", "profit", "cost", "costs", "how", "much", "many",
]);

export const REASONING_WORDS = new Set([
  "why", "explain", "reason", "reasoning", "analyze", "analyse", "compare", "evaluate", "justify", "derive",
  "implications", "tradeoffs", "critique", "assess", "argue", "discuss", "prove", "suppose", "assume", "consider",
]);

export const NEGATION_WORDS = new Set(["not", "except", "least", "incorrect", "false", "never", "cannot", "unlikely"]);

export const CODE_WORDS = new Set([
  "def", "function", "return", "class", "import", "public", "void", "printf", "console", "include", "select",
  "const", "let", "var", "lambda", "elif", "struct", "fn", "async", "await", "println", "int", "char", "while",
]);
