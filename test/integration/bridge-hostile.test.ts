import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startBridge, type Bridge } from "../../electron/bridge/bridge-server.js";
import { MAX_CONNECTIONS, MAX_IN_FLIGHT_CALLS } from "../../electron/bridge/flow-limits.js";
import { MAX_MESSAGE_CHARS, MAX_PAYLOAD_MESSAGE_CHARS, MAX_PAYLOAD_TOTAL_CHARS } from "../../electron/contract/schemas.js";
import { WS_MAX_PAYLOAD_BYTES } from "../../electron/contract/ws-protocol.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { tempDir } from "../fixtures/paths.js";

// Hostile frames and oversized input close (or fail) that one connection or request; the server stays up.
let core: CoreInternals;
let bridge: Bridge;

beforeAll(async () => {
  const dir = tempDir();
  const staticDir = path.join(dir, "static");
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, "index.html"), "<!doctype html><title>Hearth</title>");
  core = await createCore({ dataDir: path.join(dir, "data"), shell: "browser", threads: 1 });
  bridge = await startBridge({ core, staticDir });
});

afterAll(async () => {
  await bridge.close();
  await core.dispose();
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, {
    origin: `http://127.0.0.1:${bridge.port}`,
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

type Reply = { id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string; retryable: boolean } } };

function request(ws: WebSocket, id: number, method: string, input: unknown): Promise<Reply> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as Reply;
      if (message.id === id) {
        ws.off("message", onMessage);
        resolve(message);
      }
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once("close", (code) => resolve(code)));
}

/** The server still answers a fresh, well-behaved client. */
async function expectServerUp(): Promise<void> {
  const ws = await connect();
  expect(await request(ws, 1, "listModels", {})).toEqual({ id: 1, result: { ok: true, value: [] } });
  ws.close();
}

describe("bridge under hostile input", () => {
  it("closes a connection that sends a text frame of invalid UTF-8 (1007), and only that one", async () => {
    const bystander = await connect();
    const ws = await connect();
    ws.on("error", () => {}); // the client sees the close as an error too
    const code = closed(ws);
    ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false });
    expect(await code).toBe(1007);
    expect(await request(bystander, 7, "listModels", {})).toMatchObject({ id: 7, result: { ok: true } });
    bystander.close();
    await expectServerUp();
  });

  it("closes a connection that sends a frame over the limit (1009); the server stays up", async () => {
    const ws = await connect();
    ws.on("error", () => {});
    const code = closed(ws);
    ws.send("x".repeat(WS_MAX_PAYLOAD_BYTES + 1));
    expect(await code).toBe(1009);
    await expectServerUp();
  });

  it("closes a connection that sends binary frames (1008)", async () => {
    const ws = await connect();
    const code = closed(ws);
    ws.send(Buffer.from(JSON.stringify({ id: 1, method: "listModels", input: {} })), { binary: true });
    expect(await code).toBe(1008);
    await expectServerUp();
  });

  it("takes a conversation payload over 1 MB (real use) and refuses one over the contract's limit clearly", async () => {
    const ws = await connect();
    const created = await request(ws, 1, "createConversation", {});
    const conversationId = (created.result.value as { id: string }).id;
    // 1.5 MB in three messages: within the limits, so it reaches the core (which knows no such proposal).
    const big = Array.from({ length: 3 }, () => ({ role: "user", content: "a".repeat(500_000) }));
    const accepted = await request(ws, 2, "reviseEscalation", { conversationId, proposalId: "p1", payload: big });
    expect(accepted.result.error?.code).not.toBe("INVALID_INPUT");
    expect(accepted.result.ok).toBe(false);

    const tooLong = [{ role: "user", content: "a".repeat(MAX_PAYLOAD_MESSAGE_CHARS + 1) }];
    const refused = await request(ws, 3, "reviseEscalation", { conversationId, proposalId: "p1", payload: tooLong });
    expect(refused.result.error).toMatchObject({ code: "INVALID_INPUT", retryable: false });
    expect(refused.result.error?.message).toContain(`at most ${MAX_PAYLOAD_MESSAGE_CHARS} characters`);

    const count = Math.ceil(MAX_PAYLOAD_TOTAL_CHARS / 900_000) + 1;
    const tooMuch = Array.from({ length: count }, () => ({ role: "user", content: "b".repeat(900_000) }));
    const refusedTotal = await request(ws, 4, "reviseEscalation", { conversationId, proposalId: "p1", payload: tooMuch });
    expect(refusedTotal.result.error?.code).toBe("INVALID_INPUT");
    expect(refusedTotal.result.error?.message).toContain(`at most ${MAX_PAYLOAD_TOTAL_CHARS} characters in all`);

    const longText = await request(ws, 5, "sendMessage", { conversationId, text: "c".repeat(MAX_MESSAGE_CHARS + 1) });
    expect(longText.result.error?.code).toBe("INVALID_INPUT");
    const longTitle = await request(ws, 6, "renameConversation", { conversationId, title: "t".repeat(10_000) });
    expect(longTitle.result.error?.code).toBe("INVALID_INPUT");
    const manyTerms = await request(ws, 7, "updateSettings", { redactionTerms: Array.from({ length: 5000 }, (_, i) => `term${i}`) });
    expect(manyTerms.result.error?.code).toBe("INVALID_INPUT");
    const manyKeys = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, 1]));
    const unknownKeys = await request(ws, 9, "listModels", manyKeys);
    expect(unknownKeys.result.error?.code).toBe("INVALID_INPUT");
    expect(unknownKeys.result.error!.message.length).toBeLessThan(400);
    // The connection that sent all this is still open and answers.
    expect(await request(ws, 8, "listModels", {})).toMatchObject({ id: 8, result: { ok: true } });
    ws.close();
  });

  it("answers calls over the in-flight cap with a retryable BUSY, and every call gets a reply", async () => {
    const ws = await connect();
    const replies: Reply[] = [];
    const total = MAX_IN_FLIGHT_CALLS * 8;
    const all = new Promise<void>((resolve) => {
      ws.on("message", (data) => {
        const message = JSON.parse(String(data)) as Reply;
        if (typeof message.id !== "number") return;
        replies.push(message);
        if (replies.length === total) resolve();
      });
    });
    // One write, so the server reads them all before the first call finishes.
    const frames = Array.from({ length: total }, (_, i) => JSON.stringify({ id: i + 1, method: "listConversations", input: {} }));
    for (const frame of frames) ws.send(frame);
    await all;
    const busy = replies.filter((r) => r.result.error?.code === "BUSY");
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.result.error).toMatchObject({ retryable: true, message: expect.stringContaining("Try again") });
    expect(replies.filter((r) => r.result.ok).length).toBeGreaterThanOrEqual(MAX_IN_FLIGHT_CALLS);
    expect(new Set(replies.map((r) => r.id)).size).toBe(total);
    ws.close();
  });

  it("stops reading a client that sends pings and never reads the pongs", async () => {
    const ws = await connect();
    ws.on("error", () => {});
    ws.pause();
    // 400,000 pings of 125 bytes: 50 MB of pongs, were the server to read them all.
    const payload = Buffer.alloc(125, 0x70);
    for (let i = 0; i < 400_000; i++) ws.ping(payload);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // What the kernel's buffers and the server's 1 MiB hold is read; the rest waits on our side.
    expect(ws.bufferedAmount).toBeGreaterThan(8 * 1024 * 1024);
    ws.terminate();
    await expectServerUp();
  });

  it("refuses connections past the cap with 503 and takes them again when one closes", async () => {
    const open = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => connect()));
    await expect(connect()).rejects.toThrow("HTTP 503");
    const first = open.shift();
    const gone = closed(first!);
    first!.close();
    await gone;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await connect();
    again.close();
    for (const ws of open) ws.close();
  });

  it("refuses an upgrade whose URL cannot be parsed (404), and stays up", async () => {
    for (const target of ["//", "//[", "\\\\"]) {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(bridge.port, "127.0.0.1", () =>
          socket.write(
            `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              `Origin: http://127.0.0.1:${bridge.port}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
          ),
        );
        let text = "";
        socket.setTimeout(5_000, () => socket.destroy()); // no answer at all fails below
        socket.on("data", (chunk) => (text += String(chunk)));
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 (400|404) /);
    }
    await expectServerUp();
  });

  it("answers garbage HTTP with 400 and survives a socket reset mid-handshake", async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(bridge.port, "127.0.0.1", () => socket.write("\x00\x01GARBAGE\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += String(chunk)));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(reply).toContain("400");
    await new Promise<void>((resolve) => {
      const socket = net.connect(bridge.port, "127.0.0.1", () => {
        socket.write(
          `GET /api?token=${bridge.token} HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Origin: http://127.0.0.1:${bridge.port}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
        );
        socket.resetAndDestroy();
        resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectServerUp();
  });
});
