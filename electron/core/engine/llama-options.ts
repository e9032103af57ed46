import { LlamaLogLevel, type LlamaOptions } from "node-llama-cpp";
import type { Logger } from "../core-types.js";

/**
 * The options of Hearth's one getLlama() call. `build: "never"` in every mode: node-llama-cpp's default outside
 * Electron ("auto") may download llama.cpp's source and build it when no prebuilt binary fits, a download nobody
 * asked for and a compiler run; Hearth ships the prebuilt binaries and uses only them. Scripts and tests use it too.
 */
export function llamaOptions(options: { gpu?: "auto" | false; logger?: Logger; logLevel?: LlamaLogLevel } = {}): LlamaOptions {
  const { logger } = options;
  return {
    gpu: options.gpu ?? "auto",
    build: "never",
    // Belt and braces: never fetch llama.cpp's source, whatever `build` a future default would imply.
    skipDownload: true,
    logLevel: options.logLevel ?? LlamaLogLevel.warn,
    logger: (level, message) => {
      const text = message.trim();
      if (!text) return;
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) logger?.error(text);
      else logger?.warn(text);
    },
  };
}
