import { mkdtemp, open, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, LlamaLogLevel, readGgufFileInfo } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llamaOptions } from "../electron/core/engine/llama-options.js";
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  gguf,
  ggmlTypeIds,
  planGguf,
  Prng,
  writeGguf,
  type GgufFileSpec,
} from "./gguf-writer.js";
import { defaultTokenizerSource, findRepoRoot, llamaModelSpec, readTokenizerMetadata, type LlamaShape } from "./make-bench-model.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "hearth-gguf-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBytes(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Test-side decoders, written from the block layouts, to check what the writer put on disk. */
function dequantize(type: "F32" | "F16" | "Q8_0" | "Q4_0", bytes: Buffer, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const block = Math.floor(i / 32);
    const j = i % 32;
    switch (type) {
      case "F32":
        out.push(bytes.readFloatLE(i * 4));
        break;
      case "F16":
        out.push(float16BitsToFloat32(bytes.readUInt16LE(i * 2)));
        break;
      case "Q8_0":
        out.push(float16BitsToFloat32(bytes.readUInt16LE(block * 34)) * bytes.readInt8(block * 34 + 2 + j));
        break;
      case "Q4_0": {
        const byte = bytes[block * 18 + 2 + (j % 16)]!;
        const q = j < 16 ? byte & 0x0f : byte >> 4;
        out.push(float16BitsToFloat32(bytes.readUInt16LE(block * 18)) * (q - 8));
        break;
      }
    }
  }
  return out;
}

describe("float16 conversion", () => {
  it("rounds to the nearest half, ties to even, with subnormals and infinities", () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65520, 0x7c00], // rounds up past the largest half
      [1e6, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // halfway to the smallest subnormal: ties to even (zero)
      [3 * 2 ** -25, 0x0002],
      [2 ** -14, 0x0400],
      [1 + 2 ** -11, 0x3c00], // tie, stays even
      [1 + 3 * 2 ** -11, 0x3c02], // tie, rounds up to even
    ];
    for (const [value, bits] of cases) expect(float32ToFloat16Bits(value), String(value)).toBe(bits);
    expect(float32ToFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    for (const bits of [0x0001, 0x03ff, 0x0400, 0x3555, 0x7bff, 0xbc00]) {
      expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
    }
  });
});

describe("Prng", () => {
  it("is deterministic, and fillWords continues the same sequence as nextUint32", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const words = new Uint32Array(5);
    a.fillWords(words);
    expect([...words]).toEqual([0, 1, 2, 3, 4].map(() => b.nextUint32()));
    expect(a.nextUint32()).toBe(b.nextUint32());
    expect(new Prng(43).nextUint32()).not.toBe(new Prng(42).nextUint32());
  });
});

describe("writeGguf", () => {
  const values = Array.from({ length: 64 }, (_, i) => Math.sin(i) * (i % 7) * 0.01);
  const spec: GgufFileSpec = {
    metadata: {
      "general.architecture": gguf.string("llama"),
      "test.u8": gguf.uint8(200),
      "test.i8": gguf.int8(-100),
      "test.u16": gguf.uint16(60_000),
      "test.i16": gguf.int16(-30_000),
      "test.u32": gguf.uint32(4_000_000_000),
      "test.i32": gguf.int32(-2_000_000_000),
      "test.u64": gguf.uint64(2n ** 63n + 5n),
      "test.i64": gguf.int64(-(2n ** 40n)),
      "test.f32": gguf.float32(0.25),
      "test.f64": gguf.float64(Math.PI),
      "test.bool": gguf.bool(true),
      "test.string": gguf.string("héllo ✓"),
      "test.strings": gguf.strings(["a", "", "ünïcode"]),
      "test.floats": gguf.array("float32", [0.5, -1.5, 0]),
      "test.ints": gguf.array("int32", new Int32Array([-1, 0, 7])),
      "test.bools": { type: "array", itemType: "bool", value: [true, false] },
      "test.nested": {
        type: "array",
        itemType: "array",
        value: [
          { type: "array", itemType: "uint8", value: [1, 2] },
          { type: "array", itemType: "string", value: ["x"] },
        ],
      },
    },
    tensors: [
      { name: "f32", dims: [64], type: "F32", data: { kind: "values", values } },
      { name: "f16", dims: [32, 2], type: "F16", data: { kind: "values", values } },
      { name: "q8", dims: [32, 2], type: "Q8_0", data: { kind: "values", values } },
      { name: "q4", dims: [64], type: "Q4_0", data: { kind: "values", values } },
      { name: "ones", dims: [5], type: "F32", data: { kind: "constant", value: 1 } },
      { name: "noise", dims: [96, 3], type: "Q4_0", data: { kind: "random", seed: 7, scale: 0.02 } },
    ],
  };

  it("writes metadata of every type and tensor infos that node-llama-cpp reads back", async () => {
    const file = path.join(dir, "tiny.gguf");
    const bytes = await writeGguf(file, spec);
    expect(bytes).toBe(planGguf(spec).totalBytes);
    expect((await readFile(file)).length).toBe(bytes);

    const info = await readGgufFileInfo(file, { logWarnings: false });
    expect(info.version).toBe(3);
    const test = (info.metadata as unknown as { test: Record<string, unknown> }).test;
    expect(test).toMatchObject({
      u8: 200,
      i8: -100,
      u16: 60_000,
      i16: -30_000,
      u32: 4_000_000_000,
      i32: -2_000_000_000,
      u64: 2n ** 63n + 5n,
      i64: -(2n ** 40n),
      f32: 0.25,
      bool: true,
      string: "héllo ✓",
      strings: ["a", "", "ünïcode"],
      floats: [0.5, -1.5, 0],
      ints: [-1, 0, 7],
      bools: [true, false],
      nested: [[1, 2], ["x"]],
    });
    expect(test.f64).toBe(Math.PI);

    const tensors = info.tensorInfo!;
    expect(tensors.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType])).toEqual([
      ["f32", [64], ggmlTypeIds.F32],
      ["f16", [32, 2], ggmlTypeIds.F16],
      ["q8", [32, 2], ggmlTypeIds.Q8_0],
      ["q4", [64], ggmlTypeIds.Q4_0],
      ["ones", [5], ggmlTypeIds.F32],
      ["noise", [96, 3], ggmlTypeIds.Q4_0],
    ]);
    for (const t of tensors) expect(Number(t.offset) % 32).toBe(0);
    expect(Number(tensors[5]!.fileOffset) + 9 * 18).toBeLessThanOrEqual(bytes);
  });

  it("stores tensor data in the F32, F16, Q8_0 and Q4_0 block layouts", async () => {
    const file = path.join(dir, "tiny.gguf");
    const tensors = (await readGgufFileInfo(file, { logWarnings: false })).tensorInfo!;
    const at = (name: string) => Number(tensors.find((t) => t.name === name)!.fileOffset);
    const read = async (name: "f32" | "f16" | "q8" | "q4", type: "F32" | "F16" | "Q8_0" | "Q4_0", size: number) =>
      dequantize(type, await readBytes(file, at(name), size), 64);

    const f32 = await read("f32", "F32", 256);
    f32.forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 7));
    const f16 = await read("f16", "F16", 128);
    f16.forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThan(1e-4));
    const amax = Math.max(...values.map(Math.abs));
    const q8 = await read("q8", "Q8_0", 68);
    q8.forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThanOrEqual(amax / 127));
    const q4 = await read("q4", "Q4_0", 36);
    q4.forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThanOrEqual(amax / 8 + 1e-6));
    expect(dequantize("F32", await readBytes(file, at("ones"), 20), 5)).toEqual([1, 1, 1, 1, 1]);

    const noise = dequantize("Q4_0", await readBytes(file, at("noise"), 9 * 18), 288);
    expect(Math.max(...noise.map(Math.abs))).toBeLessThanOrEqual(0.02 * 1.001); // the scale is rounded to f16
    expect(new Set(noise).size).toBeGreaterThan(8);
  });

  it("is deterministic and honours a non-default alignment", async () => {
    const again = path.join(dir, "again.gguf");
    await writeGguf(again, spec);
    expect((await readFile(again)).equals(await readFile(path.join(dir, "tiny.gguf")))).toBe(true);

    const aligned = path.join(dir, "aligned.gguf");
    await writeGguf(aligned, { ...spec, alignment: 64 });
    const info = await readGgufFileInfo(aligned, { logWarnings: false });
    expect(info.metadata.general.alignment).toBe(64);
    for (const t of info.tensorInfo!) expect(Number(t.fileOffset) % 64).toBe(0);
    // Nothing left behind under a temporary name.
    expect((await readdir(dir)).filter((name) => name.includes(".partial-"))).toEqual([]);
  });

  it("rejects rows that do not fill whole quantization blocks, and values of the wrong type", () => {
    expect(() => planGguf({ metadata: {}, tensors: [{ name: "x", dims: [31], type: "Q4_0", data: { kind: "constant", value: 0 } }] })).toThrow(
      /multiple of 32/,
    );
    expect(() => planGguf({ metadata: { "x.y": gguf.uint8(300) }, tensors: [] })).toThrow(RangeError);
  });
});

describe("a llama-shaped random model", () => {
  const tinyShape: LlamaShape = {
    hiddenSize: 64,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    headDim: 16,
    ffnSize: 128,
    ropeTheta: 500_000,
    rmsEps: 1e-5,
    contextLength: 2048,
    ropeScaling: { factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalContextLength: 8192 },
    tiedEmbeddings: true,
  };

  it("with the Llama-2 tokenizer copied over, loads in node-llama-cpp and generates tokens", async () => {
    const source = defaultTokenizerSource(findRepoRoot(import.meta.dirname));
    const tokenizer = await readTokenizerMetadata(source);
    expect(tokenizer["tokenizer.ggml.scores"]).toMatchObject({ type: "array", itemType: "float32" });
    expect(tokenizer["tokenizer.ggml.bos_token_id"]).toEqual({ type: "uint32", value: 1 });

    const file = path.join(dir, "tiny-llama.gguf");
    for (const weightType of ["q4_0", "q8_0"] as const) {
      await writeGguf(file, llamaModelSpec(tinyShape, { name: "tiny", weightType, tokenizer, seed: 3 }));
      const info = await readGgufFileInfo(file, { logWarnings: false });
      const original = await readGgufFileInfo(source, { logWarnings: false, readTensorInfo: false });
      expect(info.metadata.tokenizer).toEqual(original.metadata.tokenizer);
      expect(info.architectureMetadata.block_count).toBe(2);

      const llama = await getLlama(llamaOptions({ gpu: false, logLevel: LlamaLogLevel.error }));
      try {
        const model = await llama.loadModel({ modelPath: file });
        expect(model.fileInfo.tensorInfo?.length).toBe(1 + 1 + 2 * 9 + 1);
        const context = await model.createContext({ contextSize: 256, threads: 2 });
        const sequence = context.getSequence();
        const generated: number[] = [];
        for await (const token of sequence.evaluate(model.tokenize("Once upon a time"), { temperature: 0 })) {
          generated.push(token);
          if (generated.length === 8) break;
        }
        expect(generated.length).toBe(8);
        for (const token of generated) expect(token).toBeLessThan(32_000);
        await context.dispose();
        await model.dispose();
      } finally {
        await llama.dispose();
      }
    }
  });
});
