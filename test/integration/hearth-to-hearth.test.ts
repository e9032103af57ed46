import fs from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, ChatEvent, CloudAccess, EscalationProposal, Message, ModelInfo, Provider } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { activityCount, openApiCore, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

/**
 * An organisation scaling past one laptop: Hearth A's OpenAI-compatible provider is Hearth B's local API (B on a
 * loopback port, keyed), and A's policy names B's host:port in `internalHosts`. An escalation from A reaches B, B's
 * own model answers, A audits the request byte for byte as going to "your organisation's server", and B's activity
 * view lists it. B's HTTP server is tapped (what it read, what it wrote) so the test sees both ends of the wire.
 */

type Exchange = { path: string; body: string; reply: string };
type Finish = Extract<ChatEvent, { type: "message-finish" }>;

/** Starts B with every request its HTTP server gets recorded: body as read, reply as written. */
async function openTappedB(): Promise<{ b: ApiFixture; exchanges: Exchange[] }> {
  const exchanges: Exchange[] = [];
  const original = http.createServer;
  const tap = (request: IncomingMessage, response: ServerResponse) => {
    const exchange: Exchange = { path: request.url ?? "", body: "", reply: "" };
    exchanges.push(exchange);
    // Added after the server's own handler, which already reads the body: this listener sees each chunk it reads.
    request.on("data", (chunk: Buffer) => (exchange.body += chunk.toString("utf8")));
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    const text = (chunk: unknown) => (typeof chunk === "string" || Buffer.isBuffer(chunk) ? chunk.toString() : "");
    response.write = ((...args: unknown[]) => ((exchange.reply += text(args[0])), write(...args))) as typeof response.write;
    response.end = ((...args: unknown[]) => ((exchange.reply += text(args[0])), end(...args))) as typeof response.end;
  };
  (http as { createServer: unknown }).createServer = (...args: Parameters<typeof http.createServer>) => {
    const server = original(...args);
    server.on("request", tap);
    return server;
  };
  try {
    return { b: await openApiCore(), exchanges };
  } finally {
    (http as { createServer: unknown }).createServer = original;
  }
}

/** The answer B streamed, from its SSE chunks. */
function streamedText(reply: string): string {
  return reply
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => (JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? "")
    .join("");
}

let b: ApiFixture;
let exchanges: Exchange[];
let a: CoreInternals;
let hostB: string;
let provider: Provider;
const finishes: Finish[] = [];

async function finished(messageId: string): Promise<Finish> {
  for (;;) {
    const found = finishes.find((e) => e.messageId === messageId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  ({ b, exchanges } = await openTappedB());
  hostB = `127.0.0.1:${b.port}`;
  const dataDir = tempDir();
  const policyFile = path.join(dataDir, "policy.json");
  fs.writeFileSync(policyFile, JSON.stringify({ internalHosts: [hostB] }));
  a = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error"), policyFile });
  a.subscribe("chat", (e) => {
    if (e.type === "message-finish") finishes.push(e);
  });
  await call<ModelInfo>(a, "importModel", { path: storiesModel });
  provider = await call<Provider>(a, "saveProvider", {
    kind: "openai-compatible",
    name: "Hearth B",
    baseUrl: b.baseURL,
    model: b.model.id,
    apiKey: TEST_API_KEY,
  });
});
afterAll(async () => {
  await a?.dispose();
  await b?.core.dispose();
});

async function conversation(privacyMode: "auto" | "ask"): Promise<string> {
  const models = await call<ModelInfo[]>(a, "listModels", {});
  const created = await call<{ id: string }>(a, "createConversation", { modelId: models[0]!.id });
  await call(a, "updateConversationSettings", {
    conversationId: created.id,
    settings: { privacyMode, cloudProviderId: provider.id, maxOutputTokens: 8 },
  });
  return created.id;
}

const messagesOf = async (conversationId: string) => (await call<{ messages: Message[] }>(a, "getConversation", { conversationId })).messages;

describe("Hearth to Hearth: the organisation's own server is another Hearth", () => {
  it("A names B as the organisation's server, not the cloud", async () => {
    expect((await call<Provider[]>(a, "listProviders", {})).find((p) => p.id === provider.id)).toMatchObject({ internal: true, policyRefusal: null });
    const access = await call<CloudAccess>(a, "getCloudAccess", { conversationId: await conversation("auto") });
    expect(access.provider).toMatchObject({ id: provider.id, internal: true });
  });

  it("Auto: the escalation reaches B, B's model answers, A audits it as the organisation's, B lists it", async () => {
    const conversationId = await conversation("auto");
    const before = exchanges.length;
    const sent = await call<{ assistantMessageId: string; proposal: null }>(a, "sendMessage", {
      conversationId,
      text: "Write a short story about a cat, then send it to dana.whitfield@example.com",
      escalate: true,
    });
    expect(sent.proposal).toBeNull();
    expect((await finished(sent.assistantMessageId)).status).toBe("complete");

    // B got exactly one chat completion, redacted on A before it left, and answered it with its own model.
    const received = exchanges.slice(before);
    expect(received.map((e) => e.path)).toEqual(["/v1/chat/completions"]);
    const exchange = received[0]!;
    expect(exchange.body).toContain("[EMAIL_1]");
    expect(exchange.body).not.toContain("dana.whitfield@example.com");
    expect((JSON.parse(exchange.body) as { model: string }).model).toBe(b.model.id);

    const answer = (await messagesOf(conversationId)).at(-1)!;
    expect(answer.answeredBy).toMatchObject({ kind: "cloud", provider: "Hearth B", model: b.model.id, failover: false });
    const bText = exchange.reply.includes("data: ") ? streamedText(exchange.reply) : (JSON.parse(exchange.reply) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    expect(bText.length).toBeGreaterThan(0);
    expect(answer.content).toBe(bText);

    // A's audit: "your organisation's server", the bytes B read, byte for byte.
    const audit = await call<AuditEntry[]>(a, "listAudit", { conversationId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ destination: "organisation", host: hostB, outcome: "ok", providerName: "Hearth B", purpose: "chat" });
    expect(audit[0]!.payload).toBe(exchange.body);
    expect(audit[0]!.bytesSent).toBe(Buffer.byteLength(exchange.body, "utf8"));

    // B's activity view lists the request: its model, tokens, success; never its content.
    const activity = await activityCount(b.core, 1);
    const entry = activity.find((e) => e.path === "/v1/chat/completions")!;
    expect(entry).toMatchObject({ method: "POST", model: b.model.name, status: 200, error: null });
    expect(entry.inputTokens).toBeGreaterThan(0);
    expect(entry.outputTokens).toBeGreaterThan(0);
    expect(JSON.stringify(activity)).not.toContain("[EMAIL_1]");
  });

  it("Ask: what B receives is exactly the preview A showed and the user sent", async () => {
    const conversationId = await conversation("ask");
    const before = exchanges.length;
    const activityBefore = b.core.apiServer.activityList().length;
    const { proposal } = await call<{ proposal: EscalationProposal }>(a, "sendMessage", {
      conversationId,
      text: "Explain how a cat climbs a tree, step by step.",
      escalate: true,
    });
    expect(exchanges.length).toBe(before); // nothing reaches B before Send
    const sent = await call<{ assistantMessageId: string }>(a, "resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    expect((await finished(sent.assistantMessageId)).status).toBe("complete");
    const exchange = exchanges.at(-1)!;
    expect(exchanges.length).toBe(before + 1);
    const received = JSON.parse(exchange.body) as { messages: { role: string; content: string }[] };
    expect(received.messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(proposal.payload);
    const audit = await call<AuditEntry[]>(a, "listAudit", { conversationId });
    expect(audit[0]).toMatchObject({ destination: "organisation", outcome: "ok", review: { heldBecause: "ask-mode", decision: "sent" } });
    expect(audit[0]!.payload).toBe(exchange.body);
    expect((await activityCount(b.core, activityBefore + 1)).length).toBe(activityBefore + 1);
  });
});
