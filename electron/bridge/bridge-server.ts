import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { eventNames } from "../contract/events.js";
import { WS_MAX_PAYLOAD_BYTES, wsPath, type WsServerMessage } from "../contract/ws-protocol.js";
import type { Core, Logger } from "../core/core-types.js";
import { loopbackHostHeaders } from "../core/loopback.js";
import { serveConnection, type BridgeConnection } from "./bridge-connection.js";
import { contentSecurityPolicy } from "./csp.js";
import { MAX_CONNECTIONS } from "./flow-limits.js";

export type Bridge = { url: string; port: number; token: string; close(): Promise<void> };

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/**
 * Serves the built renderer and the contract over one WebSocket, on 127.0.0.1 only. The API requires the
 * per-launch token and our own Origin; the Host header is checked too, so a DNS-rebinding page cannot reach it.
 */
export async function startBridge(options: {
  core: Core;
  staticDir: string;
  port?: number;
  logger?: Logger;
  token?: string;
}): Promise<Bridge> {
  const { core, staticDir, logger } = options;
  const token = options.token ?? randomBytes(24).toString("base64url");
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const allowedHosts = () => loopbackHostHeaders(port);
  const allowedOrigins = () => allowedHosts().map((host) => `http://${host}`);

  const server = http.createServer((req, res) => {
    void serveStatic(req, res).catch((error: unknown) => {
      logger?.error("static file failed", { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? "")) {
      res.writeHead(421, { "content-type": "text/plain" }).end("Misdirected request");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const relative = pathname === "/" ? "index.html" : pathname.replace(/^\/+/, "");
    const file = path.resolve(staticDir, relative);
    if (!file.startsWith(staticDir + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    res.writeHead(200, {
      "content-type": contentTypes[path.extname(file)] ?? "application/octet-stream",
      "content-security-policy": contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cache-control": relative === "index.html" ? "no-store" : "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  // A malformed HTTP request or a socket reset gets a 400 or is dropped; it never reaches an unhandled 'error'.
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    logger?.warn("bad HTTP request", { code: error.code });
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });

  // Pongs are sent by bridge-connection.ts, under the same backpressure as replies. No compression: a small
  // compressed frame could inflate to the frame limit, and loopback gains nothing from it.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_PAYLOAD_BYTES,
    autoPong: false,
    perMessageDeflate: false,
  });
  const connections = new Map<WebSocket, BridgeConnection>();
  let connectionCount = 0;

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Errors on the raw socket (a reset mid-handshake) are ours to handle, or they would end the process.
    socket.on("error", (error) => {
      logger?.warn("bridge socket failed", { error: error.message });
      socket.destroy();
    });
    const reject = (status: number, reason: string) => {
      logger?.warn("bridge connection refused", { reason });
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
    };
    const url = URL.parse(req.url ?? "/", "http://localhost"); // null for "//" and the like, never a throw
    if (url === null) return reject(400, "url");
    const given = Buffer.from(url.searchParams.get("token") ?? "");
    if (url.pathname !== wsPath) return reject(404, "path");
    if (!allowedHosts().includes(req.headers.host ?? "")) return reject(421, "host");
    if (!allowedOrigins().includes(req.headers.origin ?? "")) return reject(403, "origin");
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return reject(401, "token");
    if (connections.size >= MAX_CONNECTIONS) return reject(503, "too many connections");
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });

  function onConnection(ws: WebSocket, req: http.IncomingMessage): void {
    connectionCount += 1;
    const label = `#${connectionCount} (port ${req.socket.remotePort ?? "?"})`;
    connections.set(ws, serveConnection(ws, { core, label, logger }));
    ws.on("close", () => connections.delete(ws));
  }

  const unsubscribers = eventNames.map((event) =>
    core.subscribe(event, (payload) => {
      if (connections.size === 0) return;
      const json = JSON.stringify({ event, payload } satisfies WsServerMessage);
      for (const connection of connections.values()) connection.sendEvent(json);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
  server.on("error", (error) => logger?.error("bridge server error", { error: error.message }));

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      for (const ws of connections.keys()) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
