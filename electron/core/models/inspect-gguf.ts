import path from "node:path";
import { GgufFileType } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";
import { checkGgufBounds } from "./gguf-bounds.js";
import { probeGguf, type GgufProbeOptions } from "./gguf-probe.js";
import { openModelFile } from "./open-model-file.js";
import { splitParts } from "./split-parts.js";

export type GgufSummary = {
  name: string;
  path: string;
  sizeBytes: number;
  architecture: string;
  parameters: number | null;
  quantization: string | null;
  trainContextLength: number | null;
  hasChatTemplate: boolean;
};

/**
 * Everything we check before a file is registered: it is a regular file, it is GGUF, its header is within sane
 * bounds (our own walk, before any parser trusts it), it parses (in a child process with memory and time limits:
 * GGUF files come from strangers), all tensor data is present (a cut-off download is caught here, not at load
 * time), and llama.cpp knows its architecture.
 */
export async function inspectGguf(filePath: string, options: GgufProbeOptions = {}): Promise<GgufSummary> {
  const absolute = path.resolve(filePath);
  const fileName = path.basename(absolute);
  const sizeBytes = await checkGgufFile(absolute);
  const info = await probeGguf(absolute, fileName, options);

  const expectedBytes = info.infoEndOffset + info.modelSize;
  // Split models (-00001-of-0000N) spread tensors over parts; only a single file can be checked against its size.
  if (info.splicedParts <= 1 && sizeBytes < expectedBytes) {
    throw new AppError(
      "GGUF_TRUNCATED",
      `${fileName} is incomplete: it has ${sizeBytes} bytes but its header describes ${expectedBytes}. ` +
        "Download it again.",
    );
  }

  const { architecture } = info;
  if (!info.supported) {
    throw new AppError(
      "UNSUPPORTED_ARCHITECTURE",
      `${fileName} uses the "${architecture}" architecture, which this version of Hearth's engine cannot run.`,
    );
  }

  const { fileType } = info;
  return {
    name: displayName(info.name, architecture, fileName),
    path: absolute,
    sizeBytes,
    architecture,
    parameters: info.parameters > 0 ? info.parameters : null,
    quantization: fileType != null ? (GgufFileType[fileType] ?? String(fileType)).replace(/^MOSTLY_/, "") : null,
    trainContextLength: info.trainContextSize,
    hasChatTemplate: info.hasChatTemplate,
  };
}

/**
 * Our own bounds walk of a GGUF file's header, and of every part of a split model (node-llama-cpp's parser reads
 * them all), through openModelFile's refusals. Call it before anything parses a file in this process. Returns the
 * size of `absolute`.
 */
export async function checkGgufFile(absolute: string): Promise<number> {
  let sizeBytes = 0;
  for (const part of [absolute, ...splitParts(absolute).filter((p) => p !== absolute)]) {
    const { handle, size } = await openModelFile(part);
    try {
      await checkGgufBounds(handle, size, path.basename(part));
    } finally {
      await handle.close();
    }
    if (part === absolute) sizeBytes = size;
  }
  return sizeBytes;
}

/** The header's name, unless it is empty or just the architecture ("llama"): then the file's name says more. */
function displayName(headerName: string, architecture: string, fileName: string): string {
  const name = headerName.trim();
  if (name && name.toLowerCase() !== architecture.toLowerCase()) return name;
  return fileName.replace(/\.gguf$/i, "");
}
