import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Policy } from "../../contract/index.js";
import { emptyPolicy, privacyModeSchema, providerKindSchema } from "../../contract/index.js";
import { auditCollectorSchema, type AuditCollector } from "./audit-forward/collector-config.js";
import { formatInternalHost, parseInternalHost } from "./policy-internal-hosts.js";

/**
 * The organisation policy file, as an administrator writes it (every field optional):
 *
 *   {
 *     "lockedPrivacyMode": "local" | "ask" | "auto",
 *     "allowedProviderKinds": ["openai-compatible", "anthropic"],
 *     "allowedProviderHosts": ["llm.internal.example.org", "*.openai.azure.com", "127.0.0.1:8000"],
 *     "huggingFaceEndpoint": "https://hf-mirror.example.org",
 *     "requireDatabaseEncryption": true,
 *     "auditCollector": { "type": "syslog", "host": "audit.example.org", "port": 6514, "transport": "tls" },
 *     "forceAskWhenUnsure": true,
 *     "allowLocalApi": false,
 *     "internalHosts": ["llm.corp.example", "10.0.0.5:11434", "*.gpu.corp.example"]
 *   }
 *
 * `auditCollector` (see audit-forward/collector-config.ts) is where a copy of the audit log is forwarded.
 * `forceAskWhenUnsure` keeps "Ask when unsure (Auto mode)" on: Auto asks before sending a message the redactor is
 * not sure it fully hid (a password-like value, detectors that disagree or are unsure).
 * `allowLocalApi: false` forbids the local OpenAI-compatible API server: it cannot be switched on, and Settings says why.
 * `internalHosts` names the organisation's own servers (policy-internal-hosts.ts): providers there are still checked
 * and audited, but labelled "your organisation's server" rather than "the cloud". It allows nothing by itself.
 *
 * Unknown keys are refused rather than ignored: a misspelt "lockedPrivacyMod" must not silently unlock anything.
 */
export const policyFileSchema = z
  .object({
    lockedPrivacyMode: privacyModeSchema.nullable().optional(),
    allowedProviderKinds: z.array(providerKindSchema).nullable().optional(),
    allowedProviderHosts: z
      .array(z.string().trim().toLowerCase().min(1).max(253).regex(/^(\*\.)?[a-z0-9.\-[\]:]+$/, "a host name, optionally *.-prefixed and :port-suffixed"))
      .nullable()
      .optional(),
    huggingFaceEndpoint: z.string().url().refine((url) => /^https?:\/\//i.test(url), "an http(s) URL").nullable().optional(),
    requireDatabaseEncryption: z.boolean().nullable().optional(),
    auditCollector: auditCollectorSchema.nullable().optional(),
    forceAskWhenUnsure: z.boolean().nullable().optional(),
    allowLocalApi: z.boolean().nullable().optional(),
    internalHosts: z
      .array(
        z.string().transform((text, context) => {
          const rule = parseInternalHost(text);
          if (typeof rule !== "string") return formatInternalHost(rule);
          context.addIssue({ code: "custom", message: rule });
          return z.NEVER;
        }),
      )
      .max(1000)
      .nullable()
      .optional(),
  })
  .strict();

const maxPolicyBytes = 256 * 1024;

export { emptyPolicy };

/** Where administrators install the policy on each platform. */
export function defaultPolicyFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === "win32") return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? "C:\\ProgramData", "Hearth", "policy.json");
  if (platform === "darwin") return "/Library/Application Support/Hearth/policy.json";
  return "/etc/hearth/policy.json";
}

export type PolicyReading = {
  policy: Policy;
  /** Why the file was refused (and everything locked to this computer); null when it was read or absent. */
  problem: string | null;
  /** Where the audit log is forwarded; kept apart from `policy` (which the UI sees) as it may hold a token. */
  auditCollector: AuditCollector | null;
};

/**
 * Reads the policy and says what went wrong, if anything. A policy that exists but cannot be read or is not valid
 * FAILS CLOSED: privacy is locked to Local only and no provider is allowed, because ignoring a broken file would
 * quietly hand users the very freedoms the organisation meant to take away.
 */
export function readPolicy(options: { file?: string | null; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): PolicyReading {
  const env = options.env ?? process.env;
  const file = options.file ?? (env.HEARTH_POLICY_FILE?.trim() || defaultPolicyFile(options.platform, env));
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return failClosed(file, "it is not a file");
    if (stat.size > maxPolicyBytes) return failClosed(file, `it is larger than ${maxPolicyBytes / 1024} KiB`);
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { policy: emptyPolicy, problem: null, auditCollector: null };
    return failClosed(file, `it could not be read (${code ?? "unknown error"})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return failClosed(file, "it is not valid JSON");
  }
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return failClosed(file, `${where}${issue?.message ?? "invalid"}`);
  }
  const value = parsed.data;
  return {
    policy: {
      source: file,
      lockedPrivacyMode: value.lockedPrivacyMode ?? null,
      allowedProviderKinds: value.allowedProviderKinds ? [...new Set(value.allowedProviderKinds)] : null,
      allowedProviderHosts: value.allowedProviderHosts ? [...new Set(value.allowedProviderHosts)] : null,
      huggingFaceEndpoint: value.huggingFaceEndpoint ?? null,
      requireDatabaseEncryption: value.requireDatabaseEncryption ?? false,
      // Only present when set, so a policy without it reads exactly as before.
      ...(value.forceAskWhenUnsure ? { forceAskWhenUnsure: true } : {}),
      ...(value.allowLocalApi === false ? { allowLocalApi: false } : {}),
      ...(value.internalHosts && value.internalHosts.length > 0 ? { internalHosts: [...new Set(value.internalHosts)] } : {}),
    },
    problem: null,
    auditCollector: value.auditCollector ?? null,
  };
}

function failClosed(file: string, reason: string): PolicyReading {
  const problem = `The organisation policy ${file} is not valid (${reason}), so Hearth keeps everything on this computer until it is fixed.`;
  return {
    // `source` is what Settings shows beside the locked controls, so it carries the reason too.
    policy: { source: `${file} (not valid: ${reason}; locked to Local only)`, lockedPrivacyMode: "local", allowedProviderKinds: [], allowedProviderHosts: [], huggingFaceEndpoint: null, requireDatabaseEncryption: true, forceAskWhenUnsure: true, allowLocalApi: false },
    problem,
    auditCollector: null,
  };
}

/**
 * The organisation policy from its documented location (or HEARTH_POLICY_FILE); an empty policy when none.
 * `file` (tests, --policy-file) wins over the environment; null or absent means the documented location.
 */
export function loadPolicy(options: { file?: string | null; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): Policy {
  return readPolicy(options).policy;
}

/** Whether a host (of a request URL, lower-case, with its port if any) is on the policy's list. */
export function hostAllowed(allowed: readonly string[] | null, hostname: string, port: string): boolean {
  if (allowed === null) return true;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return allowed.some((rule) => {
    const [ruleHost = "", rulePort] = splitRule(rule);
    if (rulePort !== undefined && rulePort !== port) return false;
    if (ruleHost.startsWith("*.")) return host.endsWith(ruleHost.slice(1)) && host.length > ruleHost.length - 1;
    return host === ruleHost;
  });
}

/** "host", "host:port", "[::1]:8080", "*.example.org". */
function splitRule(rule: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rule);
  if (bracketed) return [bracketed[1]!, bracketed[2]];
  const parts = rule.split(":");
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return [parts[0]!, parts[1]];
  return [rule, undefined];
}
