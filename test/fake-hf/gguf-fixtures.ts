import fs from "node:fs";

const GGUF_STRING = 8;
/** Every power-of-two alignment up to this divides the inserted size, so tensor data stays aligned. */
const INSERT_ALIGNMENT = 4096;

/**
 * A valid GGUF larger than `minBytes`: the source file with one extra string metadata entry (`hearth.test.padding`)
 * inserted before the others. The tensor data start moves by a multiple of the alignment and tensor offsets are
 * relative to it, so the model is unchanged. Used where a test needs a file spanning several download chunks.
 */
export function paddedGguf(sourcePath: string, minBytes: number): Buffer {
  const source = fs.readFileSync(sourcePath);
  if (source.toString("ascii", 0, 4) !== "GGUF" || source.readUInt32LE(4) < 2) throw new Error("GGUF v2+ expected");
  const key = Buffer.from("hearth.test.padding", "utf8");
  const fixed = 8 + key.length + 4 + 8;
  let total = Math.max(minBytes - source.length, 1024) + fixed;
  total = Math.ceil(total / INSERT_ALIGNMENT) * INSERT_ALIGNMENT;
  const entry = Buffer.alloc(total, 0x20);
  let offset = entry.writeBigUInt64LE(BigInt(key.length), 0);
  offset += key.copy(entry, offset);
  offset = entry.writeUInt32LE(GGUF_STRING, offset);
  entry.writeBigUInt64LE(BigInt(total - fixed), offset);

  const header = Buffer.from(source.subarray(0, 24));
  header.writeBigUInt64LE(header.readBigUInt64LE(16) + 1n, 16);
  return Buffer.concat([header, entry, source.subarray(24)]);
}

/** Cuts bytes into `parts` nearly equal pieces (a byte split, not a llama.cpp tensor split). */
export function splitBytes(data: Buffer, parts: number): Buffer[] {
  const size = Math.ceil(data.length / parts);
  return Array.from({ length: parts }, (_, i) => data.subarray(i * size, Math.min(data.length, (i + 1) * size)));
}
