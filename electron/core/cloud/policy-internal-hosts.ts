import { isIPv6 } from "node:net";

/**
 * The organisation policy's `internalHosts`: servers that belong to the organisation (its vLLM, llama.cpp server,
 * Ollama, another Hearth with its local API on). Traffic to them is still checked and audited byte for byte; it is
 * only *labelled* "your organisation's server" instead of "the cloud". A wrong match would tell a user that text
 * which went to a stranger stayed in the organisation, so the matcher compares canonical forms (the WHATWG URL
 * parser's: lower case, punycode, IPv6 compressed, IPv4 shorthand expanded) and never guesses.
 *
 * Rules: "llm.corp.example", "llm.corp.example:8000", "10.0.0.5", "10.0.0.5:11434", "[fd00::5]:8080", "fd00::5",
 * "*.corp.example" (any name below corp.example, not corp.example itself; not "*.com"). No port: any port.
 */
export type InternalHostRule = { host: string; port: number | null; wildcard: boolean };

/** Why `text` is not a rule, in words for the policy error; null when it is one. */
export function internalHostProblem(text: string): string | null {
  const parsed = parseInternalHost(text);
  return typeof parsed === "string" ? parsed : null;
}

/** The rule in its canonical spelling ("llm.corp.example:8000", "[fd00::5]"), or the reason it is not one. */
export function parseInternalHost(text: string): InternalHostRule | string {
  const quoted = JSON.stringify(text.slice(0, 80));
  const bad = `${quoted} is not a host name or IP address (optionally with :port, or *.domain)`;
  const rule = text.trim();
  if (rule.length === 0 || rule.length > 300) return bad;
  // Anything a URL could use to point elsewhere (userinfo, a path, a query, escapes, a scheme) is refused outright.
  if (/[\s/\\@?#%,;]/.test(rule) || /^[a-z][a-z0-9+.-]*:\/\//i.test(rule)) return bad;

  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::([^:]*))?$/.exec(rule);
  if (bracketed) {
    if (!isIPv6(bracketed[1]!)) return bad;
    host = `[${bracketed[1]}]`;
    portText = bracketed[2];
  } else if (isIPv6(rule)) {
    host = `[${rule}]`;
  } else {
    const parts = rule.split(":");
    if (parts.length > 2) return bad;
    host = parts[0]!;
    portText = parts[1];
  }

  let port: number | null = null;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return `${quoted} has a port that is not a number`;
    port = Number(portText);
    if (port < 1 || port > 65535) return `${quoted} has a port outside 1-65535`;
  }

  const wildcard = host.startsWith("*.");
  if (wildcard) host = host.slice(2);
  if (host.includes("*")) return bad;
  const canonical = canonicalHost(host);
  if (canonical === null) return bad;
  if (wildcard && (canonical.startsWith("[") || isIPv4(canonical))) return `${quoted}: *. only goes before a domain name`;
  // "*.com" would call half the internet the organisation's own: a wildcard needs a domain of at least two labels.
  if (wildcard && !canonical.includes(".")) return `${quoted}: *. only goes before a domain name of at least two labels`;
  return { host: canonical, port, wildcard };
}

/** The rule written back canonically (what the policy keeps and Settings shows). */
export function formatInternalHost(rule: InternalHostRule): string {
  return `${rule.wildcard ? "*." : ""}${rule.host}${rule.port === null ? "" : `:${rule.port}`}`;
}

/**
 * Whether a request to `url` goes to one of the organisation's servers. Rules that do not parse never match; a URL
 * that is not http(s) never matches.
 */
export function isInternalHost(rules: readonly string[] | null | undefined, url: string | URL): boolean {
  if (!rules || rules.length === 0) return false;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return false;
  const host = withoutTrailingDot(target.hostname);
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  return rules.some((text) => {
    const rule = parseInternalHost(text);
    if (typeof rule === "string") return false;
    if (rule.port !== null && rule.port !== port) return false;
    if (!rule.wildcard) return host === rule.host;
    // Label boundary: "*.corp.example" is not "evilcorp.example", nor "corp.example.attacker.net".
    return host.endsWith(`.${rule.host}`) && !host.startsWith("[") && !isIPv4(host);
  });
}

/** Lower case, punycode, IPv6 compressed and IPv4 shorthand expanded, as a browser would; null when not a host. */
function canonicalHost(host: string): string | null {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
  hostname = withoutTrailingDot(hostname);
  if (hostname.startsWith("[")) return hostname;
  if (!/^[a-z0-9.-]+$/.test(hostname)) return null;
  const labels = hostname.split(".");
  if (labels.some((label) => label.length === 0 || label.length > 63 || label.startsWith("-") || label.endsWith("-"))) return null;
  return hostname;
}

function withoutTrailingDot(host: string): string {
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

function isIPv4(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}
