import { AppError } from "../../contract/index.js";
import { checkGgufBounds, type GgufByteSource } from "./gguf-bounds.js";
import { splitParts } from "./split-parts.js";

/** A split model with more parts than this is not a real model (the largest published ones have a few dozen). */
const MAX_REMOTE_PARTS = 256;

/**
 * Runs the same bounded walk as for a local file over a remote GGUF file, with HTTP Range requests, before
 * node-llama-cpp's reader (in this process) parses its header: a hostile repository cannot declare 2^33 array items
 * or 2^62 entries and take the app down. Uses the global fetch, so call it inside an egress gate hub transfer.
 */
export async function checkRemoteGgufBounds(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
  const parts = splitParts(url);
  if (parts.length > MAX_REMOTE_PARTS) {
    throw new AppError("DAMAGED_MODEL", `${fileNameOf(url)} claims to be split into ${parts.length} parts; Hearth did not read it.`);
  }
  for (const part of parts) {
    const source = new RangeSource(part, headers, signal);
    const size = await source.size();
    await checkGgufBounds(source, size, fileNameOf(part));
  }
}

function fileNameOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? url);
  } catch {
    return url;
  }
}

/** The first range read; each next one doubles, up to the walk's own chunk. Most headers are a few hundred KB. */
const FIRST_RANGE_BYTES = 64 * 1024;

/**
 * Reads byte ranges of one remote file; never keeps more of a reply than the range it asked for. Ranges start small
 * and grow, so a small header costs a small read and a large one (a 250k-token vocabulary) few requests.
 */
class RangeSource implements GgufByteSource {
  private nextRangeBytes = FIRST_RANGE_BYTES;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The file's total size, from the Content-Range of a one-byte range. */
  async size(): Promise<number> {
    const response = await this.range(0, 0);
    await response.body?.cancel();
    const total = Number(/\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1] ?? NaN);
    if (!Number.isSafeInteger(total)) {
      throw new Error(`Failed to fetch byte range: ${response.status} (no file size in the reply)`);
    }
    return total;
  }

  async read(buffer: Buffer, offset: number, requested: number, position: number): Promise<{ bytesRead: number }> {
    // The walk accepts fewer bytes than it asked for, as long as what it needs next is there.
    const length = Math.min(requested, this.nextRangeBytes);
    this.nextRangeBytes *= 2;
    const response = await this.range(position, position + length - 1);
    let bytesRead = 0;
    const reader = response.body?.getReader();
    try {
      while (reader && bytesRead < length) {
        const { done, value } = await reader.read();
        if (done) break;
        const take = Math.min(value.byteLength, length - bytesRead);
        buffer.set(value.subarray(0, take), offset + bytesRead);
        bytesRead += take;
      }
    } finally {
      await reader?.cancel().catch(() => {});
    }
    return { bytesRead };
  }

  private async range(start: number, end: number): Promise<Response> {
    const response = await fetch(this.url, {
      headers: { ...this.headers, range: `bytes=${start}-${end}` },
      ...(this.signal ? { signal: this.signal } : {}),
    });
    // A server that ignores Range would send the whole model; only a partial reply is read.
    if (response.status !== 206) {
      await response.body?.cancel();
      throw new Error(`Failed to fetch byte range: ${response.status}`);
    }
    return response;
  }
}
