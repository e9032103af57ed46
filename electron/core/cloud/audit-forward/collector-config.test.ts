import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPolicy } from "../policy.js";
import { auditCollectorSchema, collectorIdentity, collectorTarget, type AuditCollector } from "./collector-config.js";

const problemOf = (value: unknown): string | null => {
  const parsed = auditCollectorSchema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join(".")}: ${issue.message}`;
};

describe("the policy's auditCollector", () => {
  it("accepts the three kinds", () => {
    expect(problemOf({ type: "jsonl", path: "/var/log/hearth/" })).toBeNull();
    expect(problemOf({ type: "syslog", host: "audit.example", port: 6514, transport: "tls", ca: "/etc/hearth/ca.pem", appName: "hearth" })).toBeNull();
    expect(problemOf({ type: "syslog", host: "127.0.0.1", port: 514, transport: "tcp" })).toBeNull();
    expect(problemOf({ type: "https", url: "https://siem.example/ingest?x=1", headers: { Authorization: "Bearer t" } })).toBeNull();
    expect(problemOf({ type: "https", url: "http://127.0.0.1:8088/services/collector" })).toBeNull();
  });

  it("takes a record size cap of 2 KiB (RFC 5425's minimum) to 64 MiB for each kind", () => {
    expect(problemOf({ type: "syslog", host: "audit.example", port: 6514, transport: "tls", maxRecordBytes: 8192 })).toBeNull();
    expect(problemOf({ type: "https", url: "https://siem.example/in", maxRecordBytes: 2048 })).toBeNull();
    expect(problemOf({ type: "jsonl", path: "/var/log/hearth/", maxRecordBytes: 64 * 1024 * 1024 })).toBeNull();
    expect(problemOf({ type: "syslog", host: "audit.example", port: 6514, transport: "tls", maxRecordBytes: 1024 })).toMatch(/^maxRecordBytes/);
    expect(problemOf({ type: "https", url: "https://siem.example/in", maxRecordBytes: 1.5 })).toMatch(/^maxRecordBytes/);
    expect(problemOf({ type: "jsonl", path: "/x", maxRecordBytes: 64 * 1024 * 1024 + 1 })).toMatch(/^maxRecordBytes/);
  });

  it("refuses what would leak, misroute or break, with a message that names the field", () => {
    expect(problemOf({ type: "syslog", host: "audit.example", port: 514, transport: "tcp" })).toBe(
      "transport: plain tcp is only allowed to this computer (loopback); use transport tls",
    );
    expect(problemOf({ type: "https", url: "http://siem.example/ingest" })).toBe("url: an https URL (plain http only to this computer)");
    expect(problemOf({ type: "https", url: "https://user:pw@siem.example/" })).toMatch(/^url: no user:password/);
    expect(problemOf({ type: "https", url: "https://siem.example/", headers: { "Content-Length": "1" } })).toMatch(/^headers/);
    expect(problemOf({ type: "https", url: "https://siem.example/", headers: { Authorization: "a\r\nX-Injected: 1" } })).toMatch(/^headers\.Authorization/);
    expect(problemOf({ type: "syslog", host: "audit.example", port: 70000, transport: "tls" })).toMatch(/^port/);
    expect(problemOf({ type: "syslog", host: "audit example", port: 6514, transport: "tls" })).toMatch(/^host/);
    expect(problemOf({ type: "syslog", host: "127.0.0.1", port: 514, transport: "tcp", ca: "/ca.pem" })).toMatch(/^ca/);
    expect(problemOf({ type: "syslog", host: "a.example", port: 6514, transport: "tls", appName: "has space" })).toMatch(/^appName/);
    expect(problemOf({ type: "jsonl", path: "relative/audit.jsonl" })).toBe("path: an absolute path");
    expect(problemOf({ type: "jsonl", path: "/x", extra: true })).not.toBeNull();
    expect(problemOf({ type: "kafka" })).not.toBeNull();
  });

  it("a policy with a bad collector is refused as a whole (fail closed), with a clear problem, never a throw", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-policy-")), "policy.json");
    fs.writeFileSync(file, JSON.stringify({ auditCollector: { type: "syslog", host: "audit.example", port: "6514", transport: "tls" } }));
    const reading = readPolicy({ file });
    expect(reading.auditCollector).toBeNull();
    expect(reading.policy.lockedPrivacyMode).toBe("local");
    expect(reading.problem).toMatch(/auditCollector\.port: /);

    fs.writeFileSync(file, JSON.stringify({ auditCollector: { type: "https", url: "https://siem.example/in", headers: { "X-Token": "t0k3n" } } }));
    const good = readPolicy({ file });
    expect(good.problem).toBeNull();
    expect(good.auditCollector).toEqual({ type: "https", url: "https://siem.example/in", headers: { "X-Token": "t0k3n" } });
    // The collector is kept out of the policy the UI receives: it may hold a token.
    expect(JSON.stringify(good.policy)).not.toContain("t0k3n");
  });

  it("its target shows no secret; its identity survives a token change but not a new destination", () => {
    const a: AuditCollector = { type: "https", url: "https://siem.example/in?token=abc", headers: { Authorization: "Bearer s3cret" } };
    expect(collectorTarget(a)).toBe("https://siem.example/in");
    expect(collectorIdentity(a)).toBe(collectorIdentity({ ...a, headers: { Authorization: "Bearer other" } }));
    expect(collectorIdentity(a)).not.toBe(collectorIdentity({ ...a, url: "https://siem2.example/in?token=abc" }));
    expect(collectorTarget({ type: "syslog", host: "::1", port: 6514, transport: "tls" })).toBe("[::1]:6514");
  });
});
