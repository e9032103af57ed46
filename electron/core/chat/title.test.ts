import { describe, expect, it } from "vitest";
import { titleFromPrompt } from "./title.js";

describe("titleFromPrompt", () => {
  it("uses the first non-empty line with whitespace collapsed", () => {
    expect(titleFromPrompt("\n\n  Summarise   this\tcontract \nplease")).toBe("Summarise this contract");
  });
  it("cuts long prompts at a word boundary with an ellipsis", () => {
    const title = titleFromPrompt("Explain the difference between a revocable and an irrevocable trust for my client");
    expect(title.length).toBeLessThanOrEqual(61);
    expect(title.endsWith("…")).toBe(true);
    expect(title).toBe("Explain the difference between a revocable and an…");
  });
  it("falls back to New chat for blank prompts", () => {
    expect(titleFromPrompt("   \n ")).toBe("New chat");
  });
});
