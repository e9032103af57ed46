/** Wires the real cloud pieces (database, secrets, provider store, audit log, egress gate) in a temp folder. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AuditEntry, Policy, PrivacyMode, Provider, ProviderKind } from "../../electron/contract/index.js";
import { AuditLog } from "../../electron/core/cloud/audit-log.js";
import { EgressGate } from "../../electron/core/cloud/egress.js";
import { emptyPolicy } from "../../electron/core/cloud/policy.js";
import { ProviderStore } from "../../electron/core/cloud/provider-store.js";
import { fileKeyCipher, SecretStore } from "../../electron/core/secrets/secret-store.js";
import { openDatabase, type Db } from "../../electron/core/store/database.js";
import type { WireName } from "./wire-formats.js";

export type CloudHarness = {
  dir: string;
  dbFile: string;
  db: Db;
  secrets: SecretStore;
  providers: ProviderStore;
  audit: AuditLog;
  gate: EgressGate;
  policy: Policy;
  auditEvents: AuditEntry[];
  /** Every call the gate made to the real fetch. */
  fetchCalls: string[];
  chatFetch(provider: Provider, privacyMode?: PrivacyMode, conversationId?: string): typeof fetch;
  close(): void;
};

export function wireOf(kind: ProviderKind): WireName {
  return kind === "anthropic" ? "anthropic" : kind === "gemini" ? "gemini" : "openai";
}

export function createCloudHarness(): CloudHarness {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-cloud-"));
  const dbFile = path.join(dir, "hearth.db");
  const db = openDatabase(dbFile);
  const secrets = new SecretStore(path.join(dir, "secrets.json"), fileKeyCipher(path.join(dir, "secrets.key")));
  const audit = new AuditLog(db);
  const auditEvents: AuditEntry[] = [];
  const fetchCalls: string[] = [];
  const harness: CloudHarness = {
    dir,
    dbFile,
    db,
    secrets,
    providers: new ProviderStore(db, secrets),
    audit,
    policy: { ...emptyPolicy },
    auditEvents,
    fetchCalls,
    gate: new EgressGate({
      policy: () => harness.policy,
      audit,
      onAudit: (entry) => auditEvents.push(entry),
      fetch: (input, init) => {
        fetchCalls.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    }),
    chatFetch: (provider, privacyMode = "ask", conversationId = "conv-1") =>
      harness.gate.chatFetch({ conversationId, conversationTitle: "Test chat", privacyMode, provider, purpose: "chat" }),
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
