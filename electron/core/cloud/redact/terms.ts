/**
 * Words that look like names but name no one: eponyms in terms ("Nash equilibrium", "Parkinson's disease",
 * "théorème de Bayes"), public bodies, programmes and laws ("NHS", "Medicare", "GDPR"). Hiding them takes away
 * what the cloud model needs to answer and protects nobody.
 */

/** Nouns that make the capitalised word before them (or after them, with de/di/van/von) part of a term. */
const TERM_NOUNS = new Set(
  (
    // English
    "theorem lemma conjecture hypothesis equilibrium equation equations inequality formula model models method " +
    "algorithm distribution distributions test tests statistic coefficient index scale score criteria criterion " +
    "disease diseases syndrome disorder palsy sign reflex fracture procedure manoeuvre maneuver operation law laws " +
    "principle principles effect effects paradox constant number numbers curve curves transform transformation " +
    "series process processes chain chains function functions integral space spaces rule rules ratio limit " +
    "theory problem estimator matrix filter correction approach analysis classification staging regression " +
    "cycle diagram plot circle triangle loop machine act doctrine convention treaty directive regulation " +
    "programme program scheme tax rate bound bounds game games measure norm operator code simulation simulations " +
    "sampling estimation lymphoma carcinoma sarcoma phenomenon cells cell optimum optimality efficiency " +
    "unreasonableness arrest case-law jurisprudence warnings warning rights regression " +
    // German
    "gleichgewicht theorem satz gesetz verteilung test krankheit syndrom modell prinzip effekt formel gleichung " +
    "zahl regel kriterien index skala methode verfahren problem paradoxon kurve kette ketten filter algorithmus " +
    "koeffizient lymphom optimum " +
    // French
    "théorème équilibre loi maladie syndrome modèle principe effet formule équation indice échelle critères " +
    "méthode test distribution paradoxe règle courbe chaîne chaînes filtre algorithme coefficient lymphome " +
    "optimum arrêt jurisprudence " +
    // Dutch
    "stelling evenwicht wet ziekte syndroom principe effect formule vergelijking verdeling toets regel curve " +
    "keten ketens algoritme coëfficiënt lymfoom optimum arrest jurisprudentie " +
    // Italian
    "teorema equilibrio legge malattia sindrome modello principio effetto formula equazione distribuzione " +
    "indice scala criteri metodo regola curva catena catene filtro algoritmo coefficiente linfoma ottimo " +
    "punteggio sentenza regressione curva " +
    // Spanish
    "teorema equilibrio ley enfermedad síndrome modelo principio efecto fórmula ecuación distribución índice " +
    "escala criterios método prueba regla curva cadena cadenas filtro algoritmo coeficiente linfoma óptimo " +
    "puntuación sentencia regresión " +
    // French additions
    "régression courbe algorithme modèle " +
    // Plurals, signs, manoeuvres, networks, classifications, treaties, doctrines: all six languages
    // (no plural that is also a verb after a name: "Smith signs", "Fenstermacher points out")
    "theorems lemmas laws indices criteria ratios constants paradoxes " +
    "conventions treaties treaty agreement agreements accord accords protocol protocols pact charter " +
    "classification classifications triad manoeuvres maneuvers network networks machine machines cycle " +
    "gesetze regeln zeichen handgriff netz netze klassifikation kriterium konstante abkommen übereinkommen vertrag " +
    "verträge protokoll pakt doktrin lehre " +
    "lois règles signe signes manœuvre manoeuvre réseau réseaux classification critère constante nombre triade " +
    "convention conventions traité traités accord accords protocole pacte doctrine " +
    "wetten regels teken tekenen manoeuvre netwerk classificatie criterium constante getal verdrag verdragen " +
    "akkoord protocol pact doctrine leer wetboek wetboeken gesetzbuch " +
    "leggi regole segno segni manovra rete reti classificazione criterio costante numero triade convenzione " +
    "convenzioni trattato trattati accordo accordi protocollo patto dottrina giurisprudenza morbo macchina ciclo " +
    // Clinical, laboratory and scientific nouns that follow an eponym ("Gram stain", "Holter monitor", "Wilms tumour")
    "stain staining monitor catheter lesion lesions cyst diverticulum oesophagus esophagus encephalopathy tumour tumor " +
    "stage stages grade grading smear ultrasound counter dish burner flask tube force forces delta sequence chart " +
    "alpha rho tau correlation causality equivalence duration deference injunction competence guidelines t-test " +
    "correction manoeuvre valve canal duct gland glands ligament nerve razor " +
    "leyes reglas signo signos maniobra red redes clasificación criterio constante número tríada convenio " +
    "convenios tratado tratados acuerdo acuerdos protocolo pacto doctrina jurisprudencia máquina ciclo prueba pruebas"
  ).split(" "),
);

/** "théorème de Bayes", "Morbus Crohn", "ziekte van Parkinson": the term noun comes first. */
const TERM_HEADS = new Set(
  ("théorème loi maladie syndrome équilibre modèle principe effet formule " +
    "stelling wet ziekte syndroom evenwicht " +
    "teorema legge malattia sindrome equilibrio modello principio effetto formula " +
    "ley enfermedad síndrome " +
    "morbus satz gesetz courbe curva curve algorithme algoritmo algorithmus regressione regresión régression " +
    "modelo test arrêt sentenza sentencia arrest urteil catena cadena chaîne " +
    // Signs, manoeuvres, scores, networks, doctrines and treaties named after a person or a place, in each language
    "signe signes manœuvre manoeuvre réseau échelle score indice critères classification triade doctrine jurisprudence " +
    "convention traité accord protocole pacte cycle machine problème paradoxe constante nombre lois règle " +
    "teken manoeuvre netwerk schaal score index criteria classificatie verdrag akkoord doctrine leer wetten regel " +
    "segno manovra rete scala punteggio indice criteri classificazione triade dottrina giurisprudenza morbo " +
    "convenzione trattato accordo protocollo patto ciclo macchina problema paradosso costante numero leggi regola " +
    "signo maniobra red escala puntuación índice criterios clasificación tríada doctrina jurisprudencia convenio " +
    "tratado acuerdo protocolo pacto ciclo máquina problema paradoja constante número leyes regla prueba " +
    "zeichen handgriff netz skala klassifikation kriterien doktrin lehre abkommen übereinkommen vertrag " +
    "rasoir rasoio navaja scheermes rasiermesser paradoxe paradosso paradoja paradox paradoxon effet effetto efecto " +
    "effect effekt formule formula fórmula formel").split(" "),
);
const TERM_LINKS = new Set(["de", "d'", "di", "del", "della", "van", "von", "des", "du"]);

export function isTermNoun(word: string): boolean {
  return TERM_NOUNS.has(word.toLowerCase());
}

/**
 * Term nouns that a person can also own: "the Lisfranc injury", "the Marshall-Lerner condition", "Kegel exercises"
 * are terms, but "Patel's injury" and "Smith's condition" are a patient's. They count only without a possessive.
 */
const PLAIN_TERM_NOUNS = new Set(
  ("injury injuries condition conditions exercise exercises class good goods tree clock shuffle cipher " +
    "technique incision approach position view projection").split(" "),
);
export function isPlainTermNoun(word: string): boolean {
  return PLAIN_TERM_NOUNS.has(word.toLowerCase());
}

export function isTermHead(word: string): boolean {
  // "l'algorithme de Dijkstra", "dell'algoritmo di ...": an elided article is not part of the head.
  const w = word.toLowerCase().replace(/^(?:l|d|dell|dall|nell|all|sull)['’]/u, "");
  return TERM_HEADS.has(w) || TERM_NOUNS.has(w);
}

export function isTermLink(word: string): boolean {
  return TERM_LINKS.has(word.toLowerCase());
}

/**
 * Eponyms that are far more often a disease, a theorem or a distribution than a person in everyday messages,
 * even with nothing after them ("a patient with Parkinson's", "Bayes' rule", "Gaussian").
 */
const EPONYMS = new Set(
  ("parkinson alzheimer crohn hodgkin huntington tourette asperger addison cushing raynaud graves hashimoto " +
    "kawasaki lyme menière meniere sjögren sjogren guillain barré creutzfeldt jakob paget " +
    "bayes gauss fourier laplace markov poisson bernoulli pareto nash keynes pythagoras euclid fermat euler " +
    "leibniz riemann hilbert turing pavlov doppler heisenberg schrödinger boltzmann " +
    "celsius fahrenheit apgar gleason breslow child-pugh whipple kaplan meier mann whitney " +
    "kruskal wallis wilcoxon spearman chi tukey bonferroni kolmogorov smirnov weibull " +
    "scholes merton gini laffer cobb harrod domar " +
    "weinberg mendel navier stokes michaelis menten hasselbalch " +
    "salmonella hirschsprung duchenne marfan ehlers danlos klinefelter kalman márkov modigliani " +
    "bechterew reed sternberg nyquist shannon huffman bellman ford-fulkerson kruskal prim floyd warshall " +
    "cournot bertrand stackelberg heckscher ohlin mundell fleming arrow debreu walras nernst " +
    "laffer okun hamming levenshtein jaccard dirichlet cauchy lagrange " +
    // Computing and reasoning eponyms almost never met as a client's name (not "Dijkstra", "Krüger", "Merkle":
    // common surnames, left to the term patterns around them)
    "diffie rivest shamir adleman ockham occam viterbi fibonacci lamport bézier bezier vigenère").split(" "),
);

export function isEponym(word: string): boolean {
  return EPONYMS.has(word.toLowerCase());
}

/**
 * Public bodies, public programmes, laws and standards that come up in clinic, law-firm, bank and office messages.
 * They are institutions everybody deals with, not a party that identifies anyone. Matched case-sensitively.
 */
const PUBLIC_NAMES = new Set(
  (
    // UK
    "NHS HMRC DWP DVLA HMCTS CQC GMC NMC NICE FCA PRA ICO SRA CPS HMRC's NHS's Ofsted Ofcom Ofgem Ofwat " +
    "Companies House Land Registry Universal Credit PAYE VAT ISA " +
    // US
    "IRS SEC FDA CDC CMS HHS FTC FINRA FBI DOJ HUD SSA Medicare Medicaid Obamacare HIPAA FERPA COBRA ERISA " +
    "FMLA ADA OSHA 401k IRA " +
    // EU and international
    "GDPR EU ECB EMA EBA ESMA EDPB WHO OECD IMF UN UNHCR SEPA SWIFT MiFID PSD2 AML KYC ISO IFRS GAAP " +
    // Reference rates, stock indices and sales taxes
    "Euribor Euríbor EURIBOR Libor LIBOR SOFR SONIA ESTR €STR TARGET2 EONIA MSCI FTSE DAX MDAX TecDAX CAC IBEX AEX " +
    "MIB Stoxx STOXX Nasdaq NASDAQ Nikkei Dow NYSE IVA TVA BTW MwSt USt IGIC " +
    // Germany, Austria, Switzerland
    "BaFin DSGVO BDSG Bundesbank Finanzamt Jobcenter Arbeitsagentur Krankenkasse AOK TK Schufa BGB StGB ZPO " +
    "SGB Elster Bundeszentralamt Ausländerbehörde Bürgeramt Standesamt Sozialamt Jugendamt " +
    // France, Belgium
    "CNIL RGPD CPAM CAF URSSAF Pôle Sécu Sécurité Assurance Maladie AMF ACPR ANSM HAS DGFiP Vitale Ameli " +
    // Netherlands
    "AVG Belastingdienst DigiD UWV SVB DUO AFM DNB CAK CIZ KvK IND Zorgverzekeringswet BRP " +
    // Italy
    "INPS INAIL Agenzia Entrate SPID CIE Consob Garante SSN ASL ISEE IMU TARI " +
    // Spain
    "AEPD LOPD LOPDGDD Hacienda AEAT SEPE INSS CNMV DGT SNS Seguridad Social IBI IRPF"
  ).split(" "),
);

/** Widely used software, services and card schemes: products, not parties ("Docker", "GitLab", "Mastercard"). */
const PRODUCT_NAMES = new Set(
  ("Linux Windows macOS iOS Android Docker Kubernetes Jenkins GitLab GitHub Bitbucket Jira Confluence Postgres " +
    "PostgreSQL MySQL MariaDB SQLite MongoDB Redis Cassandra Elasticsearch Kafka RabbitMQ Nginx Apache Terraform " +
    "Ansible Python Java JavaScript TypeScript Rust Excel Word PowerPoint Outlook Teams Zoom Slack WhatsApp Signal " +
    "Telegram Gmail Dropbox OneDrive SharePoint Salesforce SAP Oracle AWS Azure OAuth OpenID SAML LDAP Kerberos " +
    "Visa Mastercard Maestro Amex PayPal Stripe Klarna Bizum iDEAL Twint Satispay Redsys Epic Cerner EMIS SystmOne " +
    "DATEV Lexware ChatGPT Copilot Gemini Claude Git Subversion SVN Mercurial Kanban Scrum Agile Trello Asana Notion " +
    "Figma Tableau Matlab MATLAB Simulink LaTeX Overleaf Moodle Zotero Nextcloud ownCloud Mattermost Zammad Odoo " +
    "Grafana Prometheus Kibana Nagios Zabbix VirtualBox VMware Proxmox Citrix").split(" "),
);

/**
 * Words that open the name of a code of law, a court, a ministry, an authority or the state itself ("Código Civil",
 * "Corte costituzionale", "Ministerio de Sanidad", "Autoriteit Persoonsgegevens", "dello Stato"): public, not parties.
 */
const PUBLIC_HEADS = new Set(
  ("Code Codice Código Ley Legge Loi Gesetz Wet Ministerio Ministero Ministère Ministerie Ministerium Bundesministerium " +
    "Corte Cour Tribunal Tribunale Gericht Bundesgericht Bundesgerichtshof Bundesverfassungsgericht Autoriteit Autorité " +
    "Autorità Autoridad Agencia Agenzia Agence Bundesamt Stato Estado État Staat Constitución Costituzione Constitution " +
    "Grundgesetz Reglamento Regolamento Règlement Verordnung Richtlinie Directive Directiva Direttiva Gobierno Governo " +
    "Gouvernement Bundesregierung Parlement Parlamento Bundestag Bundesrat Senato Senado Sénat Congreso Tweede Eerste " +
    "Procura Fiscalía Defensor Difensore Ombudsman Derecho Diritto Droit Recht Estatuto Statuto Statut Statuut " +
    // Public systems, services and institutes, councils and commissions, treaties and conventions
    "Sistema Servizio Servicio Istituto Instituto Institut Instituut Consiglio Consejo Conseil Council " +
    "Raad Rat Commissione Comisión Commission Commissie Kommission Parliament Parlament Treaty Tratado Trattato Traité " +
    "Verdrag Vertrag Convenio Convenzione Convention Conventie Übereinkommen Abkommen Accordo Acuerdo Akkoord Protocol " +
    "Protocole Protocollo Protocolo Protokoll Pacto Patto Pakt Pacte Charter Carta Charte Handvest Charta " +
    "Europees Europese Europäische Europäischer Europäischen Européenne Européen Europeo Europea European " +
    // Chambers of commerce, of trades and professions
    "Kamer Kammer Chambre Camera Cámara Chamber Handelskammer Handwerkskammer Ärztekammer Rechtsanwaltskammer").split(" "),
);
/** Names of laws made as compounds: "Uitvoeringswet", "Geldwäschegesetz", "Zivilprozessordnung". */
const LAW_COMPOUND = /\p{Ll}(?:wet|gesetz|gesetzbuch|prozessordnung|verordnung)$/u;

/** A word that opens the name of a law, a court, a public body or a treaty ("Reglamento", "Verdrag", "Sistema"). */
export function isPublicHead(word: string): boolean {
  return PUBLIC_HEADS.has(word) || (LAW_COMPOUND.test(word) && word.length > 6) || (BODY_COMPOUND.test(word) && word.length > 7);
}
/**
 * Councils, offices, authorities and courts made as compounds: "Gezondheidsraad", "Gemeinderat", "Finanzamt",
 * "Ausländerbehörde", "Landgericht", "Ärztekammer". ("-dienst" is left out: a "Pflegedienst" may be a firm.)
 */
const BODY_COMPOUND = /\p{Ll}(?:raad|rat|amt|ämter|behörde|gericht|rechtbank|kammer|kamer|inspectie|autoriteit|ministerie|ministerium)$/u;

/** A public body, programme, law or product, or one followed by a word or two ("Medicare Part B", "SEPA Instant"). */
export function isPublicName(value: string): boolean {
  const words = value.split(/\s+/);
  const known = (w: string): boolean => PUBLIC_NAMES.has(w) || PRODUCT_NAMES.has(w);
  const first = words[0] ?? "";
  if (isPublicHead(first)) return true;
  return known(value) || words.every(known) || (words.length <= 3 && known(first));
}
