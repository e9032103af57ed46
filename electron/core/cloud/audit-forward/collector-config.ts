import path from "node:path";
import { z } from "zod";
import { isLoopbackHost } from "../../loopback.js";
import { MIN_RECORD_BYTES } from "./record-cap.js";

/**
 * The policy's `auditCollector`: where a copy of every audit record goes.
 *
 *   { "type": "jsonl", "path": "/var/log/hearth/" }                       a file, or a folder (one file a day)
 *   { "type": "syslog", "host": "audit.example", "port": 6514, "transport": "tls", "ca": "/etc/hearth/ca.pem" }
 *   { "type": "https", "url": "https://siem.example/ingest", "headers": { "Authorization": "Bearer …" } }
 *
 * Strict, like the rest of the policy: a misspelt key is an error, not a default.
 */
const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[?[0-9a-f:.]+\]?)$/, "a host name or IP address");

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => path.isAbsolute(p) && !p.includes("\0"), "an absolute path");

// Header names are HTTP tokens; values may not break the request (CR, LF, NUL). Hop-by-hop and framing headers
// are Hearth's to set.
const reservedHeaders = new Set(["host", "content-length", "content-type", "transfer-encoding", "connection", "expect", "upgrade", "te", "trailer", "keep-alive"]);
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "an HTTP header name")
  .refine((name) => !reservedHeaders.has(name.toLowerCase()), "a header Hearth does not set itself");
const headerValue = z.string().max(8192).regex(/^[^\r\n\0]*$/, "a header value on one line");

/**
 * The most bytes one record may take as the collector receives it (for syslog the whole RFC 5424 message); a larger
 * record is sent truncated (record-cap.ts). Defaults: syslog 64 KiB, https 1 MiB, jsonl none.
 */
const maxRecordBytes = z.number().int().min(MIN_RECORD_BYTES).max(64 * 1024 * 1024);

export const jsonlCollectorSchema = z.object({ type: z.literal("jsonl"), path: absolutePath, maxRecordBytes: maxRecordBytes.optional() }).strict();

export const syslogCollectorSchema = z
  .object({
    type: z.literal("syslog"),
    host: hostName,
    port: z.number().int().min(1).max(65535),
    transport: z.enum(["tcp", "tls"]),
    /** PEM file of a private CA that signed the collector's certificate (TLS only). */
    ca: absolutePath.optional(),
    /** RFC 5424 APP-NAME: printable ASCII, at most 48. */
    appName: z.string().regex(/^[!-~]{1,48}$/, "1-48 printable ASCII characters, no spaces").optional(),
    maxRecordBytes: maxRecordBytes.optional(),
  })
  .strict()
  .refine((c) => c.transport === "tls" || c.ca === undefined, { message: "ca is only used with transport tls", path: ["ca"] })
  // Audit records hold what was sent to providers: they cross a network only encrypted, unless to this computer.
  .refine((c) => c.transport === "tls" || isLoopbackHost(c.host), {
    message: "plain tcp is only allowed to this computer (loopback); use transport tls",
    path: ["transport"],
  });

export const httpsCollectorSchema = z
  .object({
    type: z.literal("https"),
    url: z.string().max(4096).url(),
    /** Sent only to this URL's origin (redirects are never followed); never logged or shown. */
    headers: z.record(headerName, headerValue).refine((h) => Object.keys(h).length <= 20, "at most 20 headers").optional(),
    ca: absolutePath.optional(),
    maxRecordBytes: maxRecordBytes.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const url = new URL(c.url);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "an https URL (plain http only to this computer)" });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "no user:password in the URL; put credentials in headers" });
    }
    if (url.hash) ctx.addIssue({ code: "custom", path: ["url"], message: "no #fragment" });
    if (c.ca !== undefined && url.protocol !== "https:") ctx.addIssue({ code: "custom", path: ["ca"], message: "ca is only used with https" });
  });

export const auditCollectorSchema = z.discriminatedUnion("type", [jsonlCollectorSchema, syslogCollectorSchema, httpsCollectorSchema]);

export type AuditCollector = z.infer<typeof auditCollectorSchema>;
export type SyslogCollector = z.infer<typeof syslogCollectorSchema>;
export type HttpsCollector = z.infer<typeof httpsCollectorSchema>;
export type JsonlCollector = z.infer<typeof jsonlCollectorSchema>;

const hostPort = (host: string, port: number | string): string => `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;

/** What the status line shows: where records go, never a header, query string or credential. */
export function collectorTarget(collector: AuditCollector): string {
  switch (collector.type) {
    case "jsonl":
      return collector.path;
    case "syslog":
      return hostPort(collector.host, collector.port);
    case "https": {
      const url = new URL(collector.url);
      return `${url.protocol}//${url.host}${url.pathname}`;
    }
    default:
      return collector satisfies never;
  }
}

/**
 * The key under which delivery progress is kept: the same destination keeps its place across restarts and header
 * (token) changes; a new destination starts from the first record.
 */
export function collectorIdentity(collector: AuditCollector): string {
  switch (collector.type) {
    case "jsonl":
      return `jsonl:${path.resolve(collector.path)}`;
    case "syslog":
      return `syslog:${collector.transport}://${hostPort(collector.host, collector.port)}`;
    case "https": {
      const url = new URL(collector.url);
      return `https:${url.origin}${url.pathname}${url.search}`;
    }
    default:
      return collector satisfies never;
  }
}
