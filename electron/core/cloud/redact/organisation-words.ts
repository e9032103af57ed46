/**
 * The words that say "this is a company or an institution" in English, German, French, Dutch, Italian and Spanish,
 * for organisations.ts. Kept apart from the detector so each list can grow without touching the logic.
 */

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/**
 * Legal forms, written as they end a company's name ("Hill Inc.", "Alpenland Bau GmbH", "Reformas Ebro S.L.").
 * Matched case-sensitively, with and without their dots. Short bare capitals that are also common abbreviations
 * (SE, AB, AS, CV) are left out; "AG" is only a legal form after a name ("Siemens AG", not "AG München").
 */
export const LEGAL_FORMS = new Set(
  words(
    // English
    "Inc Inc. Incorporated Corp Corp. Corporation Ltd Ltd. Limited LLC L.L.C. LLP L.L.P. PLC Plc plc Co. Pty " +
      // German
      "GmbH gGmbH mbH AG KG KGaA OHG oHG UG e.V. eV eG GbR PartG PartGmbB " +
      // French, Belgian
      "SARL S.A.R.L. SAS S.A.S. SASU EURL SA S.A. SNC SCP SELARL SPRL SRL " +
      // Dutch
      "BV B.V. NV N.V. VOF V.O.F. " +
      // Italian
      "SpA S.p.A. Srl S.r.l. S.r.l.s. Srls Snc S.n.c. S.a.s. " +
      // Spanish
      "SL S.L. SLU S.L.U. S.A.U. SAU S.Coop. SLL S.L.L.",
  ),
);

/** Two capitals that are a legal form only right after a name: elsewhere they are courts, units or initials. */
export const SHORT_FORMS = new Set(words("AG KG SA SL NV BV UG SAS SNC SRL SCP eG eV"));

/** What may follow a legal form and still belong to the name: "GmbH & Co. KG", "Co., Ltd.", "Pty Ltd". */
export const FORM_CONTINUATIONS = new Set(words("Co Co. KG Ltd Ltd. Limited Cie Cie."));

/**
 * Nouns that end the name of a firm or an institution: "Abt Associates", "St Mary's Hospital",
 * "Sommer & Vogel Rechtsanwälte", "Llewellyn Architects". Lower-cased.
 */
export const ORG_TAILS = new Set(
  words(
    // English
    "group holdings holding partners partnership associates bank clinic clinics hospital hospitals hospice practice surgery " +
      "pharmacy solicitors architects accountants attorneys consulting consultants technologies software systems " +
      "solutions labs laboratories research insurance logistics industries enterprises ventures foundation studios " +
      "pharmaceuticals motors realty properties gym salon movers builders engineering construction networks " +
      "communications airlines robotics analytics recruitment staffing " +
      // German
      "rechtsanwälte rechtsanwaltsgesellschaft steuerberater steuerberatung wirtschaftsprüfer partnerschaft klinik " +
      "klinikum krankenhaus praxis apotheke immobilien versicherung versicherungen spedition logistik gruppe " +
      "handelsgesellschaft baugesellschaft " +
      // French
      "avocats associés notaires conseil " +
      // Dutch
      "advocaten notarissen makelaars accountants groep " +
      // Italian
      "avvocati associati costruzioni autoricambi " +
      // Spanish
      "abogados asesores consultores asociados hermanos",
  ),
);

/** Two-word tails: "Funeral Directors", "Medical Centre", "Care Home". Lower-cased, one space. */
export const ORG_TAIL_PAIRS = new Set([
  "funeral directors", "medical centre", "medical center", "health centre", "health center", "care home",
  "nursing home", "dental practice", "law firm", "et associés", "& associés", "e associati", "y asociados",
  "& fils", "& söhne", "& sons", "& co", "e figli", "e hijos", "& partner", "& partners",
]);

/**
 * Nouns that open the name of a firm or an institution: "CHU de Nantes", "Policlinico San Matteo",
 * "Boulangerie Martin & Fils", "Bufete Ortega", "Fietsenwinkel De Spaak". Matched with their capital.
 */
export const ORG_HEADS = new Set(
  words(
    // English
    "Clinic Hospital " +
      // German
      "Klinik Klinikum Krankenhaus Universitätsklinikum Universitätsspital Kantonsspital Spital Praxis Gemeinschaftspraxis " +
      "Arztpraxis Zahnarztpraxis Kanzlei Anwaltskanzlei Notariat Seniorenstift Seniorenresidenz Pflegeheim Altenheim " +
      "Stadtwerke Autohaus Bäckerei Metzgerei Apotheke Hotel Gasthaus Gasthof " +
      // French
      "CHU CHR CHRU Clinique Hôpital Cabinet Étude Pharmacie EHPAD Boulangerie Brasserie Transports Garage " +
      "SCI Société " +
      // Dutch
      "Ziekenhuis Zorgcentrum Verpleeghuis Huisartsenpraktijk Tandartspraktijk Advocatenkantoor Notariskantoor Apotheek " +
      "Woonstichting Stichting Klusbedrijf Installatiebedrijf Bouwbedrijf Schildersbedrijf Aannemersbedrijf " +
      "Fietsenwinkel Bloemenhandel " +
      // Italian
      "RSA Ospedale Policlinico Clinica Farmacia Trattoria Ristorante Pizzeria Autofficina Officina Impresa Edilizia " +
      // Spanish
      "Clínica Bufete Despacho Notaría Inmobiliaria Panadería Joyería Ferretería Taller Residencia Transportes",
  ),
);

/** Two-word heads: "Studio legale Bianchi", "Centre hospitalier de Dax", "Casa di cura Villa Serena". */
export const ORG_HEAD_PAIRS = new Set([
  "studio legale", "studio medico", "studio notarile", "casa di cura", "centre hospitalier", "maison de santé",
  "centro médico", "centro medico", "hospital universitario", "bar restaurante", "cabinet médical", "cabinet dentaire",
  "clínica dental", "clinica dentale",
]);

/**
 * Public bodies and central banks named with the same nouns: what they are is public knowledge and the answer needs
 * it ("the Bank of England", "European Central Bank", "Banque de France"). Lower-cased whole names.
 */
export const PUBLIC_ORGS = new Set([
  "bank of england", "european central bank", "world bank", "european investment bank", "federal reserve bank",
  "deutsche bundesbank", "banque de france", "banca d'italia", "banco de españa", "de nederlandsche bank",
  "bank for international settlements", "asian development bank", "national health service", "nhs trust",
  "reserve bank", "central bank", "investment bank", "commercial bank", "retail bank", "private bank",
  "market research", "operations research", "clinical research", "general hospital", "teaching hospital",
  "university hospital", "children's hospital", "mental health services", "social services",
  "financial services", "health services", "legal services", "customer services", "it services",
  "cloud services", "web services",
]);

/**
 * Words before a company's name that name its role in the sentence, not the company: "Firma Petrenko GmbH",
 * "Debtor Hartwell Marine Ltd", "société MF Import-Export SPRL". Lower-cased.
 */
export const ROLE_NOUNS = new Set(
  words(
    "firm company client customer debtor creditor employer employee tenant landlord supplier vendor claimant defendant " +
      "respondent applicant plaintiff re subject " +
      "firma unternehmen gesellschaft mandant mandantin kunde kundin schuldner schuldnerin gläubiger gläubigerin " +
      "arbeitgeber arbeitgeberin vermieter vermieterin mieter mieterin klägerin kläger beklagte beklagter lieferant " +
      "société entreprise client cliente employeur débiteur créancier bailleur locataire demandeur défendeur " +
      "bedrijf firma klant werkgever verhuurder huurder eiser gedaagde leverancier " +
      "ditta società azienda cliente datore debitore creditore locatore conduttore attore convenuto fornitore " +
      "empresa sociedad compañía cliente empleador deudor acreedor arrendador arrendatario demandante demandado proveedor",
  ),
);

/** Links inside a name: "Bank of Scotland", "Immobilière du Parc", "Logística del Sur", "Sol y Luna". */
export const NAME_LINKS = new Set(
  words("of de du des d' di del della dei van der den het von am an la le les el los y e et en und and & da do dos das"),
);

/** Articles and prepositions that may open a name after a cue ("work for the Royal Marsden"). */
export const CUE_ARTICLES = new Set(words("the der die dem den das la le les l' el los las het de il lo gli"));
