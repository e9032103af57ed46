import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { tempDir } from "../fixtures/paths.js";
import { buildChildScript } from "../fixtures/build-child.js";

/**
 * Floods the browser-mode server (real core, browser shell, temp data folder) running in a child process and
 * reads the child's peak RSS (VmHWM, reset between floods) from /proc. The bound: the idle server's RSS plus the
 * bridge's worst case for one connection (64 MiB, electron/bridge/flow-limits.ts) plus room for the garbage V8
 * has not collected yet (replies and events are serialized strings). Before the limits, the two floods of a client
 * that does not read reached idle + 370-530 MB in these few seconds, growing with the flood's length.
 */
const PEAK_GROWTH_BOUND_MB = 256;
/** Each flood runs at most this long and sends at most this many requests: loopback only, bounded. */
const FLOOD_MS = 2_500;
const FLOOD_MAX_REQUESTS = 400_000;

let child: ChildProcess;
let port = 0;
let token = "";
const builtDirs: string[] = [];
const figures: Record<string, unknown> = {};
let serverLog = "";
let idleRssMb = 0;

beforeAll(async () => {
  const script = await buildChildScript("test/integration/bridge-flood-server.ts", builtDirs);
  child = spawn(process.execPath, [script, tempDir()], { stdio: ["pipe", "pipe", "pipe"] });
  child.stderr!.on("data", (chunk: Buffer) => (serverLog += String(chunk)));
  const ready = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += String(chunk);
      const line = text.split("\n")[0];
      if (text.includes("\n") && line) resolve(JSON.parse(line) as { port: number; token: string });
    });
    child.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
  ({ port, token } = ready);
  idleRssMb = rssMb("VmRSS");
  figures.idleRssMb = idleRssMb;
}, 120_000);

afterAll(async () => {
  process.stdout.write(`bridge flood figures: ${JSON.stringify(figures)}\n`);
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin!.end();
    await Promise.race([exited, sleep(5_000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  for (const dir of builtDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function rssMb(field: "VmRSS" | "VmHWM"): number {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return Math.round(kb / 1024);
}

/** Resets the child's peak RSS to its current RSS, so each flood's peak is its own. */
function resetPeak(): void {
  fs.writeFileSync(`/proc/${child.pid}/clear_refs`, "5");
}

function expectAlive(): void {
  expect(child.exitCode).toBeNull();
  expect(child.signalCode).toBeNull();
}

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

/** A well-behaved client: one call, one reply. */
async function call(method: string, input: unknown = {}): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const ws = await connect();
  try {
    return await new Promise((resolve) => {
      ws.on("message", (data) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: { ok: boolean } };
        if (message.id === 1) resolve(message.result as { ok: boolean });
      });
      ws.send(JSON.stringify({ id: 1, method, input }));
    });
  } finally {
    ws.close();
  }
}

/** Replies start `{"id":`, events `{"event":`. */
function isReply(data: Buffer): boolean {
  return data.subarray(0, 5).toString() === '{"id"';
}

type FloodResult = { sent: number; replies: number; busy: number; replyMb: number; closedByServer: boolean };

/**
 * Sends `frame(i)` as fast as the socket takes it (never more than 64 KiB queued on our side) for FLOOD_MS, then
 * waits up to `settleMs` for the replies. A client that does not read (`read: false`) pauses its socket throughout.
 */
async function flood(frame: (i: number) => string, options: { read: boolean; settleMs?: number }): Promise<FloodResult> {
  const ws = await connect();
  const result: FloodResult = { sent: 0, replies: 0, busy: 0, replyMb: 0, closedByServer: false };
  let bytes = 0;
  let clientClosed = false;
  ws.on("error", () => {});
  ws.on("message", (data: Buffer) => {
    bytes += data.length;
    if (!isReply(data)) return;
    result.replies += 1;
    if (data.length < 400 && data.includes('"BUSY"')) result.busy += 1;
  });
  const closed = new Promise<void>((resolve) => ws.once("close", () => ((result.closedByServer = !clientClosed), resolve())));
  if (!options.read) ws.pause();
  const end = Date.now() + FLOOD_MS;
  while (Date.now() < end && result.sent < FLOOD_MAX_REQUESTS && ws.readyState === ws.OPEN) {
    if (ws.bufferedAmount > 64 * 1024) {
      await sleep(2);
      continue;
    }
    for (let i = 0; i < 200; i++) ws.send(frame(result.sent++));
    await nextTurn();
  }
  if (options.read) {
    const settle = Date.now() + (options.settleMs ?? 15_000);
    while (result.replies < result.sent && ws.readyState === ws.OPEN && Date.now() < settle) await sleep(20);
  } else {
    await sleep(1_000); // the server finishes the calls it read before it stopped reading
  }
  result.replyMb = Math.round(bytes / 1024 / 1024);
  if (ws.readyState === ws.OPEN) {
    // Drops what is still queued (a close handshake would wait behind it); the server sees the reset.
    clientClosed = true;
    ws.terminate();
  }
  await Promise.race([closed, sleep(2_000)]);
  return result;
}

describe("bridge under floods (server in a child process)", () => {
  it("survives hostile input in a real process: bad UTF-8 or an oversized frame closes only that connection", async () => {
    for (const send of [
      (ws: WebSocket) => ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false }),
      (ws: WebSocket) => ws.send(Buffer.alloc(17 * 1024 * 1024, 0x61), { binary: false }),
    ]) {
      const ws = await connect();
      ws.on("error", () => {});
      const code = new Promise<number>((resolve) => ws.once("close", resolve));
      send(ws);
      expect([1007, 1009]).toContain(await code);
    }
    // 16 MB of `{},` or `[[[[`: JSON.parse would make ~500 MB of objects of it; refused unparsed instead.
    resetPeak();
    for (const text of [`{"id":1,"method":"listModels","input":[${"{},".repeat(5_000_000)}{}]}`, "[".repeat(16_000_000)]) {
      const ws = await connect();
      ws.on("error", () => {});
      const code = new Promise<number>((resolve) => ws.once("close", resolve));
      ws.send(text);
      expect(await code).toBe(1008);
    }
    figures.pathologicalJsonPeakRssMb = rssMb("VmHWM");
    expect(rssMb("VmHWM")).toBeLessThan(idleRssMb + 128);
    // An upgrade request whose URL does not parse ("//") ended the process with an uncaught TypeError.
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () =>
        socket.write(
          `GET // HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Origin: http://127.0.0.1:${port}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
        ),
      );
      let text = "";
      socket.setTimeout(5_000, () => socket.destroy());
      socket.on("data", (chunk) => (text += String(chunk)));
      socket.on("close", () => resolve(text));
      socket.on("error", () => {});
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    await sleep(200);
    expectAlive();
    expect(await call("listModels")).toEqual({ ok: true, value: [] });
  });

  it("stays bounded under many thousand small requests a second, answering each (BUSY past the cap)", async () => {
    resetPeak();
    const result = await flood((i) => `{"id":${i},"method":"listModels","input":{}}`, { read: true });
    const peak = rssMb("VmHWM");
    figures.smallRequests = { ...result, requestsPerSecond: Math.round(result.sent / (FLOOD_MS / 1000)), peakRssMb: peak };
    expectAlive();
    expect(result.sent).toBeGreaterThan(10_000);
    expect(result.replies).toBe(result.sent);
    expect(peak).toBeLessThan(idleRssMb + PEAK_GROWTH_BOUND_MB);
  });

  it("stays bounded when every reply is ~200 KB", async () => {
    // ~700 conversations make listConversations answer about 200 KB.
    const ws = await connect();
    let answered = 0;
    ws.on("message", (data: Buffer) => isReply(data) && (answered += 1));
    for (let id = 0; id < 700; id++) {
      ws.send(`{"id":${id},"method":"createConversation","input":{}}`);
      while (id - answered >= 16) await sleep(1); // within the in-flight cap
    }
    ws.close();
    const list = await call("listConversations");
    const replyKb = Math.round(JSON.stringify(list).length / 1024);
    expect(replyKb).toBeGreaterThan(150);
    resetPeak();
    const result = await flood((i) => `{"id":${i},"method":"listConversations","input":{}}`, { read: true, settleMs: 1_000 });
    const peak = rssMb("VmHWM");
    figures.largeReplies = { ...result, replyKb, peakRssMb: peak };
    expectAlive();
    // The replies flowed (each one 200 KB, the rest BUSY) as fast as the client read them; what it had not got
    // back by the end was still unread in the kernel's buffers, not in the server's memory.
    expect(result.replies - result.busy).toBeGreaterThan(50);
    expect(result.busy).toBeGreaterThan(0);
    expect(peak).toBeLessThan(idleRssMb + PEAK_GROWTH_BOUND_MB);
  });

  it("stays bounded with a client that creates conversations and lists them fast and never reads", async () => {
    resetPeak();
    const result = await flood(
      (i) => (i % 2 === 0 ? `{"id":${i},"method":"createConversation","input":{}}` : `{"id":${i},"method":"listConversations","input":{}}`),
      { read: false },
    );
    const peak = rssMb("VmHWM");
    figures.nonReader = { sent: result.sent, closedByServer: result.closedByServer, peakRssMb: peak, rssAfterMb: rssMb("VmRSS") };
    expectAlive();
    // The server stopped reading it (TCP backpressure), so the client could only queue its own 1 MiB.
    expect(result.sent).toBeLessThan(FLOOD_MAX_REQUESTS);
    expect(peak).toBeLessThan(idleRssMb + PEAK_GROWTH_BOUND_MB);
    expect(await call("listModels")).toEqual({ ok: true, value: [] });
  });

  it("closes a client that does not read its events once it is too far behind (and says which), staying bounded", async () => {
    const created = await call("createConversation");
    const conversationId = (created.value as { id: string }).id;
    const slow = await connect();
    slow.on("error", () => {});
    slow.pause(); // reads nothing during the flood
    let slowBytes = 0;
    slow.on("message", (data: Buffer) => (slowBytes += data.length));
    const slowClosed = new Promise<void>((resolve) => slow.once("close", () => resolve()));
    resetPeak();
    // Every settings change broadcasts the conversation (with its 20k-character system prompt) to every client:
    // 1,800 of them are ~36 MB of events the slow client never reads, past MAX_UNREAD_BYTES and the kernel's buffers.
    const writer = await connect();
    let sent = 0;
    let answered = 0;
    writer.on("message", (data: Buffer) => isReply(data) && (answered += 1));
    const updates = 1_800;
    const end = Date.now() + 20_000;
    while (sent < updates && Date.now() < end) {
      const systemPrompt = `${sent} ${"p".repeat(19_990)}`;
      writer.send(JSON.stringify({ id: sent++, method: "updateConversationSettings", input: { conversationId, settings: { systemPrompt } } }));
      while (sent - answered >= 16) await sleep(1);
    }
    while (answered < sent && Date.now() < end + 5_000) await sleep(5);
    const peak = rssMb("VmHWM");
    writer.close();
    slow.resume(); // it reads what reached it before the server dropped it, then sees the close
    await Promise.race([slowClosed, sleep(10_000)]);
    const eventMb = (sent * 20_300) / 1024 / 1024;
    figures.slowEventReader = { updatesSent: sent, eventMb: Math.round(eventMb), slowClientGotMb: Math.round(slowBytes / 1024 / 1024), peakRssMb: peak };
    expectAlive();
    expect(sent).toBe(updates);
    expect(slow.readyState).toBe(WebSocket.CLOSED);
    expect(slowBytes / 1024 / 1024).toBeLessThan(eventMb / 2);
    expect(serverLog).toMatch(/"message":"closed a bridge client that stopped reading","client":"#\d+ \(port \d+\)"/);
    expect(peak).toBeLessThan(idleRssMb + PEAK_GROWTH_BOUND_MB);
    // A normal client is served afterwards.
    expect(await call("listModels")).toEqual({ ok: true, value: [] });
    figures.rssAfterFloodsMb = rssMb("VmRSS");
  });
});
