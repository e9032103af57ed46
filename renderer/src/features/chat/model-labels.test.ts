import { describe, expect, it } from "vitest";
import { modelLabels } from "./model-labels.js";

const model = (id: string, name: string, quantization: string | null, path: string) => ({ id, name, quantization, repo: null, path });

describe("modelLabels", () => {
  it("adds the quantization unless the name has it", () => {
    expect(modelLabels([model("a", "Qwen3 4B", "Q4_K_M", "/m/a.gguf"), model("b", "Qwen3 4B Q8_0", "Q8_0", "/m/b.gguf")])).toEqual({
      a: "Qwen3 4B · Q4_K_M",
      b: "Qwen3 4B Q8_0",
    });
  });

  it("tells apart models that would read the same by their file", () => {
    expect(modelLabels([model("a", "llama", null, "/x/stories.gguf"), model("b", "llama", null, "C:\\m\\other.gguf"), model("c", "Phi", null, "/p.gguf")])).toEqual({
      a: "llama (stories.gguf)",
      b: "llama (other.gguf)",
      c: "Phi",
    });
  });
});
