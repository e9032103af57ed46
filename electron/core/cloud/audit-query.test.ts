import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../contract/index.js";
import { openDatabase, type Db } from "../store/database.js";
import { AuditLog, type NewAuditEntry } from "./audit-log.js";
import { MAX_AUDIT_PAGE } from "./audit-query.js";

const entry = (n: number, overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  conversationId: n % 2 === 0 ? "conv-even" : "conv-odd",
  conversationTitle: null,
  purpose: "chat",
  providerName: n % 3 === 0 ? "Team vLLM" : "OpenAI",
  providerKind: "openai",
  model: "m",
  host: "api.example",
  payload: `{"n":${n}}`,
  bytesSent: 8,
  ...overrides,
});

describe("listAudit pages and filters", () => {
  let dir: string;
  let db: Db;
  let log: AuditLog;
  // Three entries per millisecond: the cursor must neither repeat nor skip entries that share a time.
  let tick = 0;
  const time = () => 1_750_000_000_000 + Math.floor(tick++ / 3);
  const ids: string[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-query-"));
    db = openDatabase(path.join(dir, "hearth.db"));
    tick = 0;
    log = new AuditLog(db, time);
    ids.length = 0;
    for (let n = 0; n < 30; n++) {
      const begun = log.begin(entry(n));
      const outcome = n % 5 === 0 ? "error" : "ok";
      log.finish(begun.id, { bytesReceived: 100, tokensIn: 1, tokensOut: 1, costUsd: n === 4 ? 0.5 : null, outcome, error: outcome === "error" ? "x" : null, durationMs: 1 });
      ids.push(begun.id);
    }
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("walks the whole log newest first in bounded pages with a cursor, each entry once", () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = log.list({ limit: 7, ...(before ? { before } : {}) });
      expect(page.length).toBeLessThanOrEqual(7);
      seen.push(...page.map((e) => e.id));
      if (page.length < 7) break;
      before = page.at(-1)!.id;
    }
    expect(seen).toEqual([...ids].reverse());
    expect(log.list({}).length).toBe(30);
    // Bounded even when asked for more (the contract refuses more than 1000 before it gets here).
    expect(MAX_AUDIT_PAGE).toBe(1000);
    expect(() => log.list({ before: "gone" })).toThrow(AppError);
  });

  it("filters by conversation, provider, outcome and date range, alone and together, and pages within a filter", () => {
    const byId = (n: number) => ids[n]!;
    const expectNs = (listed: { id: string }[], ns: number[]) => expect(listed.map((e) => e.id)).toEqual(ns.map(byId).reverse());
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expectNs(log.list({ conversationId: "conv-odd", limit: 1000 }), range(0, 29).filter((n) => n % 2 === 1));
    expectNs(log.list({ providerName: "Team vLLM", limit: 1000 }), range(0, 29).filter((n) => n % 3 === 0));
    expectNs(log.list({ outcome: "error", limit: 1000 }), [0, 5, 10, 15, 20, 25]);
    const start = 1_750_000_000_000;
    // Entries 6..11 were written in milliseconds 2 and 3.
    expectNs(log.list({ from: start + 2, to: start + 3, limit: 1000 }), range(6, 11));
    expectNs(log.list({ conversationId: "conv-even", outcome: "error", from: start + 3, limit: 1000 }), [10, 20]);
    const first = log.list({ providerName: "OpenAI", limit: 4 });
    const second = log.list({ providerName: "OpenAI", limit: 4, before: first.at(-1)!.id });
    expectNs([...first, ...second], [19, 20, 22, 23, 25, 26, 28, 29]);
  });

  it("sums the whole filtered log, not a page, and names every provider", () => {
    expect(log.summary({})).toEqual({ count: 30, bytesSent: 240, bytesReceived: 3000, costUsd: 0.5, failed: 6, logCount: 30, providerNames: ["OpenAI", "Team vLLM"] });
    expect(log.summary({ conversationId: "conv-odd", outcome: "error" })).toMatchObject({ count: 3, failed: 3, costUsd: null });
    expect(log.summary({ conversationId: "nobody" })).toMatchObject({ count: 0, bytesSent: 0, costUsd: null, failed: 0, logCount: 30 });
  });
});
