import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../contract/index.js";
import { openDatabase, type Db } from "../store/database.js";
import { AuditLog } from "./audit-log.js";
import { EgressGate } from "./egress.js";
import { emptyPolicy } from "./policy.js";

type Seen = { url: string; authorization: string | null };

/** A network that answers from a table, and remembers what was asked (no socket is opened). */
function fakeNetwork(routes: Record<string, () => Response>, seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    seen.push({ url, authorization: new Headers(init?.headers).get("authorization") });
    const route = routes[url];
    return route ? route() : new Response("missing", { status: 404 });
  };
}

describe("hub transfers", () => {
  let dir: string;
  let db: Db;
  let audit: AuditLog;
  let events: AuditEntry[];
  const seen: Seen[] = [];
  const gateWith = (routes: Record<string, () => Response>) =>
    new EgressGate({ policy: () => emptyPolicy, audit, onAudit: (e) => events.push(e), fetch: fakeNetwork(routes, seen) });
  const hub = "https://hub.example";
  const file = `${hub}/o/r/resolve/main/m.gguf`;
  const cdn = "https://cdn.example/blob/abc";

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-hub-"));
    db = openDatabase(path.join(dir, "hearth.db"));
    audit = new AuditLog(db);
    events = [];
    seen.length = 0;
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("follows the hub's redirect to its CDN without the token, counts the bytes, and says where they came from", async () => {
    const body = new Uint8Array(3 * 1024 * 1024).fill(7);
    const gate = gateWith({
      [file]: () => new Response(null, { status: 302, headers: { location: cdn } }),
      [cdn]: () => new Response(body, { status: 200, headers: { "content-length": String(body.length) } }),
    });
    const received = await gate.hubRequest({ purpose: "download", method: "GET", url: file, endpoint: hub }, async (gated) => {
      const response = await gated(file, { headers: { Authorization: "Bearer hf_secret" } });
      expect(response.url).toBe(cdn);
      // A library that goes straight to the CDN address it learned is allowed within this transfer, without the token.
      await (await gated(cdn, { headers: { Authorization: "Bearer hf_secret" } })).arrayBuffer();
      return (await response.arrayBuffer()).byteLength;
    });
    expect(received).toBe(body.length);
    expect(seen).toEqual([
      { url: file, authorization: "Bearer hf_secret" },
      { url: cdn, authorization: null },
      { url: cdn, authorization: null },
    ]);
    const [entry] = audit.list({});
    expect(entry).toMatchObject({ host: "hub.example", outcome: "ok", bytesReceived: 2 * body.length, payload: "GET /o/r/resolve/main/m.gguf (redirected to cdn.example)" });
    // Reported open first, with bytes while they flowed (every MiB), then closed.
    expect(events[0]).toMatchObject({ id: entry!.id, bytesReceived: 0, durationMs: null });
    expect(events.some((e) => e.durationMs === null && e.bytesReceived > 0)).toBe(true);
  });

  it("refuses other hosts, plain-http redirects, bodies, and requests after the transfer ended", async () => {
    const gate = gateWith({
      [file]: () => new Response(null, { status: 302, headers: { location: "http://cdn.example/blob" } }),
    });
    await expect(gate.hubRequest({ purpose: "search", method: "GET", url: "https://evil.example/x", endpoint: hub }, async () => 1)).rejects.toMatchObject({ code: "EGRESS_BLOCKED" });
    expect(audit.list({})).toEqual([]);
    let late: typeof fetch | null = null;
    await expect(
      gate.hubRequest({ purpose: "download", method: "GET", url: file, endpoint: hub }, async (gated) => {
        late = gated;
        await expect(gated("https://other.example/x")).rejects.toMatchObject({ code: "EGRESS_BLOCKED" });
        await expect(gated(file, { method: "POST", body: "secret" })).rejects.toMatchObject({ code: "EGRESS_BLOCKED" });
        return gated(file);
      }),
    ).rejects.toMatchObject({ code: "EGRESS_BLOCKED", message: expect.stringMatching(/redirect to http:\/\/cdn\.example/) });
    expect(audit.list({})[0]).toMatchObject({ outcome: "error", error: expect.stringMatching(/redirect/) });
    await expect(late!(file)).rejects.toMatchObject({ code: "ABORTED" });
    expect(seen.map((s) => s.url)).toEqual([file]);
  });

  it("routes a library's global fetch through the transfer, and refuses it outside one", async () => {
    const gate = gateWith({ [file]: () => new Response("GGUF", { status: 206 }) });
    await gate.hubRequest({ purpose: "search", method: "GET", url: file, endpoint: hub }, async () => {
      await (await fetch(file, { headers: { range: "bytes=0-3" } })).text();
    });
    expect(audit.list({})[0]).toMatchObject({ outcome: "ok", bytesReceived: 4 });
    await expect(fetch(file)).rejects.toMatchObject({ code: "EGRESS_BLOCKED" });
    expect(seen.map((s) => s.url)).toEqual([file]);
  });
});
