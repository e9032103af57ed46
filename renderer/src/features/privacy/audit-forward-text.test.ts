import { describe, expect, it } from "vitest";
import { auditForwardText } from "./audit-forward-text.js";

const base = { configured: true, kind: "syslog" as const, target: "audit.example:6514", deliveredSeq: 10, pendingCount: 3, lastError: null, lastErrorAt: null, lastDeliveredAt: null };
const time = (at: number) => new Date(at).toISOString().slice(11, 16);

describe("auditForwardText", () => {
  it("says where records go, how many wait and the current error", () => {
    expect(auditForwardText({ ...base, lastError: "connection refused", lastErrorAt: Date.UTC(2026, 0, 1, 10, 42), lastDeliveredAt: Date.UTC(2026, 0, 1, 10, 0) }, time)).toBe(
      "Forwarding to syslog audit.example:6514 — 3 pending, last error: connection refused at 10:42",
    );
    expect(auditForwardText({ ...base, pendingCount: 0, lastError: "connection refused", lastErrorAt: Date.UTC(2026, 0, 1, 10, 42), lastDeliveredAt: Date.UTC(2026, 0, 1, 10, 43) }, time)).toBe(
      "Forwarding to syslog audit.example:6514 — all delivered, last delivered at 10:43",
    );
    expect(auditForwardText({ ...base, kind: "https", target: "https://siem.example/in", pendingCount: 0 }, time)).toBe("Forwarding to HTTPS https://siem.example/in — all delivered");
  });

  it("says nothing when no collector is configured", () => {
    expect(auditForwardText({ ...base, configured: false, kind: null, target: null })).toBeNull();
  });
});
