import { describe, expect, it } from "vitest";
import { modelLabels } from "./model-labels.js";

const model = (id: string, name: string, quantization: string | null, path: string) => ({
  id,
  name,
  quantization,
  repo: null,
  path,
  source: "imported" as const,
});

describe("modelLabels", () => {
  it("adds the quantization unless the name has it", () => {
    expect(modelLabels([model("a", "Qwen3 4B", "Q4_K_M", "/m/a.gguf"), model("b", "Qwen3 4B Q8_0", "Q8_0", "/m/b.gguf")])).toEqual({
      a: "Qwen3 4B · Q4_K_M",
      b: "Qwen3 4B Q8_0",
    });
  });

  it("tells apart models that would read the same by their file", () => {
    expect(modelLabels([model("a", "llama", null, "/x/stories.gguf"), model("b", "llama", null, "C:\\m\\other.gguf"), model("c", "Phi", null, "/p.gguf")])).toEqual({
      a: "llama (imported stories.gguf)",
      b: "llama (imported other.gguf)",
      c: "Phi",
    });
  });

  it("tells apart one model from two sources: the hub repository, or the imported file with its folder", () => {
    const downloaded = { ...model("a", "Qwen3 4B", "Q4_K_M", "/data/models/qwen/Qwen3-4B-GGUF/qwen3-4b-q4_k_m.gguf"), source: "downloaded" as const, repo: "qwen/Qwen3-4B-GGUF" };
    const mirror = { ...downloaded, id: "b", repo: "unsloth/Qwen3-4B-GGUF" };
    const imported = model("c", "Qwen3 4B", "Q4_K_M", "/home/me/models/qwen3-4b-q4_k_m.gguf");
    const otherCopy = model("d", "Qwen3 4B", "Q4_K_M", "/home/me/old/qwen3-4b-q4_k_m.gguf");
    expect(modelLabels([downloaded, mirror, imported, otherCopy])).toEqual({
      a: "Qwen3 4B · Q4_K_M (qwen/Qwen3-4B-GGUF)",
      b: "Qwen3 4B · Q4_K_M (unsloth/Qwen3-4B-GGUF)",
      c: "Qwen3 4B · Q4_K_M (imported models/qwen3-4b-q4_k_m.gguf)",
      d: "Qwen3 4B · Q4_K_M (imported old/qwen3-4b-q4_k_m.gguf)",
    });
  });
});
