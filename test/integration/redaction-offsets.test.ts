import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EscalationProposal, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { splitRedactions } from "../../renderer/src/features/privacy/redaction-segments.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

/**
 * The contract's RedactionInfo offsets are in the payload as sent (the redacted text), and the preview marks exactly
 * those spans: for messages with several hidden values of very different lengths, where offsets taken from the
 * original text would point past or into the wrong placeholder.
 */

const SYSTEM = "You help Dr. Maria Gonzalez (maria.gonzalez@clinic-example.org) with billing.";
const PROMPT =
  "Mail dana.whitfield@example.com, call (217) 555-0143, pay DE89 3704 0044 0532 0130 00 and card 4539 1488 0343 6467, then mail dana.whitfield@example.com again, step by step.";

let core: CoreInternals | null = null;
let server: FakeProviderServer | null = null;
afterAll(async () => {
  await core?.dispose();
  await server?.close();
});

describe("redaction offsets, producer to preview", () => {
  it("each report holds its placeholder in the payload, and the preview marks exactly those spans", async () => {
    server = await startFakeProvider({ wire: "openai", apiKey: "sk-unused", reply: "Noted." });
    const dataDir = tempDir();
    core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const provider = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Fake", baseUrl: server.baseUrl, model: "m" });
    const { id: conversationId } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
    await call(core, "updateConversationSettings", { conversationId, settings: { privacyMode: "ask", cloudProviderId: provider.id, systemPrompt: SYSTEM } });
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: PROMPT, escalate: true });

    const originals = [SYSTEM, PROMPT];
    expect(proposal.payload.map((m) => m.role)).toEqual(["system", "user"]);
    const perMessage = [0, 1].map((i) => proposal.redactions.filter((r) => r.messageIndex === i));
    expect(perMessage[0]!.length).toBeGreaterThanOrEqual(1);
    expect(perMessage[1]!.length).toBeGreaterThanOrEqual(4);
    // Different lengths of value and placeholder: an offset in the original text would miss its placeholder.
    expect(new Set(perMessage[1]!.map((r) => r.original.length - r.placeholder.length)).size).toBeGreaterThan(1);

    proposal.payload.forEach((message, index) => {
      const reports = perMessage[index]!;
      for (const r of reports) {
        expect(message.content.slice(r.start, r.end), `${r.placeholder} in message ${index}`).toBe(r.placeholder);
        expect(originals[index]).toContain(r.original);
      }
      // The preview: every reported span is a mark at exactly that place, naming the value it hides.
      const segments = splitRedactions(message.content, index, proposal.redactions);
      const marks: Array<{ start: number; end: number; placeholder: string; original: string | null }> = [];
      let at = 0;
      for (const s of segments) {
        const length = s.kind === "text" ? s.text.length : s.placeholder.length;
        if (s.kind === "redaction") marks.push({ start: at, end: at + length, placeholder: s.placeholder, original: s.original });
        at += length;
      }
      for (const r of reports) expect(marks).toContainEqual({ start: r.start, end: r.end, placeholder: r.placeholder, original: r.original });
      // Putting each mark's value back gives the user's own text: nothing marked is wrong, nothing is left unmarked.
      const restored = segments.map((s) => (s.kind === "text" ? s.text : (s.original ?? s.placeholder))).join("");
      expect(restored).toBe(originals[index]);
    });
  });
});
