import { AppError } from "../../contract/index.js";

/**
 * Limits no real model file comes near (the largest vocabularies have ~260k tokens, models ~50 metadata keys and a
 * few thousand tensors, headers tens of MB), yet small enough that a parser trusting them cannot be made to
 * allocate without bound.
 */
export const ggufLimits = {
  keyValues: 65_536,
  tensors: 1_048_576,
  arrayItems: 16_777_216,
  stringBytes: 64 * 1024 * 1024,
  keyBytes: 65_536,
  tensorNameBytes: 4096,
  tensorDims: 4,
  /** Magic to the end of the tensor infos. */
  headerBytes: 256 * 1024 * 1024,
} as const;

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const CHUNK_BYTES = 1024 * 1024;

const ValueType = {
  Uint8: 0,
  Int8: 1,
  Uint16: 2,
  Int16: 3,
  Uint32: 4,
  Int32: 5,
  Float32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
  Uint64: 10,
  Int64: 11,
  Float64: 12,
} as const;

const fixedSizes: Partial<Record<number, number>> = {
  [ValueType.Uint8]: 1,
  [ValueType.Int8]: 1,
  [ValueType.Bool]: 1,
  [ValueType.Uint16]: 2,
  [ValueType.Int16]: 2,
  [ValueType.Uint32]: 4,
  [ValueType.Int32]: 4,
  [ValueType.Float32]: 4,
  [ValueType.Uint64]: 8,
  [ValueType.Int64]: 8,
  [ValueType.Float64]: 8,
};

/** Smallest possible encodings, to refuse counts the rest of the file cannot hold before walking them. */
const MIN_KEY_VALUE_BYTES = 8 + 4 + 1; // key length, type, one-byte value
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8; // name length, n_dims, one dim, type, offset

/** Where the walk reads from: a local file handle, or ranges of a remote file (`remote-gguf-bounds.ts`); a read may return fewer bytes than asked. */
export type GgufByteSource = {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
};

export type GgufBounds = { version: number; tensorCount: number; keyValueCount: number; headerBytes: number };

/**
 * Walks a GGUF header (magic, version, counts, every key/value, every tensor info) without trusting it: each count
 * and length is checked against the limits above and against the bytes the file has left, and the file is read in
 * fixed chunks, so nothing is ever allocated from a declared size. Runs before any full parser sees the file.
 * Throws NOT_GGUF (not GGUF, or a version llama.cpp no longer reads), DAMAGED_MODEL (a value no real model has)
 * or GGUF_TRUNCATED (plausible, but the file ends early: an unfinished download).
 */
export async function checkGgufBounds(handle: GgufByteSource, fileSize: number, fileName: string): Promise<GgufBounds> {
  const reader = new BoundedReader(handle, fileSize, fileName);
  if (fileSize < 8 || (await reader.u32()) !== GGUF_MAGIC) {
    throw new AppError("NOT_GGUF", `${fileName} is not a GGUF model file. Hearth runs models in the GGUF format (.gguf).`);
  }
  const version = await reader.u32();
  if (version !== 2 && version !== 3) {
    throw new AppError(
      "NOT_GGUF",
      `${fileName} uses GGUF version ${version}, which Hearth cannot read. Look for a newer conversion of this model.`,
    );
  }
  const tensorCount = reader.count(await reader.u64(), ggufLimits.tensors, MIN_TENSOR_INFO_BYTES, "tensors");
  const keyValueCount = reader.count(await reader.u64(), ggufLimits.keyValues, MIN_KEY_VALUE_BYTES, "metadata entries");

  for (let i = 0; i < keyValueCount; i++) {
    await reader.skipString(ggufLimits.keyBytes, "a metadata key");
    const type = await reader.u32();
    if (type === ValueType.Array) await skipArray(reader);
    else await skipValue(reader, type);
  }
  for (let i = 0; i < tensorCount; i++) {
    await reader.skipString(ggufLimits.tensorNameBytes, "a tensor name");
    const dims = await reader.u32();
    if (dims < 1 || dims > ggufLimits.tensorDims) reader.damaged(`a tensor with ${dims} dimensions`);
    let elements = 1;
    for (let d = 0; d < dims; d++) {
      const size = await reader.u64();
      elements *= Number(size);
      if (!Number.isSafeInteger(elements)) reader.damaged("a tensor of more than 2^53 elements");
    }
    await reader.skip(4 + 8); // type, offset: the full parser and the size check judge them
  }
  return { version, tensorCount, keyValueCount, headerBytes: reader.position };
}

async function skipValue(reader: BoundedReader, type: number): Promise<void> {
  if (type === ValueType.String) return reader.skipString(ggufLimits.stringBytes, "a metadata string");
  const size = fixedSizes[type];
  if (size === undefined) reader.damaged(`a metadata value of unknown type ${type}`);
  await reader.skip(size);
}

/** Arrays of arrays are refused: llama.cpp does not read them, and nesting multiplies what a count can claim. */
async function skipArray(reader: BoundedReader): Promise<void> {
  const itemType = await reader.u32();
  if (itemType === ValueType.Array) reader.damaged("an array of arrays");
  const itemSize = itemType === ValueType.String ? 8 : fixedSizes[itemType];
  if (itemSize === undefined) reader.damaged(`an array of unknown type ${itemType}`);
  const count = reader.count(await reader.u64(), ggufLimits.arrayItems, itemSize, "array items");
  if (itemType !== ValueType.String) return reader.skip(count * itemSize);
  for (let i = 0; i < count; i++) {
    // Vocabularies hold hundreds of thousands of strings: skip buffered ones without a promise each.
    if (!reader.skipBufferedString(ggufLimits.stringBytes, "a metadata string")) {
      await reader.skipString(ggufLimits.stringBytes, "a metadata string");
    }
  }
}

/** Sequential little-endian reads through one fixed buffer; every step is checked against the file's end. */
class BoundedReader {
  position = 0;
  private readonly buffer = Buffer.alloc(CHUNK_BYTES);
  private bufferStart = 0;
  private bufferEnd = 0;

  constructor(
    private readonly handle: GgufByteSource,
    private readonly fileSize: number,
    private readonly fileName: string,
  ) {}

  async u32(): Promise<number> {
    await this.fill(4);
    const value = this.buffer.readUInt32LE(this.position - this.bufferStart);
    this.position += 4;
    return value;
  }

  async u64(): Promise<bigint> {
    await this.fill(8);
    const value = this.buffer.readBigUInt64LE(this.position - this.bufferStart);
    this.position += 8;
    return value;
  }

  /** A declared count: over `limit` is damage; more than the rest of the file can hold is a cut-off file. */
  count(declared: bigint, limit: number, minItemBytes: number, what: string): number {
    if (declared > BigInt(limit)) this.damaged(`${declared} ${what} (no real model has more than ${limit})`);
    const count = Number(declared);
    if (count * minItemBytes > this.fileSize - this.position) this.truncated();
    return count;
  }

  async skipString(limit: number, what: string): Promise<void> {
    const length = await this.u64();
    if (length > BigInt(limit)) this.damaged(`${what} of ${length} bytes`);
    await this.skip(Number(length));
  }

  /** skipString without awaiting, when the length is already in the buffer; false when it is not. */
  skipBufferedString(limit: number, what: string): boolean {
    if (this.position < this.bufferStart || this.position + 8 > this.bufferEnd) return false;
    const length = this.buffer.readBigUInt64LE(this.position - this.bufferStart);
    this.position += 8;
    if (length > BigInt(limit)) this.damaged(`${what} of ${length} bytes`);
    this.ensureInFile(Number(length));
    this.position += Number(length);
    return true;
  }

  async skip(bytes: number): Promise<void> {
    this.ensureInFile(bytes);
    this.position += bytes;
  }

  damaged(what: string): never {
    throw new AppError(
      "DAMAGED_MODEL",
      `${this.fileName} is damaged: its GGUF header declares ${what}. Hearth did not load it. ` +
        "Get the model again from a source you trust.",
    );
  }

  private truncated(): never {
    throw new AppError(
      "GGUF_TRUNCATED",
      `${this.fileName} looks like a GGUF file but its header is damaged or incomplete (an unfinished download?).`,
    );
  }

  private ensureInFile(bytes: number): void {
    const end = this.position + bytes;
    if (end > ggufLimits.headerBytes) this.damaged(`a header of more than ${ggufLimits.headerBytes} bytes`);
    if (end > this.fileSize) this.truncated();
  }

  /** Makes the next `bytes` (at most 8) readable from the buffer, reading the next chunk when needed. */
  private async fill(bytes: number): Promise<void> {
    this.ensureInFile(bytes);
    if (this.position >= this.bufferStart && this.position + bytes <= this.bufferEnd) return;
    const length = Math.min(CHUNK_BYTES, this.fileSize - this.position);
    const { bytesRead } = await this.handle.read(this.buffer, 0, length, this.position);
    this.bufferStart = this.position;
    this.bufferEnd = this.position + bytesRead;
    if (bytesRead < bytes) this.truncated(); // the file shrank while we read it
  }
}
