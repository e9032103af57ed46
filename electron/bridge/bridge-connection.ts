import type { RawData, WebSocket } from "ws";
import { wsCloseCodes, wsRequestSchema, type WsServerMessage } from "../contract/ws-protocol.js";
import type { Core, Logger } from "../core/core-types.js";
import {
  busyError,
  MAX_IN_FLIGHT_BYTES,
  MAX_IN_FLIGHT_CALLS,
  MAX_UNREAD_BYTES,
  PAUSE_READING_AT_BYTES,
  RESUME_READING_AT_BYTES,
} from "./flow-limits.js";
import { withinJsonTokens } from "./json-shape.js";

export type BridgeConnection = {
  /** Sends an already serialized event; a client too far behind is closed instead. */
  sendEvent(json: string): void;
};

/**
 * One client of the bridge: reads requests, runs them on the core within the in-flight caps, and writes replies
 * and events with backpressure. Nothing a client sends can throw out of here: protocol errors close this
 * connection only.
 */
export function serveConnection(ws: WebSocket, options: { core: Core; label: string; logger?: Logger }): BridgeConnection {
  const { core, label, logger } = options;
  let inFlightCalls = 0;
  let inFlightBytes = 0;
  let paused = false;

  // `ws` emits 'error' for a bad frame (invalid UTF-8, over maxPayload, bad opcode...) and has already begun
  // closing with the matching code (1007, 1009, 1002); without a listener the error would end the process.
  ws.on("error", (error: Error & { code?: string }) => {
    logger?.warn("bridge connection error; closing it", { client: label, code: error.code, error: error.message });
  });

  ws.on("message", (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      ws.close(wsCloseCodes.policy, "text frames only");
      return;
    }
    const frame = toBuffer(data);
    if (!withinJsonTokens(frame)) {
      ws.close(wsCloseCodes.policy, "request too complex");
      return;
    }
    let request;
    try {
      request = wsRequestSchema.parse(JSON.parse(frame.toString("utf8")));
    } catch {
      ws.close(wsCloseCodes.policy, "malformed request");
      return;
    }
    const bytes = frame.length;
    if (inFlightCalls >= MAX_IN_FLIGHT_CALLS || (inFlightCalls > 0 && inFlightBytes + bytes > MAX_IN_FLIGHT_BYTES)) {
      send(JSON.stringify({ id: request.id, result: { ok: false, error: busyError().toJSON() } } satisfies WsServerMessage));
      return;
    }
    inFlightCalls += 1;
    inFlightBytes += bytes;
    const { id } = request;
    void core.call(request.method, request.input).then((result) => {
      inFlightCalls -= 1;
      inFlightBytes -= bytes;
      send(JSON.stringify({ id, result } satisfies WsServerMessage));
    });
  });

  // The server answers pings itself (autoPong off), so pongs count against the client's backlog like replies:
  // pings sent without reading the pongs would otherwise grow the buffer without bound.
  ws.on("ping", (data: Buffer) => write((done) => ws.pong(data, false, done)));

  function send(json: string): void {
    write((done) => ws.send(json, done));
  }

  function write(enqueue: (done: () => void) => void): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_UNREAD_BYTES) {
      logger?.warn("closed a bridge client that stopped reading", { client: label, unreadBytes: ws.bufferedAmount });
      ws.terminate(); // frees its buffers now; a close frame would wait behind what it never reads
      return;
    }
    enqueue(afterWrite);
    if (!paused && ws.bufferedAmount > PAUSE_READING_AT_BYTES) {
      paused = true;
      ws.pause(); // TCP backpressure: the client cannot send more until it reads what it asked for
    }
  }

  /** Runs as each write reaches the kernel: read again once the client has caught up. */
  function afterWrite(): void {
    if (paused && ws.readyState === ws.OPEN && ws.bufferedAmount <= RESUME_READING_AT_BYTES) {
      paused = false;
      ws.resume();
    }
  }

  return { sendEvent: send };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
