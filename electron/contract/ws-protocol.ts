import { z } from "zod";
import type { EventName } from "./events.js";
import type { WireResult } from "./index.js";

/**
 * Browser mode: the renderer talks to the core over one WebSocket at `ws://127.0.0.1:PORT/api?token=TOKEN`.
 * The page is opened as `http://127.0.0.1:PORT/#token=TOKEN` (a fragment, so the token never reaches a log).
 */
export const wsPath = "/api";

/**
 * Largest frame the bridge reads. The biggest real request is an edited escalation payload
 * (MAX_PAYLOAD_TOTAL_CHARS = 4M characters, up to 3 bytes each in UTF-8, plus JSON escapes), so 16 MiB.
 * A bigger frame closes that connection with 1009; the client checks the size first and fails the call instead.
 */
export const WS_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Close codes the bridge uses (RFC 6455), so the client can say what happened. */
export const wsCloseCodes = {
  /** A frame that is not valid UTF-8 text. */
  invalidData: 1007,
  /** A frame that is not a request (not JSON, no id, binary, or JSON with over 100,000 tokens). */
  policy: 1008,
  /** A frame over {@link WS_MAX_PAYLOAD_BYTES}. */
  tooBig: 1009,
} as const;

export const wsRequestSchema = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

export type WsResponse = { id: number; result: WireResult<unknown> };
export type WsEvent = { event: EventName; payload: unknown };
export type WsServerMessage = WsResponse | WsEvent;
