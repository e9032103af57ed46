import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Download, Fit, ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { probeGguf } from "../../electron/core/models/gguf-probe.js";
import { gguf, writeGguf, type GgufFileSpec, type GgufValue } from "../../scripts/gguf-writer.js";
import { startFakeHf, type FakeHf } from "../fake-hf/fake-hf-server.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

const REPO = "acme/hostile-GGUF";

/** A well-formed start: the hostile part comes after metadata a real model has. */
const general = (): [string, GgufValue][] => [
  ["general.architecture", gguf.string("llama")],
  ["general.name", gguf.string("hostile")],
];

type Hostile = { name: string; spec: GgufFileSpec; cut?: number; bytes?: number; code: string; message: RegExp };

/** Each written with the project's GGUF writer, its raw options declaring what the bytes do not hold. */
const hostile: Hostile[] = [
  {
    name: "array-2e33.gguf",
    spec: {
      metadata: { a: { type: "array", itemType: "uint8", value: [], declaredLength: 2n ** 33n } },
      tensors: [],
      raw: { noPadding: true },
    },
    bytes: 49,
    code: "DAMAGED_MODEL",
    message: /array-2e33\.gguf is damaged: its GGUF header declares 8589934592 array items/,
  },
  {
    name: "kv-2e62.gguf",
    spec: { metadata: {}, tensors: [], raw: { keyValueCount: 2n ** 62n, noPadding: true } },
    bytes: 24,
    code: "DAMAGED_MODEL",
    message: /declares 4611686018427387904 metadata entries/,
  },
  {
    name: "string-1tb.gguf",
    spec: { metadata: [...general(), ["general.license", { type: "string", value: "MIT", declaredBytes: 2n ** 40n }]], tensors: [] },
    code: "DAMAGED_MODEL",
    message: /declares a metadata string of 1099511627776 bytes/,
  },
  {
    name: "key-2e60.gguf",
    spec: { metadata: [["x", { type: "string", value: "y" }]], tensors: [], raw: { noPadding: true } },
    code: "DAMAGED_MODEL",
    message: /declares a metadata key of \d+ bytes/,
  },
  {
    name: "tensors-2e60.gguf",
    spec: { metadata: general(), tensors: [], raw: { tensorCount: 2n ** 60n } },
    code: "DAMAGED_MODEL",
    message: /declares 1152921504606846976 tensors/,
  },
  {
    name: "nested-arrays.gguf",
    spec: {
      metadata: [
        ...general(),
        ["tokenizer.ggml.nested", { type: "array", itemType: "array", value: [{ type: "array", itemType: "uint8", value: [], declaredLength: 2n ** 40n }] }],
      ],
      tensors: [],
    },
    code: "DAMAGED_MODEL",
    message: /declares an array of arrays/,
  },
  {
    name: "strings-2e25.gguf",
    spec: { metadata: [...general(), ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: ["a"], declaredLength: 2 ** 25 }]], tensors: [] },
    code: "DAMAGED_MODEL",
    message: /declares 33554432 array items/,
  },
  {
    name: "string-past-end.gguf",
    spec: { metadata: [...general(), ["general.license", { type: "string", value: "MIT", declaredBytes: 1_000_000 }]], tensors: [] },
    code: "GGUF_TRUNCATED",
    message: /header is damaged or incomplete/,
  },
  {
    name: "header-cut.gguf",
    spec: {
      metadata: [...general(), ["tokenizer.ggml.tokens", gguf.strings(Array.from({ length: 500 }, (_, i) => `token${i}`))]],
      tensors: [{ name: "w", dims: [32, 4], type: "F32", data: { kind: "constant", value: 0 } }],
    },
    cut: 2000,
    code: "GGUF_TRUNCATED",
    message: /header is damaged or incomplete/,
  },
  {
    name: "version-1.gguf",
    spec: { metadata: general(), tensors: [], raw: { version: 1 } },
    code: "NOT_GGUF",
    message: /uses GGUF version 1, which Hearth cannot read/,
  },
];

// key-2e60: the writer writes the key "x"; its length field is then overwritten with 2^60 (offset 24).
const patchKeyLength = (file: string) => {
  const bytes = fs.readFileSync(file);
  bytes.writeBigUInt64LE(2n ** 60n, 24);
  fs.writeFileSync(file, bytes);
};

let dir: string;
let hf: FakeHf;
let core: CoreInternals;
const files = new Map<string, string>();
const timings: string[] = [];

beforeAll(async () => {
  dir = tempDir("hearth-hostile-");
  for (const h of hostile) {
    const file = path.join(dir, h.name);
    await writeGguf(file, h.spec);
    if (h.name === "key-2e60.gguf") patchKeyLength(file);
    if (h.cut !== undefined) fs.truncateSync(file, h.cut);
    if (h.bytes !== undefined) expect(fs.statSync(file).size, h.name).toBe(h.bytes);
    files.set(h.name, file);
  }
  hf = await startFakeHf({
    repos: {
      [REPO]: {
        files: {
          ...Object.fromEntries(hostile.map((h) => [h.name, fs.readFileSync(files.get(h.name)!)])),
          "stories.gguf": storiesModel,
        },
      },
    },
  });
  core = await createCore({
    dataDir: path.join(dir, "data"),
    shell: "browser",
    threads: 1,
    huggingFaceEndpoint: hf.url,
    policyFile: null,
    logger: createStderrLogger("error"),
  });
});

afterAll(async () => {
  await core?.dispose();
  await hf?.close();
  if (timings.length) console.info(`hostile GGUF timings:\n  ${timings.join("\n  ")}`);
});

async function importFails(file: string) {
  const started = performance.now();
  const result = await core.call("importModel", { path: file });
  const ms = performance.now() - started;
  if (result.ok) throw new Error(`${file} was imported`);
  return { error: result.error, ms };
}

async function downloadEnds(fileName: string): Promise<{ download: Download; ms: number }> {
  const started = performance.now();
  const { id } = await call<Download>(core, "startDownload", { repo: REPO, fileName });
  for (;;) {
    const download = (await call<Download[]>(core, "listDownloads", {})).find((d) => d.id === id)!;
    if (["completed", "failed", "cancelled"].includes(download.status)) return { download, ms: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("crafted GGUF files", () => {
  it("are refused at import with a clear error, fast, and a good model still imports", async () => {
    for (const h of hostile) {
      const { error, ms } = await importFails(files.get(h.name)!);
      expect(error, h.name).toMatchObject({ code: h.code, retryable: false });
      expect(error.message, h.name).toMatch(h.message);
      // Refused by our own walk of the header, before any parser or child process sees it.
      expect(ms, h.name).toBeLessThan(1000);
      timings.push(`import ${h.name}: ${error.code} in ${ms.toFixed(1)} ms`);
    }
    expect(await call<ModelInfo[]>(core, "listModels", {})).toEqual([]);
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    expect(model).toMatchObject({ architecture: "llama", available: true, sizeBytes: fs.statSync(storiesModel).size });
  });

  it("are refused after a download, and a good download still registers", async () => {
    for (const h of hostile) {
      const { download, ms } = await downloadEnds(h.name);
      expect(download.status, h.name).toBe("failed");
      expect(download.error, h.name).toMatchObject({ code: h.code });
      expect(download.error?.message, h.name).toMatch(h.message);
      timings.push(`download ${h.name}: ${download.error?.code} in ${ms.toFixed(0)} ms`);
    }
    // The previous test imported the same file; a copy already installed is refused, so it goes first.
    for (const model of await call<ModelInfo[]>(core, "listModels", {})) await call(core, "removeModel", { modelId: model.id });
    const { download } = await downloadEnds("stories.gguf");
    expect(download.status).toBe("completed");
    const models = await call<ModelInfo[]>(core, "listModels", {});
    expect(models.filter((m) => m.source === "downloaded").map((m) => m.sizeBytes)).toEqual([fs.statSync(storiesModel).size]);
  });

  it("are refused when a fit check reads their header from the hub, and a good header still reads", async () => {
    for (const h of hostile.filter((x) => x.cut === undefined)) {
      const result = await core.call("checkFit", { repo: REPO, fileName: h.name });
      if (result.ok) throw new Error(`${h.name} was read`);
      expect(result.error, h.name).toMatchObject({ code: h.code });
      expect(result.error.message, h.name).toMatch(h.message);
    }
    expect(await call<Fit>(core, "checkFit", { repo: REPO, fileName: "stories.gguf" })).toMatchObject({ verdict: expect.any(String) });
  });

  // Defence in depth: if a hostile header ever got past the walk, node-llama-cpp's parser would meet it in the
  // child process. These feed the two reported files to the child directly.
  it("a parser crash in the child (a 2^33-item array fills its heap) is DAMAGED_MODEL; this process stays up", async () => {
    const started = performance.now();
    // With the default 512 MB heap V8 aborts ("invalid size") after ~10-30 s; a small heap reaches the crash sooner.
    const error = await probeGguf(files.get("array-2e33.gguf")!, "array-2e33.gguf", { maxHeapMb: 96 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "DAMAGED_MODEL", message: expect.stringMatching(/crashed the check/) });
    timings.push(`child probe array-2e33.gguf: crashed -> DAMAGED_MODEL in ${(performance.now() - started).toFixed(0)} ms`);
  });

  it("a parser that never ends (2^62 entries) is stopped at the deadline: DAMAGED_MODEL", async () => {
    const started = performance.now();
    const error = await probeGguf(files.get("kv-2e62.gguf")!, "kv-2e62.gguf", { timeoutMs: 3000, maxHeapMb: 128 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "DAMAGED_MODEL" });
    // Ends at the deadline, or earlier when the growing parser runs out of its 128 MB heap.
    expect(performance.now() - started).toBeLessThan(10_000);
    timings.push(`child probe kv-2e62.gguf: ${(error as Error).message} (${(performance.now() - started).toFixed(0)} ms)`);
  });
});
