import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, ChatEvent, EscalationProposal, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { main as auditVerify } from "../../scripts/audit-verify.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const KEY = "sk-test-Hearth0123456789abcdefKEYVALUE";
// Words no redactor hides, so they reach the provider and the audit payload verbatim.
const SENT = "zorbulent quintessa velopraxis";
const KEPT = "mirandolic tesserwane obfuscada";

let provider: FakeProviderServer;
beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Noted." });
});
afterAll(async () => provider.close());

/** Every byte of the data folder's database files (backups taken at start predate the test's messages). */
const dbBytes = (dataDir: string): Buffer =>
  Buffer.concat(fs.readdirSync(dataDir).filter((n) => n.startsWith("hearth.db")).map((n) => fs.readFileSync(path.join(dataDir, n))));

async function sendToCloud(core: CoreInternals, conversationId: string, text: string): Promise<void> {
  const done = new Promise<void>((resolve) => {
    const off = core.subscribe("chat", (e: ChatEvent) => {
      if (e.type === "message-finish") {
        off();
        resolve();
      }
    });
  });
  const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text, escalate: true });
  await call(core, "resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
  await done;
}

describe("deleting a conversation with its audit payloads", () => {
  it("keeps a tombstone, removes the text from the files, and the log still verifies (in the core and the CLI)", async () => {
    const dataDir = tempDir();
    const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
    try {
      const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
      const saved = await call<Provider>(core, "saveProvider", {
        kind: "openai-compatible",
        name: "Team vLLM",
        baseUrl: provider.baseUrl,
        model: "big-model",
        apiKey: KEY,
      });
      const conversations: string[] = [];
      for (const text of [`Please define ${SENT}`, `Please define ${KEPT}`]) {
        const { id } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
        // Named first, so the words are only in what was sent (the audit entry keeps the title; see the tombstone).
        await call(core, "renameConversation", { conversationId: id, title: "Definitions" });
        await call(core, "updateConversationSettings", {
          conversationId: id,
          settings: { privacyMode: "ask", cloudProviderId: saved.id, maxOutputTokens: 6 },
        });
        await sendToCloud(core, id, text);
        conversations.push(id);
      }
      const [erase, keep] = conversations as [string, string];
      const [before] = await call<AuditEntry[]>(core, "listAudit", { conversationId: erase });
      expect(before!.payload).toContain(SENT);

      expect(await core.call("deleteConversation", { conversationId: erase, eraseAudit: "yes" })).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
      await call(core, "deleteConversation", { conversationId: erase, eraseAudit: true });
      const [tombstone] = await call<AuditEntry[]>(core, "listAudit", { conversationId: erase });
      expect(tombstone).toMatchObject({
        id: before!.id,
        payload: "",
        time: before!.time,
        host: before!.host,
        bytesSent: before!.bytesSent,
        bytesReceived: before!.bytesReceived,
        outcome: "ok",
        conversationTitle: "Definitions",
      });
      expect((await call<AuditEntry[]>(core, "listAudit", { conversationId: keep }))[0]!.payload).toContain(KEPT);
      expect(await call(core, "verifyAudit", {})).toMatchObject({ ok: true, signatures: "checked", firstBroken: null });

      const bytes = dbBytes(dataDir);
      expect(bytes.includes(SENT)).toBe(false);
      expect(bytes.includes(KEPT)).toBe(true);
    } finally {
      await core.dispose();
    }
    const out: string[] = [];
    const log = console.log;
    console.log = (line: string) => out.push(line);
    try {
      expect(auditVerify(["--data-dir", dataDir, "--json"])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(JSON.parse(out[0]!)).toMatchObject({ ok: true, entries: 2, signatures: "checked" });
  }, 60_000);

  it("without eraseAudit, deleting leaves the audit payload as it was", async () => {
    const dataDir = tempDir();
    const core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
    try {
      const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
      const saved = await call<Provider>(core, "saveProvider", {
        kind: "openai-compatible",
        name: "Team vLLM",
        baseUrl: provider.baseUrl,
        model: "big-model",
        apiKey: KEY,
      });
      const { id } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
      await call(core, "updateConversationSettings", { conversationId: id, settings: { privacyMode: "ask", cloudProviderId: saved.id, maxOutputTokens: 6 } });
      await sendToCloud(core, id, `Please define ${SENT}`);
      await call(core, "deleteConversation", { conversationId: id });
      expect((await call<AuditEntry[]>(core, "listAudit", { conversationId: id }))[0]!.payload).toContain(SENT);
    } finally {
      await core.dispose();
    }
  }, 60_000);
});
