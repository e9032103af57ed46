import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, Download, Fit, HubModel } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";


let hf: FakeHf;
let core: CoreInternals;
beforeAll(async () => {
  hf = await startFakeHf({ repos: { "acme/stories-GGUF": { files: { "stories.gguf": storiesModel } } } });
  core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1, huggingFaceEndpoint: hf.url, policyFile: null });
});
afterAll(async () => {
  await core.dispose();
  await hf.close();
});

describe("model hub traffic goes through the egress gate with its own rule", () => {
  it("records searches, header reads and downloads in the audit log, in Local-only conversations too", async () => {
    const local = await call<{ settings: { privacyMode: string } }>(core, "createConversation", {});
    expect(local.settings.privacyMode).toBe("local");
    expect((await call<HubModel[]>(core, "searchModels", { query: "stories" })).map((m) => m.repo)).toEqual(["acme/stories-GGUF"]);
    await call<Fit>(core, "checkFit", { repo: "acme/stories-GGUF", fileName: "stories.gguf" });
    const download = await call<Download>(core, "startDownload", { repo: "acme/stories-GGUF", fileName: "stories.gguf" });
    for (let i = 0; i < 600; i++) {
      const current = (await call<Download[]>(core, "listDownloads", {})).find((d) => d.id === download.id);
      if (current?.status === "completed") break;
      if (current?.status === "failed") throw new Error(current.error?.message);
      await new Promise((r) => setTimeout(r, 50));
    }
    const audit = await call<AuditEntry[]>(core, "listAudit", {});
    const host = new URL(hf.url).host;
    expect(audit.every((a) => a.host === host && a.providerName === "Hugging Face" && a.bytesSent === 0)).toBe(true);
    expect(audit.find((a) => a.purpose === "search" && a.payload.startsWith("GET /api/models?"))).toMatchObject({ outcome: "ok" });
    expect(audit.find((a) => a.purpose === "search" && a.payload.includes("/resolve/main/stories.gguf"))).toBeTruthy();
    const fetched = audit.find((a) => a.purpose === "download");
    expect(fetched).toMatchObject({ outcome: "ok", payload: "GET /acme/stories-GGUF/resolve/main/stories.gguf" });
    expect(fetched!.bytesReceived).toBe(fs.statSync(storiesModel).size);
  });

  it("refuses any host but the configured hub", () => {
    const gate = core.egress;
    expect(() => gate.assertHubAllowed("https://evil.example/acme/x/resolve/main/m.gguf", hf.url)).toThrow(/only contacts the configured model hub/);
    expect(() => gate.assertHubAllowed(`${hf.url}/acme/x/resolve/main/m.gguf`, hf.url)).not.toThrow();
  });
});
