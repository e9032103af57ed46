import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, Download, Fit, HubModel } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { watchSockets } from "../fixtures/socket-watch.js";

/**
 * The fake hub is on loopback, where anyone may connect; the app is told it is at a name that is not loopback (and
 * never resolves: .test is reserved). Only the gate can reach it, through its test hook (the network fetch it is
 * given maps the name to 127.0.0.1), so a module that connects on its own tries the name, and the watcher stops it.
 */
const HUB_NAME = "hub.hearth.test";
const PADDED_BYTES = 32 * 1024 * 1024;
let hf: FakeHf;
let hubUrl: string;
let core: CoreInternals;
const toLoopback: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname === HUB_NAME) url.hostname = "127.0.0.1";
  return fetch(url, init);
};

beforeAll(async () => {
  // A header read must cost a fraction of a real model: the padded copy is large next to its header, as real ones are.
  const padded = Buffer.concat([fs.readFileSync(storiesModel), Buffer.alloc(PADDED_BYTES - fs.statSync(storiesModel).size)]);
  hf = await startFakeHf({ repos: { "acme/stories-GGUF": { files: { "stories.gguf": storiesModel, "stories-padded.gguf": padded } } } });
  hubUrl = `http://${HUB_NAME}:${hf.port}`;
  core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1, huggingFaceEndpoint: hubUrl, policyFile: null, fetch: toLoopback });
});
afterAll(async () => {
  await core.dispose();
  await hf.close();
});

async function downloaded(id: string): Promise<Download> {
  for (let i = 0; i < 600; i++) {
    const current = (await call<Download[]>(core, "listDownloads", {})).find((d) => d.id === id);
    if (current?.status === "completed") return current;
    if (current?.status === "failed") throw new Error(current.error?.message);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the download did not finish");
}

describe("model hub traffic goes through the egress gate with its own rule", () => {
  it("search, fit and download open no connection outside the gate, and each is in the audit log", async () => {
    const watch = await watchSockets();
    try {
      const local = await call<{ settings: { privacyMode: string } }>(core, "createConversation", {});
      expect(local.settings.privacyMode).toBe("local");
      expect((await call<HubModel[]>(core, "searchModels", { query: "stories" })).map((m) => m.repo)).toEqual(["acme/stories-GGUF"]);
      await call<Fit>(core, "checkFit", { repo: "acme/stories-GGUF", fileName: "stories-padded.gguf" });
      const download = await call<Download>(core, "startDownload", { repo: "acme/stories-GGUF", fileName: "stories.gguf" });
      await downloaded(download.id);
    } finally {
      watch.restore();
    }
    console.info(`[hub sockets] ${watch.connections.length} recorded (${watch.connections.filter((c) => c.via === "net").length} sockets), by the gate: ${watch.connections.filter((c) => c.byGate).length}`);
    expect(watch.outside()).toEqual([]);
    // Control: the traffic happened, and the gate's connections were seen and marked as its own.
    expect(watch.connections.filter((c) => c.via === "net" && c.byGate).length).toBeGreaterThan(0);
    expect(watch.connections.every((c) => c.byGate)).toBe(true);

    const audit = await call<AuditEntry[]>(core, "listAudit", {});
    const host = `${HUB_NAME}:${hf.port}`;
    expect(audit.every((a) => a.host === host && a.providerName === "Hugging Face" && a.bytesSent === 0 && a.durationMs !== null)).toBe(true);
    expect(audit.find((a) => a.purpose === "search" && a.payload.startsWith("GET /api/models?"))).toMatchObject({ outcome: "ok" });
    const header = audit.find((a) => a.purpose === "search" && a.payload === "GET /acme/stories-GGUF/resolve/main/stories-padded.gguf");
    // The header read's true byte count (our bounded walk's ranges and node-llama-cpp's): more than nothing, a small
    // part of the file.
    expect(header).toMatchObject({ outcome: "ok" });
    expect(header!.bytesReceived).toBeGreaterThan(0);
    expect(header!.bytesReceived).toBeLessThan(PADDED_BYTES / 4);
    expect(audit.find((a) => a.purpose === "download" && a.payload.startsWith("HEAD "))).toMatchObject({ outcome: "ok" });
    const fetched = audit.find((a) => a.purpose === "download" && a.payload.startsWith("GET "));
    expect(fetched).toMatchObject({ outcome: "ok", payload: "GET /acme/stories-GGUF/resolve/main/stories.gguf" });
    expect(fetched!.bytesReceived).toBe(fs.statSync(storiesModel).size);
  });

  it("the watcher catches a connection made outside the gate, and the global fetch refuses one (controls)", async () => {
    const watch = await watchSockets();
    const socket = net.connect({ host: HUB_NAME, port: hf.port });
    const failed = await new Promise<string>((resolve) => socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "")));
    const refused = await fetch(`${hubUrl}/api/models?search=x`).catch((error: unknown) => error);
    watch.restore();
    expect(failed).toBe("ECONNREFUSED");
    expect(watch.outside()).toEqual([{ via: "net", host: HUB_NAME, port: String(hf.port), byGate: false, loopback: false }]);
    expect(refused).toMatchObject({ code: "EGRESS_BLOCKED" });
  });

  it("refuses any host but the configured hub", () => {
    const gate = core.egress;
    expect(() => gate.assertHubAllowed("https://evil.example/acme/x/resolve/main/m.gguf", hubUrl)).toThrow(/only contacts the configured model hub/);
    expect(() => gate.assertHubAllowed(`${hubUrl}/acme/x/resolve/main/m.gguf`, hubUrl)).not.toThrow();
  });
});
