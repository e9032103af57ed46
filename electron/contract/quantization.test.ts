import { describe, expect, test } from "vitest";
import { parseQuantization, quantizationQuality } from "./quantization.js";

describe("parseQuantization", () => {
  test.each([
    ["Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M"],
    ["qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf", "Q4_K_M"],
    ["Qwen3-8B-UD-Q4_K_XL.gguf", "Q4_K_XL"],
    ["gemma-3-4b-it-bf16.gguf", "BF16"],
    ["gemma-3-1b-it-f16.gguf", "F16"],
    ["model.fp16.gguf", "F16"],
    ["Mistral-7B-Instruct-v0.3-IQ4_XS.gguf", "IQ4_XS"],
    ["phi-4-mini-IQ3_XXS.gguf", "IQ3_XXS"],
    ["stories_q8_0.gguf", "Q8_0"],
    ["Q5_K_S/model-Q5_K_S-00002-of-00003.gguf", "Q5_K_S"],
    ["tiny-Q4_0_4_4.gguf", "Q4_0_4_4"],
    ["gpt-oss-20b-MXFP4.gguf", "MXFP4"],
    ["stories260K.gguf", null],
    ["plain.gguf", null],
  ])("%s -> %s", (name, expected) => {
    expect(parseQuantization(name)).toBe(expected);
  });
});

test("quality order: more bits first, newer schemes over legacy ones, unknown last", () => {
  const order = ["F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS", "Q4_0", "Q3_K_M", "Q2_K", "IQ1_S"];
  const qualities = order.map(quantizationQuality);
  expect([...qualities].sort((a, b) => b - a)).toEqual(qualities);
  expect(quantizationQuality("q4_k_m")).toBe(quantizationQuality("Q4_K_M"));
  expect(quantizationQuality("Q4_0_4_4")).toBe(quantizationQuality("Q4_0"));
  expect(quantizationQuality("NEW_Q9")).toBe(-1);
  expect(quantizationQuality(null)).toBe(-1);
});
