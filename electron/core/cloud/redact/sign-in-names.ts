import type { Rule } from "./rule.js";

/**
 * Two halves of a credential that credentials.ts does not reach: a log-in name given with words between it and
 * its keyword ("Identifiant intranet c.martin, mot de passe ..."), or a bare one joined to its password by "and"
 * ("Usuario lgarcia y contraseña ..."); and a passphrase of several plain words after its own keyword
 * ("wachtwoordzin: de kat zit op de mat"). All are SECRET.
 */

const USER_WORD =
  "(?:user ?name|user ?id|user|login|log-in|benutzername|benutzer|anmeldename|kennung|identifiant|utilisateur|nom d['’]utilisateur|inlognaam|gebruikersnaam|gebruiker|nome utente|utente|usuario|nombre de usuario)";
const PASSWORD_AFTER =
  "(?:password|passwort|kennwort|mot de passe|mdp|wachtwoord|ww|password|parola d['’]ordine|contraseña|contrasena|clave|pw|pwd|PIN)";
const JOIN = "(?:\\s*[,/&]\\s*|\\s+(?:and|und|et|en|e|y|with|mit|avec|met|con)\\s+)(?:(?:the|das|le|la|el|il|het|de|ihr|sein|son|sa|su|suo|sua|zijn|haar)\\s+)?";
const NAME = "([\\p{L}\\p{N}][\\p{L}\\p{N}._@-]{1,38}[\\p{L}\\p{N}])";

// Words that follow a user word without being a name ("user account", "login page").
const NOT_A_NAME = /^(?:account|accounts|page|portal|portail|portale|name|names|id|data|daten|données|gegevens|dati|datos|and|und|et|en|e|y|is|ist|est|è|es|the|der|die|das|le|la|il|el|het|de|for|für|pour|voor|per|para|of|von|du|des|van|di|del|admin|administrator|guest|gast|invité|ospite|invitado|test)$/i;

const PASSPHRASE_WORD =
  "(?:pass ?phrase|passphrase|wachtwoordzin|Passwortsatz|Kennsatz|Passphrase|phrase secrète|phrase de passe|frase segreta|frase d['’]accesso|frase de contraseña|frase de paso|frase secreta)";

export const SIGN_IN_NAME_RULES: Rule[] = [
  // "Identifiant intranet c.martin": up to two lower-case words between; the name must have a dot, digit, _ or @.
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])${USER_WORD}(?:\\s+\\p{Ll}{2,20}){1,2}\\s*:?\\s+${NAME}(?![\\p{L}\\p{N}._@-])`, "giu"),
    group: 1,
    when: /pass|wort|mot de|wacht|contrase|clave|PIN|pwd?\b|mdp|parola/i,
    rescan: true,
    accept: (m, text) => {
      const name = m[1] ?? "";
      const next = text.slice(m.index + m[0].length, m.index + m[0].length + 60);
      return /[._@\d]/.test(name) && !/^\d+(?:[.,]\d+)*$/.test(name) && new RegExp(`^[^.!?\\n]{0,40}${PASSWORD_AFTER}`, "iu").test(next);
    },
  },
  // "Usuario lgarcia y contraseña ...": a bare name, right before "and password".
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])${USER_WORD}\\s*:?\\s+${NAME}(?=${JOIN}(?:\\p{Ll}+\\s+)?${PASSWORD_AFTER}(?![\\p{L}]))`, "giu"),
    group: 1,
    when: /pass|wort|mot de|wacht|contrase|clave|PIN|pwd?\b|mdp|parola/i,
    accept: (m) => !NOT_A_NAME.test(m[1] ?? ""),
  },
  // "wachtwoordzin: de kat zit op de mat": after a passphrase's own word and a colon, the words up to the clause's end.
  {
    type: "SECRET",
    re: new RegExp(`(?<![\\p{L}])${PASSPHRASE_WORD}\\s*[:=]\\s*["'«„“]?([\\p{L}\\p{N}'’!?#$%&*-]+(?:[ \\t]+[\\p{L}\\p{N}'’!?#$%&*-]+){1,7})(?=\\s*(?:["'»“”]|[.,;:()—–]|\\s-\\s|$))`, "gimu"),
    group: 1,
    when: /phrase|wachtwoordzin|satz|frase/i,
    // "Passphrase: at least four words", "frase de paso: mínimo doce caracteres": a rule about it, not one.
    accept: (m) => !/^(?:at least|minimum|min|mindestens|au moins|minstens|ten minste|almeno|al menos|como mínimo|no|none|keine|aucune|geen|nessuna|ninguna)\b/i.test(m[1] ?? ""),
  },
];
