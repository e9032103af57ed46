import { describe, expect, it } from "vitest";
import { llamaOptions } from "./llama-options.js";

describe("getLlama options", () => {
  it.each([["auto" as const], [false as const], [undefined]])("never build or download llama.cpp (gpu %s)", (gpu) => {
    const options = llamaOptions({ gpu });
    expect(options.build).toBe("never");
    expect(options.skipDownload).toBe(true);
    expect(options.gpu).toBe(gpu ?? "auto");
  });
});
