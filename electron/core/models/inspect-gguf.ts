import fs from "node:fs/promises";
import path from "node:path";
import { GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";

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

const GGUF_MAGIC = Buffer.from("GGUF", "ascii");

/**
 * Everything we check before a file is registered: it exists, is GGUF, its header parses, all tensor data is
 * present (a cut-off download is caught here, not at load time), and llama.cpp knows its architecture.
 */
export async function inspectGguf(llama: Llama, filePath: string): Promise<GgufSummary> {
  const absolute = path.resolve(filePath);
  const fileName = path.basename(absolute);
  let stat;
  try {
    stat = await fs.stat(absolute);
  } catch (cause) {
    throw new AppError("MODEL_FILE_MISSING", `No file at ${absolute}. Check the path and try again.`, { cause });
  }
  if (!stat.isFile()) throw new AppError("MODEL_FILE_MISSING", `${absolute} is a folder, not a model file.`);

  const head = Buffer.alloc(4);
  const handle = await fs.open(absolute, "r");
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!head.equals(GGUF_MAGIC)) {
    throw new AppError("NOT_GGUF", `${fileName} is not a GGUF model file. Hearth runs models in the GGUF format (.gguf).`);
  }

  let info: GgufFileInfo;
  let insights: GgufInsights;
  try {
    info = await readGgufFileInfo(absolute, { readTensorInfo: true, logWarnings: false, spliceSplitFiles: true });
    if (!info.metadata?.general || !info.tensorInfo) throw new Error("GGUF header without metadata or tensors");
    insights = await GgufInsights.from(info, llama);
  } catch (cause) {
    throw new AppError(
      "GGUF_TRUNCATED",
      `${fileName} looks like a GGUF file but its header is damaged or incomplete (an unfinished download?).`,
      { cause },
    );
  }

  const tensorDataStart = info.infoEndOffset ?? 0;
  const expectedBytes = tensorDataStart + insights.modelSize;
  // Split models (-00001-of-0000N) spread tensors over parts; only a single file can be checked against its size.
  if (info.splicedParts <= 1 && stat.size < expectedBytes) {
    throw new AppError(
      "GGUF_TRUNCATED",
      `${fileName} is incomplete: it has ${stat.size} bytes but its header describes ${expectedBytes}. ` +
        "Download it again.",
    );
  }

  const architecture = String(info.metadata?.general?.architecture ?? "unknown");
  if (!insights.isSupportedByLlamaCpp) {
    throw new AppError(
      "UNSUPPORTED_ARCHITECTURE",
      `${fileName} uses the "${architecture}" architecture, which this version of Hearth's engine cannot run.`,
    );
  }

  const general = info.metadata.general;
  const fileType = general?.file_type;
  return {
    name: displayName(String(general?.name ?? ""), architecture, fileName),
    path: absolute,
    sizeBytes: stat.size,
    architecture,
    parameters: insights.totalParameters > 0 ? insights.totalParameters : null,
    quantization: fileType != null ? (GgufFileType[fileType] ?? String(fileType)).replace(/^MOSTLY_/, "") : null,
    trainContextLength: insights.trainContextSize ?? null,
    hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === "string",
  };
}

/** The header's name, unless it is empty or just the architecture ("llama"): then the file's name says more. */
function displayName(headerName: string, architecture: string, fileName: string): string {
  const name = headerName.trim();
  if (name && name.toLowerCase() !== architecture.toLowerCase()) return name;
  return fileName.replace(/\.gguf$/i, "");
}
