import fs from "node:fs/promises";
import path from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { gguf, writeGguf } from "../../../scripts/gguf-writer.js";
import { storiesModel, tempDir, tinyLlamaModel } from "../../../test/fixtures/paths.js";
import { checkGgufBounds } from "./gguf-bounds.js";

async function walk(file: string) {
  const handle = await fs.open(file, "r");
  try {
    return await checkGgufBounds(handle, (await handle.stat()).size, path.basename(file));
  } finally {
    await handle.close();
  }
}

describe("checkGgufBounds", () => {
  it("walks real model headers to the same counts and end as node-llama-cpp's parser", async () => {
    for (const file of [storiesModel, tinyLlamaModel]) {
      const bounds = await walk(file);
      const info = await readGgufFileInfo(file, { readTensorInfo: true, logWarnings: false });
      expect(bounds.version).toBe(info.version);
      expect(bounds.tensorCount).toBe(info.tensorInfo?.length);
      // The walk ends where the tensor infos end; the parser's offset adds only the alignment padding.
      expect(bounds.headerBytes).toBeLessThanOrEqual(info.infoEndOffset ?? 0);
      expect((info.infoEndOffset ?? 0) - bounds.headerBytes).toBeLessThan(32);
    }
  });

  it("accepts a header the size of the largest real vocabularies (262,144 tokens, 500,000 merges) in well under a second", async () => {
    const file = path.join(tempDir(), "big-vocab.gguf");
    const tokens = Array.from({ length: 262_144 }, (_, i) => `tok${i}`);
    await writeGguf(file, {
      metadata: [
        ["general.architecture", gguf.string("llama")],
        ["tokenizer.ggml.tokens", gguf.strings(tokens)],
        ["tokenizer.ggml.scores", gguf.array("float32", new Float32Array(tokens.length))],
        ["tokenizer.ggml.token_type", gguf.array("int32", new Int32Array(tokens.length))],
        ["tokenizer.ggml.merges", gguf.strings(Array.from({ length: 500_000 }, (_, i) => `a${i} b${i}`))],
      ],
      tensors: [{ name: "w", dims: [32, 2], type: "F32", data: { kind: "constant", value: 0 } }],
    });
    const started = performance.now();
    expect(await walk(file)).toMatchObject({ version: 3, tensorCount: 1, keyValueCount: 5 });
    const ms = performance.now() - started;
    console.info(`bounds walk of a ${(await fs.stat(file)).size} B header: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
  });
});
