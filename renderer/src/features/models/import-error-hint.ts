import type { AppErrorCode } from "../../api/contract.js";

/** The way forward for each thing that can go wrong when importing a model file. */
export function importErrorHint(code: AppErrorCode): string | null {
  // The core's message already says what happened; these add the next step, without repeating it.
  switch (code) {
    case "NOT_GGUF":
      return "Look for a file whose name ends in .gguf. Other formats (such as .safetensors) must be converted first.";
    case "GGUF_TRUNCATED":
      return "If the file is still downloading, wait for it to finish and import it again.";
    case "DAMAGED_MODEL":
      return "Delete this copy and get the model again from its original page or the catalog.";
    case "UNSUPPORTED_ARCHITECTURE":
      return "Models based on Llama, Qwen, Mistral, Gemma or Phi are a safe choice.";
    case "INSUFFICIENT_MEMORY":
      return "Close other apps, or choose a smaller model or quantization (such as Q4_K_M).";
    case "ALREADY_INSTALLED":
      return "Nothing was added: the model is in My models already.";
    case "INVALID_INPUT":
      return "Enter the full path to a .gguf file on this computer.";
    default:
      return null;
  }
}
