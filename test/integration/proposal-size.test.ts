import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startBridge, type Bridge } from "../../electron/bridge/bridge-server.js";
import {
  MAX_PAYLOAD_MESSAGE_CHARS,
  MAX_PAYLOAD_TOTAL_CHARS,
  requestBodyOf,
  type EscalationProposal,
  type ModelInfo,
  type PayloadMessage,
  type Provider,
} from "../../electron/contract/index.js";
import { WS_MAX_PAYLOAD_BYTES } from "../../electron/contract/ws-protocol.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

/**
 * A proposal near the 4M-character limit of an edited payload must still fit the browser bridge's 16 MiB frame: it
 * carries each message's text once (the request body refers to it) instead of twice. The client here refuses bigger
 * frames, as the bridge does, so a proposal that does not fit closes the connection and the test fails.
 */
const KEY = "sk-test-Size0123456789abcdefKEYVALUE";
let core: CoreInternals;
let bridge: Bridge;
let provider: FakeProviderServer;
let conversationId: string;

beforeAll(async () => {
  provider = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: "Noted." });
  const dataDir = tempDir();
  core = await createCore({ dataDir, shell: "browser", threads: 1, policyFile: path.join(dataDir, "no-policy.json") });
  bridge = await startBridge({ core, staticDir: dataDir });
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const saved = await call<Provider>(core, "saveProvider", { kind: "openai-compatible", name: "Team vLLM", baseUrl: provider.baseUrl, model: "big-model", apiKey: KEY });
  conversationId = (await call<{ id: string }>(core, "createConversation", { modelId: model.id })).id;
  await call(core, "updateConversationSettings", { conversationId, settings: { privacyMode: "ask", cloudProviderId: saved.id, maxOutputTokens: 8 } });
});

afterAll(async () => {
  await bridge.close();
  await core.dispose();
  await provider.close();
});

type Frame = { bytes: number; json: { id?: number; result?: { ok: boolean; value?: unknown; error?: { code: string } }; event?: string; payload?: unknown } };

/** A browser-mode client that, like the bridge, reads frames of at most 16 MiB, and records every frame's size. */
async function connect(): Promise<{ ws: WebSocket; frames: Frame[]; closed: () => number | null }> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=${encodeURIComponent(bridge.token)}`, {
    origin: `http://127.0.0.1:${bridge.port}`,
    maxPayload: WS_MAX_PAYLOAD_BYTES,
  });
  const frames: Frame[] = [];
  let closeCode: number | null = null;
  ws.on("message", (data: Buffer) => frames.push({ bytes: data.length, json: JSON.parse(data.toString("utf8")) as Frame["json"] }));
  ws.on("error", () => {});
  ws.on("close", (code) => (closeCode = code));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, frames, closed: () => closeCode };
}

async function reply(frames: Frame[], id: number, closed: () => number | null): Promise<Frame> {
  for (;;) {
    const found = frames.find((f) => f.json.id === id);
    if (found) return found;
    if (closed() !== null) throw new Error(`the connection closed (${closed()}) before reply ${id}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Multi-byte prose (3 UTF-8 bytes a character) with a few values to hide, `chars` characters long. */
function bigMessage(chars: number, n: number): string {
  const unit = "東京の会議は午後三時に始まります。資料を確認してください。 ";
  const pii = ` Write to person${n}@example.com about it. `;
  return (pii + unit.repeat(Math.ceil(chars / unit.length))).slice(0, chars);
}

describe("a proposal near the payload limit", () => {
  it("fits one bridge frame, and the body rebuilt from it is exactly what the provider receives", async () => {
    const { proposal } = await call<{ proposal: EscalationProposal }>(core, "sendMessage", { conversationId, text: "Summarise the minutes, step by step.", escalate: true });
    const per = Math.min(MAX_PAYLOAD_MESSAGE_CHARS, Math.floor(MAX_PAYLOAD_TOTAL_CHARS / 4));
    const payload: PayloadMessage[] = [0, 1, 2, 3].map((n) => ({ role: n % 2 === 0 ? "user" : "assistant", content: bigMessage(per, n) }));
    expect(payload.reduce((sum, m) => sum + m.content.length, 0)).toBe(MAX_PAYLOAD_TOTAL_CHARS);

    const client = await connect();
    try {
      const request = JSON.stringify({ id: 1, method: "reviseEscalation", input: { conversationId, proposalId: proposal.id, payload } });
      // The request itself is near, but within, the frame limit; two copies of its text would not be.
      expect(Buffer.byteLength(request)).toBeLessThan(WS_MAX_PAYLOAD_BYTES);
      expect(2 * Buffer.byteLength(request)).toBeGreaterThan(WS_MAX_PAYLOAD_BYTES);
      client.ws.send(request);
      const revisedFrame = await reply(client.frames, 1, client.closed);
      expect(revisedFrame.json.result?.ok).toBe(true);
      expect(revisedFrame.bytes).toBeLessThanOrEqual(WS_MAX_PAYLOAD_BYTES);
      const revised = revisedFrame.json.result!.value as EscalationProposal;
      const body = requestBodyOf(revised);
      expect(revised.bytes).toBe(Buffer.byteLength(body, "utf8"));
      const sentMessages = (JSON.parse(body) as { messages: PayloadMessage[] }).messages;
      expect(sentMessages.map((m) => m.content)).toEqual(revised.payload.map((m) => m.content));
      expect(body).not.toContain("person0@example.com");

      // A setting changes: Send is refused and the renewed proposal arrives as an event, which fits a frame too.
      await call(core, "updateConversationSettings", { conversationId, settings: { temperature: 1.1 } });
      client.ws.send(JSON.stringify({ id: 2, method: "resolveEscalation", input: { conversationId, proposalId: revised.id, action: "send" } }));
      const refused = await reply(client.frames, 2, client.closed);
      expect(refused.json.result).toMatchObject({ ok: false, error: { code: "EGRESS_BLOCKED" } });
      // (The revision itself was announced too, so every window shows it; the renewed proposal has a new id.)
      const event = client.frames.find((f) => {
        const payload = f.json.payload as { type?: string; proposal?: EscalationProposal };
        return f.json.event === "chat" && payload.type === "escalation-proposed" && payload.proposal?.id !== revised.id;
      });
      expect(event).toBeDefined();
      expect(event!.bytes).toBeLessThanOrEqual(WS_MAX_PAYLOAD_BYTES);
      const renewed = (event!.json.payload as { proposal: EscalationProposal }).proposal;
      expect(client.closed()).toBeNull();

      const before = provider.requests.length;
      await call(core, "resolveEscalation", { conversationId, proposalId: renewed.id, action: "send" });
      for (let i = 0; i < 500 && provider.requests.length === before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(provider.requests.at(-1)!.body).toBe(requestBodyOf(renewed));
      expect(Buffer.byteLength(provider.requests.at(-1)!.body)).toBe(renewed.bytes);
    } finally {
      client.ws.close();
    }
  });
});
