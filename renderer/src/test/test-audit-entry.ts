import type { AuditEntry } from "../api/contract.js";

/** An audit entry as the core lists it: a small successful chat request to "Acme"; tests change what they look at. */
export function testAuditEntry(id: string, time: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    time,
    conversationId: "c1",
    conversationTitle: "c1",
    purpose: "chat",
    providerName: "Acme",
    providerKind: "openai-compatible",
    model: "m",
    host: "127.0.0.1",
    payload: "{}",
    bytesSent: 2,
    bytesReceived: 3,
    tokensIn: null,
    tokensOut: null,
    costUsd: null,
    outcome: "ok",
    error: null,
    durationMs: 1,
    ...overrides,
  };
}
