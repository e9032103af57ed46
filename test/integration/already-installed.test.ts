import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Download, ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// One file, one model: a copy imported from elsewhere or the same file downloaded again is named, not listed twice.
const REPO = "acme/stories-GGUF";
let hf: FakeHf;
let core: CoreInternals;
let dir: string;

beforeAll(async () => {
  hf = await startFakeHf({ repos: { [REPO]: { files: { "stories260K.gguf": storiesModel } } } });
  dir = tempDir("hearth-dup-");
  core = await createCore({ dataDir: dir, shell: "browser", threads: 1, huggingFaceEndpoint: hf.url, policyFile: null });
});
afterAll(async () => {
  await core.dispose();
  await hf.close();
});

describe("a file that is already installed", () => {
  it("is refused on import from another path, naming the model it duplicates", async () => {
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const copy = path.join(dir, "copy-of-stories.gguf");
    fs.copyFileSync(storiesModel, copy);
    const result = await core.call("importModel", { path: copy });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("ALREADY_INSTALLED");
    expect(result.error.message).toContain(`Already installed as ${model.name}`);
    expect(result.error.message).toContain(storiesModel);
    expect(await call<ModelInfo[]>(core, "listModels", {})).toHaveLength(1);
    // The same path again is the same model, not an error.
    expect((await call<ModelInfo>(core, "importModel", { path: storiesModel })).id).toBe(model.id);
  });

  it("fails a download of the same file before a byte of it is fetched", async () => {
    const [model] = await call<ModelInfo[]>(core, "listModels", {});
    const events: Download[] = [];
    const off = core.subscribe("downloads", (event) => events.push(event.download));
    const from = hf.requests.length;
    try {
      const started = await call<Download>(core, "startDownload", { repo: REPO, fileName: "stories260K.gguf" });
      const deadline = Date.now() + 30_000;
      while (!events.some((d) => d.id === started.id && d.status === "failed") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const failed = events.find((d) => d.id === started.id && d.status === "failed");
      expect(failed?.error).toMatchObject({ code: "ALREADY_INSTALLED" });
      expect(failed?.error?.message).toContain(`Already installed as ${model!.name}`);
      const ranged = hf.requests.slice(from).filter((r) => r.file === "stories260K.gguf" && r.range !== null);
      expect(ranged.reduce((sum, r) => sum + r.bytesSent, 0)).toBe(0);
      expect(await call<ModelInfo[]>(core, "listModels", {})).toHaveLength(1);
      expect(fs.existsSync(path.join(dir, "downloads", started.id))).toBe(false);
    } finally {
      off();
    }
  });
});
