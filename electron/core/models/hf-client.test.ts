import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "../../contract/index.js";
import { planGguf } from "../../../scripts/gguf-writer.js";
import { llamaModelSpec } from "../../../scripts/make-bench-model.js";
import { startFakeHf, type FakeHf } from "../../../test/fake-hf/fake-hf-server.js";
import { syntheticTokenizer } from "../../../test/fixtures/gguf-shapes.js";
import { getLlama } from "node-llama-cpp";
import { llamaOptions } from "../engine/llama-options.js";
import { estimateFit, readRemoteGgufInfo } from "./fit.js";
import { HuggingFaceClient, type HuggingFaceOptions } from "./hf-client.js";

const stories = "../shared/models/stories260K.gguf";
const TOKEN = "hf_test_token";

/** A 30+ MB model whose weights are zeros: big enough that reading only its header is measurable. */
function mediumModel(): Buffer {
  const spec = llamaModelSpec(
    { hiddenSize: 1024, layers: 4, heads: 8, kvHeads: 8, headDim: 128, ffnSize: 2816, ropeTheta: 10_000, rmsEps: 1e-5, contextLength: 4096, ropeScaling: null, tiedEmbeddings: true },
    { name: "medium", weightType: "q4_0", tokenizer: syntheticTokenizer(4096) },
  );
  const layout = planGguf(spec);
  return Buffer.concat([layout.header, Buffer.alloc(layout.totalBytes - layout.header.length)]);
}

let hf: FakeHf;
let medium: Buffer;

beforeAll(async () => {
  medium = mediumModel();
  hf = await startFakeHf({
    repos: {
      "acme/Tiny-Chat-GGUF": {
        downloads: 500,
        likes: 7,
        files: {
          "Tiny-Chat-Q4_K_M.gguf": stories,
          "Tiny-Chat-q8_0.gguf": Buffer.alloc(3000, 1),
          "Tiny-Chat-Q8_0-00001-of-00002.gguf": Buffer.alloc(1000, 2),
          "Tiny-Chat-Q8_0-00002-of-00002.gguf": Buffer.alloc(600, 3),
          "F16/Tiny-Chat-F16.gguf": Buffer.alloc(5000, 4),
          "mmproj-Tiny-Chat-f16.gguf": Buffer.alloc(10, 5),
          "README.md": Buffer.from("# Tiny chat\n"),
        },
      },
      "acme/Popular-GGUF": { downloads: 9000, files: { "popular-Q4_0.gguf": stories } },
      "acme/Gated-GGUF": { downloads: 100, gated: true, token: TOKEN, files: { "gated-Q4_0.gguf": stories } },
      "acme/Medium-GGUF": { downloads: 1, files: { "medium-Q4_0.gguf": medium } },
      "acme/Safetensors-Only": { downloads: 99_999, tags: ["safetensors"], files: { "model.safetensors": Buffer.alloc(10) } },
    },
  });
});

afterAll(async () => {
  await hf?.close();
});

function client(options: Partial<HuggingFaceOptions> = {}): HuggingFaceClient {
  return new HuggingFaceClient({ endpoint: () => hf.url, token: () => null, ...options });
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a rejection");
}

describe("search", () => {
  test("finds GGUF repositories, most downloaded first, with the gated flag", async () => {
    const found = await client().search("GGUF");
    expect(found.map((m) => m.repo)).toEqual(["acme/Popular-GGUF", "acme/Tiny-Chat-GGUF", "acme/Gated-GGUF", "acme/Medium-GGUF"]);
    expect(found[1]).toEqual({ repo: "acme/Tiny-Chat-GGUF", author: "acme", downloads: 500, likes: 7, updatedAt: "2024-05-01T12:00:00.000Z", gated: false });
    expect(found.find((m) => m.repo === "acme/Gated-GGUF")?.gated).toBe(true);
    expect(await client().search("tiny", 1)).toHaveLength(1);
    const request = hf.requests.at(-1)!;
    expect(request.path).toMatch(/^\/api\/models\?search=tiny&filter=gguf&sort=downloads&direction=-1&limit=1$/);
  });
});

describe("listFiles", () => {
  test("lists GGUF files with sizes, hashes and quantizations; split parts become one entry", async () => {
    const { repo, files } = await client().listFiles("acme/Tiny-Chat-GGUF");
    expect(repo).toBe("acme/Tiny-Chat-GGUF");
    expect(files).toEqual([
      { repo, fileName: "Tiny-Chat-Q8_0-00001-of-00002.gguf", quantization: "Q8_0", sizeBytes: 1600, parts: 2, sha256: null },
      { repo, fileName: "Tiny-Chat-q8_0.gguf", quantization: "Q8_0", sizeBytes: 3000, parts: 1, sha256: hf.sha256(repo, "Tiny-Chat-q8_0.gguf") },
      { repo, fileName: "F16/Tiny-Chat-F16.gguf", quantization: "F16", sizeBytes: 5000, parts: 1, sha256: hf.sha256(repo, "F16/Tiny-Chat-F16.gguf") },
      { repo, fileName: "Tiny-Chat-Q4_K_M.gguf", quantization: "Q4_K_M", sizeBytes: 1_185_376, parts: 1, sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d" },
    ]);
  });

  test("a missing repository is NOT_FOUND; a malformed name never reaches the network", async () => {
    const missing = await caught(client().listFiles("acme/Nope-GGUF"));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe(`No repository acme/Nope-GGUF on ${new URL(hf.url).host}.`);
    const before = hf.requests.length;
    expect((await caught(client().listFiles("../etc"))).code).toBe("INVALID_INPUT");
    expect(hf.requests.length).toBe(before);
  });
});

describe("endpoints and transport", () => {
  test("a mirror with a path prefix and a trailing slash keeps its prefix", async () => {
    const seen: string[] = [];
    // The fake serves at its root; this fetch stands in for a reverse proxy that strips /hf.
    const proxy: typeof fetch = (input, init) => {
      const url = String(input);
      seen.push(url);
      return fetch(url.replace(`${hf.url}/hf/`, `${hf.url}/`), init);
    };
    const mirror = client({ endpoint: () => `${hf.url}/hf/`, fetch: proxy });
    const { files } = await mirror.listFiles("acme/Popular-GGUF");
    expect(files.map((f) => f.fileName)).toEqual(["popular-Q4_0.gguf"]);
    expect(seen).toEqual([`${hf.url}/hf/api/models/acme/Popular-GGUF/tree/main?recursive=true`]);
    expect(mirror.fileUrl("acme/Popular-GGUF", "sub dir/a+b-Q4_0.gguf")).toBe(
      `${hf.url}/hf/acme/Popular-GGUF/resolve/main/sub%20dir/a%2Bb-Q4_0.gguf`,
    );
  });

  test("the token goes in an Authorization header, only when there is one", () => {
    expect(client().headers()).toEqual({});
    expect(client({ token: () => TOKEN }).headers()).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  test("an unreachable endpoint is a retryable NETWORK error that names the host", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await caught(client({ endpoint: () => `http://127.0.0.1:${port}/` }).search("x"));
    expect(error).toMatchObject({ code: "NETWORK", retryable: true });
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  test("an endpoint that does not answer in time, or answers with something other than JSON", async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const slow = await caught(client({ fetch: hang, timeoutMs: 50 }).search("x"));
    expect(slow).toMatchObject({ code: "NETWORK", retryable: true });
    expect(slow.message).toMatch(/did not answer/);

    const html: typeof fetch = async () => new Response("<html>proxy login</html>", { status: 200 });
    const garbled = await caught(client({ fetch: html }).listFiles("acme/Popular-GGUF"));
    expect(garbled.code).toBe("NETWORK");
    expect(garbled.message).toMatch(/cannot read/);
  });

  test("401 and 403 become GATED_MODEL for a repository and UNAUTHORIZED for a search", async () => {
    const refuse: typeof fetch = async () => new Response("{}", { status: 401 });
    expect((await caught(client({ fetch: refuse }).listFiles("acme/Gated-GGUF"))).code).toBe("GATED_MODEL");
    expect((await caught(client({ fetch: refuse }).search("x"))).code).toBe("UNAUTHORIZED");
    // Hugging Face's answer for a repository that does not exist, to a caller without a token.
    const hidden: typeof fetch = async () => new Response("{}", { status: 401, headers: { "X-Error-Code": "RepoNotFound" } });
    expect((await caught(client({ fetch: hidden }).listFiles("acme/Nope"))).code).toBe("NOT_FOUND");
  });

  test("a bad endpoint in the settings is INVALID_INPUT", async () => {
    expect((await caught(client({ endpoint: () => "ftp://mirror" }).search("x"))).code).toBe("INVALID_INPUT");
  });
});

describe("readRemoteGgufInfo", () => {
  test("reads a remote model's header over HTTP", async () => {
    const c = client();
    const info = await readRemoteGgufInfo(c.fileUrl("acme/Popular-GGUF", "popular-Q4_0.gguf"), c.headers());
    expect(info.metadata.general.architecture).toBe("llama");
    expect(info.tensorInfo?.length).toBeGreaterThan(0);
    // The header read over HTTP is enough for node-llama-cpp's memory estimate (what checkFit does).
    const llama = await getLlama(llamaOptions({ gpu: false }));
    try {
      const fit = await estimateFit(llama, info, 4096, { ram: { total: 8 * 1024 ** 3, free: 4 * 1024 ** 3 }, vram: { total: 0, free: 0 } });
      // Capped at the model's train context (2,048 tokens in this file's header).
      expect(fit).toMatchObject({ verdict: "ram", gpuLayers: 0, contextSize: 2048 });
    } finally {
      await llama.dispose();
    }
  });

  test("reads only the header of a bigger file, with Range requests", async () => {
    const c = client();
    const info = await readRemoteGgufInfo(c.fileUrl("acme/Medium-GGUF", "medium-Q4_0.gguf"), c.headers());
    expect(info.metadata.general.name).toBe("medium");
    expect(hf.requests.some((r) => r.file === "medium-Q4_0.gguf" && r.range?.startsWith("bytes=0-"))).toBe(true);
    expect(hf.bytesServed("medium-Q4_0.gguf")).toBeLessThan(medium.length / 3);
  });

  test("a gated file needs the token: GATED_MODEL without it or with a wrong one, the header with it", async () => {
    const url = client().fileUrl("acme/Gated-GGUF", "gated-Q4_0.gguf");
    const without = await caught(readRemoteGgufInfo(url, client().headers()));
    expect(without.code).toBe("GATED_MODEL");
    expect(without.message).toContain("access token");
    const wrong = await caught(readRemoteGgufInfo(url, client({ token: () => "hf_wrong" }).headers()));
    expect(wrong.code).toBe("GATED_MODEL");
    const info = await readRemoteGgufInfo(url, client({ token: () => TOKEN }).headers());
    expect(info.metadata.general.architecture).toBe("llama");
  });

  test("a missing file is NOT_FOUND", async () => {
    const c = client();
    const error = await caught(readRemoteGgufInfo(c.fileUrl("acme/Popular-GGUF", "nope-Q4_0.gguf"), c.headers()));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain("nope-Q4_0.gguf");
  });
});
