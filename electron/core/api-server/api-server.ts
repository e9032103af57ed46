import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../core-types.js";
import type { ApiActivity } from "./api-activity.js";
import type { ApiEngine, ApiModel } from "./api-engine.js";
import { ApiError, apiErrorOf } from "./api-error.js";
import { ApiGate } from "./api-gate.js";
import { bearerMatches } from "./api-key.js";
import { runChatCompletion, type CompletionOutcome } from "./chat-completion.js";
import { parseChatRequest } from "./chat-request.js";
import { parseEmbeddingRequest, runEmbeddings } from "./embeddings.js";
import { readJsonBody } from "./read-body.js";
import { checkHost, corsHeaders } from "./request-guard.js";

export type ApiServerLimits = {
  /** Bigger bodies get 413 without being read. */
  maxBodyBytes: number;
  /** Open sockets past this are closed by the OS layer at once (a flood cannot hold memory). */
  maxConnections: number;
  /** API generations waiting for the one slot; past it, 429. */
  maxQueued: number;
  /** A request's headers and body must arrive within these. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An answer running longer is cut (finish_reason "length"). */
  generationTimeoutMs: number;
};

export const defaultApiServerLimits: ApiServerLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxConnections: 64,
  maxQueued: 16,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  generationTimeoutMs: 10 * 60_000,
};

export type ApiServerDeps = {
  engine: ApiEngine;
  /** Installed models whose file is present. */
  models: () => ApiModel[];
  key: () => string;
  allowedOrigins: () => readonly string[];
  activity: ApiActivity;
  limits?: Partial<ApiServerLimits>;
  logger?: Logger;
};

export type RunningApiServer = { port: number; close(): Promise<void> };

type Exchange = {
  model: string | null;
  stream: boolean;
  outcome: CompletionOutcome | null;
  error: string | null;
  /** CORS headers once the origin was checked; every reply carries them. */
  headers?: Record<string, string>;
};

/**
 * The OpenAI-compatible HTTP server on 127.0.0.1 only. Every request passes, in order: the Host check (DNS
 * rebinding), the Origin check (CORS only for allowed origins), the bearer key, then its route. Errors are
 * OpenAI's `{error:{message,type,param,code}}` with the status OpenAI would send.
 */
export async function startApiServer(deps: ApiServerDeps, port: number): Promise<RunningApiServer> {
  const limits = { ...defaultApiServerLimits, ...deps.limits };
  const gate = new ApiGate(limits.maxQueued);
  const inFlight = new Set<AbortController>();
  let closing = false;
  let boundPort = port;

  const server = http.createServer((request, response) => {
    const controller = new AbortController();
    inFlight.add(controller);
    const started = Date.now();
    const remotePort = request.socket.remotePort ?? null;
    const exchange: Exchange = { model: null, stream: false, outcome: null, error: null };
    // The client went away before the answer ended: stop the engine (the response's close fires either way).
    response.on("close", () => {
      inFlight.delete(controller);
      if (!response.writableFinished) controller.abort();
    });
    const handled = handle(request, response, controller.signal, exchange).catch((error: unknown) => {
      const apiError = apiErrorOf(error);
      if (apiError.status === 500) deps.logger?.error("local API request failed", { error: error instanceof Error ? error.message : String(error) });
      exchange.error = apiError.code ?? apiError.type;
      sendError(response, apiError, exchange.headers);
    });
    // Recorded once the answer has ended and the response is closed, with the tokens the engine really used.
    const closed = new Promise<void>((resolve) => (response.closed ? resolve() : response.once("close", () => resolve())));
    void Promise.all([handled, closed]).then(() =>
      deps.activity.record({
        at: started,
        method: (request.method ?? "").slice(0, 10),
        path: (request.url ?? "").split("?")[0]!.slice(0, 200),
        client: String(request.headers["user-agent"] ?? "unknown").slice(0, 200),
        remotePort,
        model: exchange.model,
        stream: exchange.stream,
        inputTokens: exchange.outcome?.inputTokens ?? null,
        outputTokens: exchange.outcome?.outputTokens ?? null,
        durationMs: Date.now() - started,
        status: response.writableFinished && !controller.signal.aborted ? response.statusCode : 499,
        error: exchange.error ?? (controller.signal.aborted ? "client_closed" : null),
      }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse, signal: AbortSignal, exchange: Exchange) {
    checkHost(request, boundPort);
    const headers = corsHeaders(request, deps.allowedOrigins()) ?? {};
    exchange.headers = headers;
    if (request.method === "OPTIONS") {
      response.writeHead(204, headers);
      response.end();
      return;
    }
    if (closing) throw new ApiError(503, "The local API server is shutting down.", "server_error", "server_unavailable");
    if (!bearerMatches(request.headers.authorization, deps.key())) {
      throw new ApiError(401, "Incorrect API key provided. Find the key in Hearth's Settings, under Local API.", "invalid_request_error", "invalid_api_key");
    }
    const url = parseUrl(request.url ?? "/", boundPort);
    const route = `${request.method} ${url.pathname.replace(/\/+$/, "")}`;
    if (route === "GET /v1/models") {
      sendJson(response, 200, { object: "list", data: deps.models().map(modelObject) }, headers);
      return;
    }
    const modelMatch = /^GET \/v1\/models\/(.+)$/.exec(route);
    if (modelMatch) {
      sendJson(response, 200, modelObject(findModel(decodePath(modelMatch[1]!))), headers);
      return;
    }
    if (route === "POST /v1/chat/completions") {
      const parsed = parseChatRequest(await readJsonBody(request, limits.maxBodyBytes));
      if (parsed instanceof ApiError) throw parsed;
      exchange.model = parsed.model;
      exchange.stream = parsed.stream === true;
      const model = findModel(parsed.model);
      // The activity view names the model the user knows, not the id the client sent.
      exchange.model = model.name;
      const client = String(request.headers["user-agent"] ?? "unknown").slice(0, 200);
      exchange.outcome = await runChatCompletion(
        { engine: deps.engine, gate, apiKey: deps.key(), generationTimeoutMs: limits.generationTimeoutMs, headers },
        parsed,
        model,
        client,
        response,
        signal,
      );
      return;
    }
    if (route === "POST /v1/embeddings") {
      const parsed = parseEmbeddingRequest(await readJsonBody(request, limits.maxBodyBytes));
      if (parsed instanceof ApiError) throw parsed;
      exchange.model = parsed.model;
      const model = findModel(parsed.model);
      exchange.model = model.name;
      const client = String(request.headers["user-agent"] ?? "unknown").slice(0, 200);
      exchange.outcome = await runEmbeddings({ engine: deps.engine, gate, headers }, parsed, model, client, response, signal);
      return;
    }
    if (/^(GET|POST) \/v1\//.test(route)) {
      throw new ApiError(404, `Unknown request: ${request.method} ${url.pathname.slice(0, 100)}.`, "invalid_request_error", "unknown_url");
    }
    throw new ApiError(404, "Not found. The local API is under /v1.", "invalid_request_error", "unknown_url");
  }

  function findModel(name: string): ApiModel {
    const models = deps.models();
    const byId = models.find((model) => model.id === name);
    if (byId) return byId;
    const byName = models.filter((model) => model.name.toLowerCase() === name.toLowerCase());
    if (byName.length === 1) return byName[0]!;
    throw new ApiError(404, `The model ${JSON.stringify(name.slice(0, 100))} does not exist; GET /v1/models lists the installed ones.`, "invalid_request_error", "model_not_found", "model");
  }

  server.maxConnections = limits.maxConnections;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  // A malformed request line or header block is answered 400 by Node; nothing reaches the handler.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  deps.logger?.info("local API server listening", { url: `http://127.0.0.1:${boundPort}/v1` });

  return {
    port: boundPort,
    async close() {
      closing = true;
      gate.rejectAll(new ApiError(503, "The local API server was switched off.", "server_error", "server_unavailable"));
      for (const controller of inFlight) controller.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function parseUrl(target: string, port: number): URL {
  try {
    return new URL(target, `http://127.0.0.1:${port}`);
  } catch {
    throw new ApiError(400, "The request's address cannot be read.", "invalid_request_error", "invalid_url");
  }
}

/** A path segment as sent; malformed percent-escapes are kept as they are (and match no model). */
function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function modelObject(model: ApiModel) {
  return { id: model.id, object: "model", created: Math.floor(model.addedAt / 1000), owned_by: "hearth", name: model.name };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: ApiError, headers: Record<string, string> | undefined): void {
  if (response.headersSent) {
    // Mid-stream: an SSE error event, as OpenAI sends one, then the end.
    if (!response.writableEnded && !response.destroyed) response.end(`data: ${JSON.stringify(error.body())}\n\n`);
    return;
  }
  if (response.destroyed) return;
  // After a refused key or an oversized body the rest of the request is never read: the connection closes.
  const close: Record<string, string> = error.status === 401 || error.status === 413 ? { connection: "close" } : {};
  sendJson(response, error.status === 499 ? 400 : error.status, error.body(), { ...headers, ...close });
}

