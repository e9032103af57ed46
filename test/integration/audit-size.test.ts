import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, ChatEvent, Conversation, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore } from "../../electron/core/core.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const KEY = "sk-test-AuditSize0123456789abcdefKEY";
/** A long Auto-mode chat: every message escalates, each request carries the whole (redacted) history again. */
// 40 in the suite (about a minute on two cores); AUDIT_SIZE_TURNS=200 for the figure in the closing note.
const TURNS = Number(process.env.AUDIT_SIZE_TURNS ?? 40);

const question = (n: number) =>
  `Turn ${n}: write to ops${n}@example.com about the migration plan, step ${n}. Which risks remain for the rollback window, and how do we test the restore before the cut-over?`;
const answer = (n: number) =>
  `For step ${n}: keep the old cluster read-only until the checks pass. ${"Run the restore drill on a copy, compare row counts and checksums, then time the cut-over. ".repeat(3)}`;

let provider: FakeProviderServer;
beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: answer(0) });
});
afterAll(async () => provider.close());

describe("the audit log of a long Auto-mode conversation", () => {
  it(`grows with what was sent, not with its square (${TURNS} turns), and reads back exactly what left`, async () => {
    const dataDir = tempDir();
    const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
    try {
      const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
      const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team vLLM", baseUrl: provider.baseUrl, model: "big-model", apiKey: KEY });
      const { id: conversationId } = await call<Conversation>(core, "createConversation", { modelId: model.id });
      await call(core, "updateConversationSettings", { conversationId, settings: { privacyMode: "auto", cloudProviderId: saved.id, maxOutputTokens: 64 } });
      const finished = new Set<string>();
      core.subscribe("chat", (e: ChatEvent) => {
        if (e.type === "message-finish") finished.add(e.messageId);
      });
      const started = Date.now();
      for (let n = 0; n < TURNS; n++) {
        provider.setReply(answer(n));
        let result = await core.call("sendMessage", { conversationId, text: question(n), escalate: true });
        // The answer's finish event comes just before the turn lets go of the conversation.
        while (!result.ok && result.error.code === "BUSY") {
          await new Promise((r) => setTimeout(r, 5));
          result = await core.call("sendMessage", { conversationId, text: question(n), escalate: true });
        }
        if (!result.ok) throw new Error(result.error.message);
        const sent = result.value as { assistantMessageId: string | null; proposal: unknown };
        expect(sent.proposal).toBeNull();
        while (!finished.has(sent.assistantMessageId!)) await new Promise((r) => setTimeout(r, 2));
      }
      const seconds = (Date.now() - started) / 1000;

      // What left, as the provider received it, request by request.
      const answered = provider.requests.filter((r) => r.status === 200).map((r) => r.body);
      const entries: AuditEntry[] = [];
      for (let before: string | undefined; ; ) {
        const page = await call<AuditEntry[]>(core, "listAudit", { conversationId, limit: 100, ...(before ? { before } : {}) });
        entries.push(...page);
        if (page.length < 100) break;
        before = page.at(-1)!.id;
      }
      // On a loaded machine a request can fail before the provider reads it (and is retried): it is logged too, with
      // the same body. So: the answered ones in order, and every entry one of the bodies.
      const chronological = [...entries].reverse();
      expect(chronological.filter((e) => e.outcome === "ok").map((e) => e.payload)).toEqual(answered);
      expect(new Set(entries.map((e) => e.payload))).toEqual(new Set(answered));
      expect(await call(core, "verifyAudit", {})).toMatchObject({ ok: true });
      const exported = JSON.parse((await call<{ content: string }>(core, "exportAudit", { format: "json", conversationId })).content) as AuditEntry[];
      expect(exported.map((e) => e.payload)).toEqual(chronological.map((e) => e.payload));

      // The contract: filters and totals over the whole log, pages bounded, a cursor that is gone is a clear error.
      expect(await call(core, "auditSummary", { conversationId })).toMatchObject({
        count: entries.length,
        bytesSent: entries.reduce((sum, e) => sum + Buffer.byteLength(e.payload), 0),
        failed: entries.filter((e) => e.outcome !== "ok").length,
        providerNames: ["Team vLLM"],
      });
      expect(await call<AuditEntry[]>(core, "listAudit", { conversationId, providerName: "Team vLLM", outcome: "ok", from: started, limit: 1000 })).toHaveLength(answered.length);
      expect(await call<AuditEntry[]>(core, "listAudit", { providerName: "Nobody" })).toEqual([]);
      expect(await core.call("listAudit", { limit: 5000 })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
      expect(await core.call("listAudit", { before: "no-such-entry" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

      const db = core.store.db;
      const payloadBytes = (sql: string) => db.prepare(sql).pluck().get() as number;
      const stored = payloadBytes(`SELECT SUM(length(CAST(payload AS BLOB))) FROM audit_log WHERE conversation_id = '${conversationId}'`);
      // Before this change each entry stored its body whole: exactly the bytes sent.
      const whole = entries.reduce((sum, e) => sum + e.bytesSent, 0);
      const last = entries[0]!.bytesSent;
      // On disk: the audit_log table's pages now, and in a copy with every payload written back whole (what the
      // previous version stored), both vacuumed.
      const copyFile = path.join(dataDir, "audit-size-copy.db");
      db.exec(`VACUUM INTO '${copyFile}'`);
      const copy = new Database(copyFile);
      const tableBytes = () => copy.prepare(`SELECT SUM(pgsize) FROM dbstat WHERE name = 'audit_log'`).pluck().get() as number;
      const diskAfter = tableBytes();
      const write = copy.prepare(`UPDATE audit_log SET payload = ?, payload_base = NULL WHERE id = ?`);
      copy.transaction(() => entries.forEach((e) => write.run(e.payload, e.id)))();
      copy.exec("VACUUM");
      const diskBefore = tableBytes();
      copy.close();
      console.log(
        `audit-size: ${TURNS} turns (${entries.length} requests) in ${seconds.toFixed(1)} s; payload bytes stored whole ${whole} B (${(whole / 1e6).toFixed(2)} MB), ` +
          `stored once ${stored} B (${(stored / 1e6).toFixed(3)} MB), x${(whole / stored).toFixed(1)} smaller; last request ${last} B; ` +
          `audit_log table on disk ${diskBefore} B before, ${diskAfter} B after (x${(diskBefore / diskAfter).toFixed(1)})`,
      );
      // Stored once: about the final history (each turn's new text) plus small references, not a copy per turn.
      expect(stored).toBeLessThan(1.5 * last + 200 * TURNS);
    } finally {
      await core.dispose();
    }
  }, 600_000);
});
