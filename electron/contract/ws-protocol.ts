import { z } from "zod";
import type { EventName } from "./events.js";
import type { WireResult } from "./index.js";

/**
 * Browser mode: the renderer talks to the core over one WebSocket at `ws://127.0.0.1:PORT/api?token=TOKEN`.
 * The page is opened as `http://127.0.0.1:PORT/#token=TOKEN` (a fragment, so the token never reaches a log).
 */
export const wsPath = "/api";

export const wsRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

export type WsResponse = { id: number; result: WireResult<unknown> };
export type WsEvent = { event: EventName; payload: unknown };
export type WsServerMessage = WsResponse | WsEvent;
