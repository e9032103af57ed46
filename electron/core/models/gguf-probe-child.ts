/**
 * Reads one GGUF header in a process of its own: node-llama-cpp's parser trusts the counts and lengths in the
 * file, so a crafted header can exhaust memory or abort V8 ("invalid size"), which no try/catch survives. The
 * parent gives this process a small heap and a deadline and reads one message: a summary, or why parsing failed.
 * Started by Node's fork (process.send) or Electron's utilityProcess (process.parentPort); the file is the last
 * argument.
 */
import { GgufInsights, readGgufFileInfo } from "node-llama-cpp";
import type { GgufProbeMessage } from "./gguf-probe.js";

type ParentPort = { postMessage(message: unknown): void };

function send(message: GgufProbeMessage): void {
  const port = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (port) port.postMessage(message);
  else process.send?.(message);
}

async function probe(file: string): Promise<GgufProbeMessage> {
  const info = await readGgufFileInfo(file, { readTensorInfo: true, logWarnings: false, spliceSplitFiles: true });
  if (!info.metadata?.general || !info.tensorInfo) throw new Error("GGUF header without metadata or tensors");
  // No Llama passed: node-llama-cpp loads its slim instance (no backend, no GPU) for type sizes and architectures.
  const insights = await GgufInsights.from(info);
  const general = info.metadata.general;
  const fileType = general.file_type;
  const chatTemplate: unknown = info.metadata.tokenizer?.chat_template;
  return {
    ok: true,
    summary: {
      architecture: String(general.architecture ?? "unknown").slice(0, 100),
      name: String(general.name ?? "").slice(0, 200),
      fileType: typeof fileType === "number" ? fileType : null,
      parameters: insights.totalParameters,
      trainContextSize: insights.trainContextSize ?? null,
      modelSize: insights.modelSize,
      infoEndOffset: info.infoEndOffset ?? 0,
      splicedParts: info.splicedParts,
      supported: insights.isSupportedByLlamaCpp,
      hasChatTemplate: typeof chatTemplate === "string",
    },
  };
}

const file = process.argv.at(-1) ?? "";
probe(file).then(send, (error: unknown) => {
  send({ ok: false, reason: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
});
