import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditFilter } from "../../contract/audit-filter.js";
import { auditEntrySchema, methods } from "../../contract/index.js";
import { openDatabase, type Db } from "../store/database.js";
import { AuditLog, type NewAuditEntry } from "./audit-log.js";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 1);

describe("exporting the audit log honours the view's filters", () => {
  let dir: string;
  let db: Db;
  let now = T0;
  let log: AuditLog;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-export-"));
    db = openDatabase(path.join(dir, "hearth.db"));
    log = new AuditLog(db, () => now);
    // Two chats, two providers, three outcomes, over six days; a chat's history grows so later entries send
    // only what is new (their earlier history is referenced, not copied).
    const history: Record<string, string[]> = { a: [], b: [] };
    for (let i = 0; i < 12; i++) {
      now = T0 + Math.floor(i / 2) * DAY + i;
      const chat = i % 3 === 0 ? "b" : "a";
      history[chat]!.push(`question ${i} ${"x".repeat(200)}`);
      const entry: NewAuditEntry = {
        conversationId: `conv-${chat}`,
        conversationTitle: `Chat ${chat}`,
        purpose: "chat",
        providerName: i % 2 === 0 ? "OpenAI" : "Anthropic",
        providerKind: i % 2 === 0 ? "openai" : "anthropic",
        model: "m",
        host: "api.example.com",
        payload: JSON.stringify({ messages: history[chat]!.map((content) => ({ role: "user", content })) }),
        bytesSent: 100,
      };
      const begun = log.begin(entry);
      const outcome = i % 4 === 1 ? "error" : "ok";
      log.finish(begun.id, { bytesReceived: 5, tokensIn: 1, tokensOut: 2, costUsd: null, outcome, error: outcome === "error" ? "boom" : null, durationMs: 3 });
    }
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const filters: AuditFilter[] = [
    {},
    { conversationId: "conv-a" },
    { providerName: "Anthropic" },
    { outcome: "error" },
    { from: T0 + 2 * DAY, to: T0 + 4 * DAY - 1 },
    { conversationId: "conv-a", providerName: "OpenAI", outcome: "ok", from: T0 + DAY },
    { providerName: "Nobody" },
  ];

  it("exports exactly the entries the view lists and counts for each filter, oldest first, payloads whole", () => {
    for (const filter of filters) {
      const listed = log.list({ ...filter, limit: 1000 }).reverse();
      const exported = auditEntrySchema.array().parse(JSON.parse(log.export("json", filter).content));
      expect(exported.map((e) => e.id), JSON.stringify(filter)).toEqual(listed.map((e) => e.id));
      expect(exported.length).toBe(log.summary(filter).count);
      // A payload whose earlier history sits in an entry the filter leaves out is still exported whole.
      expect(exported.map((e) => e.payload)).toEqual(listed.map((e) => e.payload));
    }
    expect(log.export("json", { outcome: "error" }).content).not.toBe(log.export("json").content);
    expect(JSON.parse(log.export("json", { outcome: "error" }).content)).toHaveLength(3);
  });

  it("CSV too, and the file's name says it is a part of the log", () => {
    const csv = log.export("csv", { providerName: "Anthropic", conversationId: "conv-a" });
    const lines = csv.content.trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + log.summary({ providerName: "Anthropic", conversationId: "conv-a" }).count);
    expect(lines.slice(1).every((line) => line.includes(",Anthropic,"))).toBe(true);
    expect(csv.fileName).toMatch(/^hearth-audit-conv-a-filtered-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(log.export("csv").fileName).toMatch(/^hearth-audit-\d{4}-/);
  });

  it("the contract takes the same filter fields with the format, and nothing else", () => {
    const input = methods.exportAudit.input;
    expect(input.safeParse({ format: "csv", conversationId: "c1", providerName: "OpenAI", outcome: "declined", from: 1, to: 2 }).success).toBe(true);
    expect(input.safeParse({ format: "csv", outcome: "maybe" }).success).toBe(false);
    expect(input.safeParse({ format: "csv", sql: "1=1" }).success).toBe(false);
  });
});
