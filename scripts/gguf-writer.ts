import { open, rename, rm } from "node:fs/promises";
import os from "node:os";
import { float32ToFloat16Bits, Prng, quantizeBlockQ4_0, quantizeBlockQ8_0 } from "./gguf-blocks.js";

export * from "./gguf-blocks.js";
export { metadataFromParsed } from "./gguf-metadata.js";

/**
 * A small GGUF v3 writer (format: ggml's docs/gguf.md). It streams tensor data to disk chunk by chunk, so a
 * model of a gigabyte never sits in memory, and writes to a temporary name first, so a file at the final path is
 * always complete. Tensor data is random (deterministic from a seed), constant, or given values; Q8_0 and Q4_0
 * blocks are built here.
 */

export const GGUF_DEFAULT_ALIGNMENT = 32;
const GGUF_MAGIC = "GGUF";
const GGUF_VERSION = 3;

const valueTypeIds = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

export type GgufNumberType = "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64";
export type GgufBigIntType = "uint64" | "int64";

export type GgufArrayValue = (
  | { type: "array"; itemType: GgufNumberType; value: ArrayLike<number> }
  | { type: "array"; itemType: GgufBigIntType; value: ArrayLike<bigint | number> }
  | { type: "array"; itemType: "bool"; value: ArrayLike<boolean> }
  | { type: "array"; itemType: "string"; value: ArrayLike<string> }
  | { type: "array"; itemType: "array"; value: ArrayLike<GgufArrayValue> }
) & {
  /** Raw: the item count written, instead of value.length (hostile-file tests). */
  declaredLength?: bigint | number;
};

export type GgufValue =
  | { type: GgufNumberType; value: number }
  | { type: GgufBigIntType; value: bigint | number }
  | { type: "bool"; value: boolean }
  /** Raw: declaredBytes is the length written, instead of the string's own (hostile-file tests). */
  | { type: "string"; value: string; declaredBytes?: bigint | number }
  | GgufArrayValue;

/** Short constructors, so metadata reads like a table: `{ "llama.block_count": gguf.uint32(16) }`. */
export const gguf = {
  uint8: (value: number): GgufValue => ({ type: "uint8", value }),
  int8: (value: number): GgufValue => ({ type: "int8", value }),
  uint16: (value: number): GgufValue => ({ type: "uint16", value }),
  int16: (value: number): GgufValue => ({ type: "int16", value }),
  uint32: (value: number): GgufValue => ({ type: "uint32", value }),
  int32: (value: number): GgufValue => ({ type: "int32", value }),
  uint64: (value: bigint | number): GgufValue => ({ type: "uint64", value }),
  int64: (value: bigint | number): GgufValue => ({ type: "int64", value }),
  float32: (value: number): GgufValue => ({ type: "float32", value }),
  float64: (value: number): GgufValue => ({ type: "float64", value }),
  bool: (value: boolean): GgufValue => ({ type: "bool", value }),
  string: (value: string): GgufValue => ({ type: "string", value }),
  strings: (value: ArrayLike<string>): GgufValue => ({ type: "array", itemType: "string", value }),
  array: (itemType: GgufNumberType, value: ArrayLike<number>): GgufValue => ({ type: "array", itemType, value }),
};

/** The tensor types this writer can fill. Quantized types need rows (dims[0]) that are a multiple of 32. */
export type GgmlTensorType = "F32" | "F16" | "Q8_0" | "Q4_0";

const tensorTypes: Record<GgmlTensorType, { id: number; blockElements: number; blockBytes: number }> = {
  F32: { id: 0, blockElements: 1, blockBytes: 4 },
  F16: { id: 1, blockElements: 1, blockBytes: 2 },
  Q4_0: { id: 2, blockElements: 32, blockBytes: 2 + 16 },
  Q8_0: { id: 8, blockElements: 32, blockBytes: 2 + 32 },
};

export const ggmlTypeIds: Readonly<Record<GgmlTensorType, number>> = Object.fromEntries(
  Object.entries(tensorTypes).map(([name, t]) => [name, t.id]),
) as Record<GgmlTensorType, number>;

export type GgufTensorData =
  /** Uniform random values in about [-scale, scale], reproducible from the seed. */
  | { kind: "random"; seed: number; scale: number }
  | { kind: "constant"; value: number }
  /** Exactly one value per element, row-major with dims[0] fastest; quantized on the way out. */
  | { kind: "values"; values: ArrayLike<number> };

export type GgufTensor = {
  name: string;
  /** ggml order: dims[0] is the row length (the fastest-varying dimension). */
  dims: readonly number[];
  type: GgmlTensorType;
  data: GgufTensorData;
};

export type GgufFileSpec = {
  /** Written in this order. `general.alignment` is added when `alignment` is not the default. */
  metadata: Record<string, GgufValue> | ReadonlyArray<readonly [string, GgufValue]>;
  tensors: readonly GgufTensor[];
  alignment?: number;
  /** Low-level: header fields written as given instead of computed, and no padding, to build hostile files. */
  raw?: { version?: number; tensorCount?: bigint | number; keyValueCount?: bigint | number; noPadding?: boolean };
};

export type GgufLayout = {
  /** Header, metadata, tensor infos and the padding before the data section. */
  header: Buffer;
  tensors: { tensor: GgufTensor; offset: number; bytes: number }[];
  totalBytes: number;
};

export type WriteGgufOptions = {
  signal?: AbortSignal;
  onProgress?: (writtenBytes: number, totalBytes: number) => void;
};

const CHUNK_BYTES = 4 * 1024 * 1024;

export function tensorElementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

export function tensorByteSize(dims: readonly number[], type: GgmlTensorType): number {
  const info = tensorTypes[type];
  if (dims.length === 0 || dims.length > 4 || dims.some((d) => !Number.isSafeInteger(d) || d <= 0)) {
    throw new RangeError(`A tensor needs 1 to 4 positive integer dimensions, got [${dims.join(", ")}].`);
  }
  if (dims[0]! % info.blockElements !== 0) {
    throw new RangeError(`${type} rows must be a multiple of ${info.blockElements} elements, got ${dims[0]}.`);
  }
  return (tensorElementCount(dims) / info.blockElements) * info.blockBytes;
}

function metadataEntries(spec: GgufFileSpec): (readonly [string, GgufValue])[] {
  const entries = Array.isArray(spec.metadata)
    ? [...(spec.metadata as ReadonlyArray<readonly [string, GgufValue]>)]
    : Object.entries(spec.metadata as Record<string, GgufValue>);
  const alignment = spec.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  if (alignment !== GGUF_DEFAULT_ALIGNMENT && !entries.some(([key]) => key === "general.alignment")) {
    entries.push(["general.alignment", gguf.uint32(alignment)]);
  }
  return entries;
}

function resolveAlignment(entries: readonly (readonly [string, GgufValue])[], requested: number | undefined): number {
  const declared = entries.find(([key]) => key === "general.alignment")?.[1];
  if (declared && declared.type !== "uint32") throw new TypeError("general.alignment must be a uint32.");
  const alignment = declared ? Number(declared.value) : (requested ?? GGUF_DEFAULT_ALIGNMENT);
  if (requested !== undefined && requested !== alignment) {
    throw new RangeError(`alignment ${requested} disagrees with general.alignment ${alignment}.`);
  }
  // The spec asks for a multiple of 8; 32-bit views of chunk buffers rely on it too.
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0) {
    throw new RangeError(`alignment must be a positive multiple of 8, got ${alignment}.`);
  }
  return alignment;
}

/** Everything before the tensor data, and where each tensor goes; cheap, so callers can check a file's size. */
export function planGguf(spec: GgufFileSpec): GgufLayout {
  const entries = metadataEntries(spec);
  const alignment = resolveAlignment(entries, spec.alignment);
  const names = new Set<string>();
  for (const [key] of entries) {
    if (names.has(key)) throw new Error(`Duplicate metadata key ${key}.`);
    names.add(key);
  }

  const out = new ByteSink();
  out.bytes(Buffer.from(GGUF_MAGIC, "latin1"));
  out.u32(spec.raw?.version ?? GGUF_VERSION);
  out.bigint("uint64", spec.raw?.tensorCount ?? spec.tensors.length);
  out.bigint("uint64", spec.raw?.keyValueCount ?? entries.length);
  for (const [key, value] of entries) {
    out.string(key);
    out.u32(valueTypeIds[value.type]);
    writeValue(out, value);
  }

  const tensors: GgufLayout["tensors"] = [];
  const tensorNames = new Set<string>();
  let offset = 0;
  for (const tensor of spec.tensors) {
    if (tensorNames.has(tensor.name)) throw new Error(`Duplicate tensor ${tensor.name}.`);
    tensorNames.add(tensor.name);
    const bytes = tensorByteSize(tensor.dims, tensor.type);
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(tensorTypes[tensor.type].id);
    out.u64(offset);
    tensors.push({ tensor, offset, bytes });
    offset += padTo(bytes, alignment);
  }
  if (!spec.raw?.noPadding) out.padTo(alignment);
  const header = out.result();
  return { header, tensors, totalBytes: header.length + offset };
}

/** Writes the file; it appears at `path` only once complete. Returns its size in bytes. */
export async function writeGguf(path: string, spec: GgufFileSpec, options: WriteGgufOptions = {}): Promise<number> {
  if (os.endianness() !== "LE") throw new Error("This GGUF writer assumes a little-endian machine.");
  const layout = planGguf(spec);
  const alignment = resolveAlignment(metadataEntries(spec), spec.alignment);
  const partial = `${path}.partial-${process.pid}`;
  const file = await open(partial, "w");
  let written = 0;
  try {
    await file.write(layout.header);
    written += layout.header.length;
    // Two buffers: one is filled while the other is being written.
    const buffers = [alignedBuffer(CHUNK_BYTES), alignedBuffer(CHUNK_BYTES)];
    let flip = 0;
    let pending: Promise<unknown> = Promise.resolve();
    for (const { tensor, bytes } of layout.tensors) {
      for (const chunk of tensorChunks(tensor)) {
        options.signal?.throwIfAborted();
        const buffer = buffers[flip]!;
        flip ^= 1;
        const length = chunk(buffer);
        await pending;
        pending = file.write(buffer, 0, length);
        written += length;
        options.onProgress?.(written, layout.totalBytes);
      }
      const padding = padTo(bytes, alignment) - bytes;
      if (padding > 0) {
        await pending;
        pending = file.write(Buffer.alloc(padding));
        written += padding;
      }
    }
    await pending;
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  if (written !== layout.totalBytes) throw new Error(`Wrote ${written} bytes, planned ${layout.totalBytes}.`);
  await rename(partial, path);
  return written;
}

/** Splits a tensor into writers of whole blocks; each fills a buffer and returns how many bytes it filled. */
function* tensorChunks(tensor: GgufTensor): Generator<(buffer: Buffer) => number> {
  const { blockElements, blockBytes } = tensorTypes[tensor.type];
  const totalBlocks = tensorElementCount(tensor.dims) / blockElements;
  const blocksPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / blockBytes));
  const data = tensor.data;
  if (data.kind === "values" && data.values.length !== tensorElementCount(tensor.dims)) {
    throw new RangeError(`${tensor.name} has ${tensorElementCount(tensor.dims)} elements, got ${data.values.length} values.`);
  }
  const rng = data.kind === "random" ? new Prng(data.seed) : null;
  for (let first = 0; first < totalBlocks; first += blocksPerChunk) {
    const blocks = Math.min(blocksPerChunk, totalBlocks - first);
    yield (buffer) => {
      switch (data.kind) {
        case "random":
          fillRandom(buffer, tensor.type, blocks, rng!, data.scale);
          break;
        case "constant":
          fillFromValues(buffer, tensor.type, blocks, () => data.value);
          break;
        case "values": {
          const base = first * blockElements;
          fillFromValues(buffer, tensor.type, blocks, (i) => data.values[base + i]!);
          break;
        }
        default:
          data satisfies never;
      }
      return blocks * blockBytes;
    };
  }
}

function fillRandom(buffer: Buffer, ggmlType: GgmlTensorType, blocks: number, rng: Prng, scale: number): void {
  switch (ggmlType) {
    case "F32": {
      const f32 = new Float32Array(buffer.buffer, buffer.byteOffset, blocks);
      for (let i = 0; i < blocks; i++) f32[i] = rng.nextSigned() * scale;
      return;
    }
    case "F16": {
      const u16 = new Uint16Array(buffer.buffer, buffer.byteOffset, blocks);
      for (let i = 0; i < blocks; i++) u16[i] = float32ToFloat16Bits(rng.nextSigned() * scale);
      return;
    }
    case "Q8_0":
    case "Q4_0": {
      // Random bytes everywhere, then a fixed scale over each block: int8 quants (or 4-bit ones less 8) times the
      // scale land in [-scale, scale].
      const { blockBytes } = tensorTypes[ggmlType];
      rng.fillWords(new Uint32Array(buffer.buffer, buffer.byteOffset, Math.ceil((blocks * blockBytes) / 4)));
      const d = float32ToFloat16Bits(ggmlType === "Q8_0" ? scale / 128 : scale / 8);
      for (let b = 0; b < blocks; b++) buffer.writeUInt16LE(d, b * blockBytes);
      return;
    }
    default:
      ggmlType satisfies never;
  }
}

function fillFromValues(buffer: Buffer, ggmlType: GgmlTensorType, blocks: number, valueAt: (i: number) => number): void {
  switch (ggmlType) {
    case "F32":
      for (let i = 0; i < blocks; i++) buffer.writeFloatLE(valueAt(i), i * 4);
      return;
    case "F16":
      for (let i = 0; i < blocks; i++) buffer.writeUInt16LE(float32ToFloat16Bits(valueAt(i)), i * 2);
      return;
    case "Q8_0":
    case "Q4_0": {
      const block = new Float32Array(32);
      const { blockBytes } = tensorTypes[ggmlType];
      for (let b = 0; b < blocks; b++) {
        for (let j = 0; j < 32; j++) block[j] = valueAt(b * 32 + j);
        if (ggmlType === "Q8_0") quantizeBlockQ8_0(block, buffer, b * blockBytes);
        else quantizeBlockQ4_0(block, buffer, b * blockBytes);
      }
      return;
    }
    default:
      ggmlType satisfies never;
  }
}

function writeValue(out: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case "array":
      writeArrayBody(out, value);
      return;
    case "string":
      if (value.declaredBytes === undefined) out.string(value.value);
      else {
        out.bigint("uint64", value.declaredBytes);
        out.bytes(Buffer.from(value.value, "utf8"));
      }
      return;
    case "bool":
      out.u8(value.value ? 1 : 0);
      return;
    case "uint64":
    case "int64":
      out.bigint(value.type, value.value);
      return;
    default:
      out.number(value.type, value.value);
  }
}

/** Item type, count, then the items without their own type tags; an array of arrays repeats this per item. */
function writeArrayBody(out: ByteSink, array: GgufArrayValue): void {
  out.u32(valueTypeIds[array.itemType]);
  out.bigint("uint64", array.declaredLength ?? array.value.length);
  for (let i = 0; i < array.value.length; i++) {
    const item = array.value[i]!;
    if (array.itemType === "array") writeArrayBody(out, item as GgufArrayValue);
    else writeValue(out, { type: array.itemType, value: item } as GgufValue);
  }
}

function padTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function alignedBuffer(bytes: number): Buffer {
  // Own ArrayBuffer (not the shared pool), so typed-array views over it start 4-byte aligned.
  return Buffer.from(new ArrayBuffer(padTo(bytes, 8)));
}

const numberWriters: Record<GgufNumberType, { bytes: number; write: (b: Buffer, v: number, at: number) => void }> = {
  uint8: { bytes: 1, write: (b, v, at) => b.writeUInt8(v, at) },
  int8: { bytes: 1, write: (b, v, at) => b.writeInt8(v, at) },
  uint16: { bytes: 2, write: (b, v, at) => b.writeUInt16LE(v, at) },
  int16: { bytes: 2, write: (b, v, at) => b.writeInt16LE(v, at) },
  uint32: { bytes: 4, write: (b, v, at) => b.writeUInt32LE(v, at) },
  int32: { bytes: 4, write: (b, v, at) => b.writeInt32LE(v, at) },
  float32: { bytes: 4, write: (b, v, at) => b.writeFloatLE(v, at) },
  float64: { bytes: 8, write: (b, v, at) => b.writeDoubleLE(v, at) },
};

/** A growable little-endian byte buffer for the header; range errors from Buffer catch wrongly typed values. */
class ByteSink {
  private buffer = Buffer.alloc(64 * 1024);
  private length = 0;

  /** Makes room for n more bytes and returns where they start (call before touching this.buffer: it may move). */
  private reserve(n: number): number {
    if (this.length + n > this.buffer.length) {
      const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + n));
      this.buffer.copy(next, 0, 0, this.length);
      this.buffer = next;
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  u8(v: number): void {
    this.number("uint8", v);
  }

  u32(v: number): void {
    this.number("uint32", v);
  }

  u64(v: number): void {
    this.bigint("uint64", v);
  }

  number(type: GgufNumberType, v: number): void {
    if (typeof v !== "number") throw new TypeError(`A ${type} value must be a number, got ${typeof v}.`);
    const writer = numberWriters[type];
    const at = this.reserve(writer.bytes);
    writer.write(this.buffer, v, at);
  }

  bigint(type: GgufBigIntType, v: bigint | number): void {
    const big = BigInt(v);
    const at = this.reserve(8);
    if (type === "uint64") this.buffer.writeBigUInt64LE(big, at);
    else this.buffer.writeBigInt64LE(big, at);
  }

  bytes(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }

  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.bytes(bytes);
  }

  padTo(alignment: number): void {
    this.reserve(padTo(this.length, alignment) - this.length);
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
