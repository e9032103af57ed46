import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, readGgufFileInfo, type GgufFileInfo, type Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Fit } from "../../contract/index.js";
import { llamaOptions } from "../engine/llama-options.js";
import { llama32OneBShape } from "../../../scripts/make-bench-model.js";
import { llama32ThreeBShape, qwen3EightBLikeShape, vocabSizes, writeSparseModel } from "../../../test/fixtures/gguf-shapes.js";
import { estimateFit, machineResources, recommendFile, type MachineResources } from "./fit.js";

const GiB = 1024 ** 3;
const cpuOnly = (ramGiB: number): MachineResources => ({
  ram: { total: ramGiB * GiB, free: ramGiB * GiB },
  vram: { total: 0, free: 0 },
});
const withGpu = (ramGiB: number, vramGiB: number, unifiedMemory = false): MachineResources => ({
  ram: { total: ramGiB * GiB, free: ramGiB * GiB },
  vram: { total: vramGiB * GiB, free: vramGiB * GiB },
  unifiedMemory,
});

let dir: string;
let llama: Llama;
const models: Record<"1b-q4" | "3b-q8" | "8b-q4" | "8b-q8", GgufFileInfo> = {} as never;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "hearth-fit-"));
  llama = await getLlama(llamaOptions({ gpu: false }));
  const shapes = [
    ["1b-q4", llama32OneBShape, "q4_0", vocabSizes.llama3],
    ["3b-q8", llama32ThreeBShape, "q8_0", vocabSizes.llama3],
    ["8b-q4", qwen3EightBLikeShape, "q4_0", vocabSizes.qwen3],
    ["8b-q8", qwen3EightBLikeShape, "q8_0", vocabSizes.qwen3],
  ] as const;
  for (const [key, shape, weightType, vocab] of shapes) {
    const file = path.join(dir, `${key}.gguf`);
    await writeSparseModel(file, shape, { name: key, weightType, vocab });
    models[key] = await readGgufFileInfo(file, { readTensorInfo: true, logWarnings: false });
  }
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("estimateFit", () => {
  test("an 8B Q4 model does not fit 4 GiB of RAM without a GPU", async () => {
    const fit = await estimateFit(llama, models["8b-q4"], 4096, cpuOnly(4));
    expect(fit).toMatchObject({ verdict: "no", label: "Won't fit", gpuLayers: 0, totalLayers: 37 });
    expect(fit.ramBytes).toBeGreaterThan(4 * GiB);
    expect(fit.detail).toMatch(/more than this machine has \(4\.0 GiB of RAM, no GPU\)/);
  });

  test("an 8B Q4 model fits 16 GiB of RAM without a GPU", async () => {
    const fit = await estimateFit(llama, models["8b-q4"], 4096, cpuOnly(16));
    expect(fit).toMatchObject({ verdict: "ram", label: "Fits in RAM", gpuLayers: 0, vramBytes: 0, contextSize: 4096 });
    // 36 layers of Q4_0 weights plus a Q8_0 output layer: about 4.6 GiB, plus the context.
    expect(fit.ramBytes).toBeGreaterThan(4.5 * GiB);
    expect(fit.ramBytes).toBeLessThan(8 * GiB);
    expect(fit.detail).toMatch(/^Needs about \d+\.\d GiB of RAM for a 4,096-token context; this machine has 16 GiB/);
  });

  test("a 1B model fits entirely in 8 GiB of VRAM", async () => {
    const fit = await estimateFit(llama, models["1b-q4"], 4096, withGpu(16, 8));
    expect(fit).toMatchObject({ verdict: "gpu", label: "Fits in GPU", totalLayers: 17, gpuLayers: 17 });
    expect(fit.vramBytes).toBeGreaterThan(0.5 * GiB);
    expect(fit.vramBytes).toBeLessThan(8 * GiB);
    expect(fit.detail).toMatch(/GiB of GPU memory/);
  });

  test("an 8B Q8 model is split between 6 GiB of VRAM and RAM", async () => {
    const fit = await estimateFit(llama, models["8b-q8"], 4096, withGpu(32, 6));
    expect(fit).toMatchObject({ verdict: "partial", label: "Slow (partial offload)", totalLayers: 37 });
    expect(fit.gpuLayers).toBeGreaterThan(0);
    expect(fit.gpuLayers).toBeLessThan(37);
    expect(fit.vramBytes).toBeLessThanOrEqual(6 * GiB);
    expect(fit.detail).toMatch(new RegExp(`^Only ${fit.gpuLayers} of 37 layers fit`));
  });

  test("a 3B Q8 model fits a CPU-only laptop with 8 GiB, and the same model goes to a large GPU", async () => {
    expect((await estimateFit(llama, models["3b-q8"], 4096, cpuOnly(8))).verdict).toBe("ram");
    expect((await estimateFit(llama, models["3b-q8"], 4096, withGpu(32, 24))).verdict).toBe("gpu");
  });

  test("on unified memory, one pool holds it all", async () => {
    expect((await estimateFit(llama, models["8b-q4"], 4096, withGpu(16, 16, true))).verdict).toBe("gpu");
    expect((await estimateFit(llama, models["8b-q8"], 4096, withGpu(8, 8, true))).verdict).toBe("no");
  });

  test("a larger context needs more memory, and the context is capped at what the model was trained for", async () => {
    const small = await estimateFit(llama, models["8b-q4"], 2048, cpuOnly(64));
    const large = await estimateFit(llama, models["8b-q4"], 32_768, cpuOnly(64));
    expect(large.ramBytes - small.ramBytes).toBeGreaterThan(3 * GiB); // the KV cache: 36 layers x 8 heads x 128 x 2 x f16
    const capped = await estimateFit(llama, models["8b-q4"], 1_000_000, cpuOnly(64));
    expect(capped.contextSize).toBe(40_960);
  });
});

describe("machineResources", () => {
  test("reads RAM from node-llama-cpp, no VRAM without a GPU, and takes overrides", async () => {
    const machine = await machineResources(llama);
    expect(machine.ram.total).toBeGreaterThan(0);
    expect(machine.vram).toEqual({ total: 0, free: 0 });
    expect(machine.unifiedMemory).toBe(false);
    const simulated = await machineResources(llama, { vram: { total: 8 * GiB, free: 7 * GiB } });
    expect(simulated.vram.total).toBe(8 * GiB);
    expect(simulated.ram.total).toBe(machine.ram.total);
  });
});

describe("recommendFile", () => {
  const fit = (verdict: Fit["verdict"]): Fit => ({
    verdict,
    label: "",
    contextSize: 4096,
    gpuLayers: 0,
    totalLayers: 1,
    ramBytes: 0,
    vramBytes: 0,
    detail: "",
  });
  const file = (quantization: string | null, sizeBytes = 1) => ({ fileName: `m-${quantization ?? "x"}.gguf`, quantization, sizeBytes });
  const pickQuant = (entries: [string | null, Fit["verdict"]][]) =>
    recommendFile(entries.map(([q, v]) => ({ file: file(q), fit: fit(v) })))?.file.quantization;

  test("on a CPU, Q4_K_M over both smaller and larger files", () => {
    expect(pickQuant([["Q2_K", "ram"], ["Q3_K_M", "ram"], ["Q4_K_M", "ram"], ["Q6_K", "ram"], ["Q8_0", "ram"]])).toBe("Q4_K_M");
    expect(pickQuant([["Q2_K", "ram"], ["Q3_K_L", "ram"], ["Q8_0", "ram"]])).toBe("Q3_K_L");
    expect(pickQuant([["Q6_K", "ram"], ["Q8_0", "ram"], ["F16", "ram"]])).toBe("Q6_K");
  });

  test("all on the GPU beats all in RAM, which beats a partial offload; there, up to Q8_0", () => {
    expect(pickQuant([["Q4_K_M", "gpu"], ["Q6_K", "gpu"], ["Q8_0", "gpu"], ["F16", "gpu"]])).toBe("Q8_0");
    expect(pickQuant([["Q2_K", "gpu"], ["Q4_K_M", "partial"], ["Q8_0", "partial"]])).toBe("Q2_K");
    expect(pickQuant([["Q4_K_M", "ram"], ["Q3_K_M", "gpu"], ["Q8_0", "no"]])).toBe("Q3_K_M");
    expect(pickQuant([["Q4_K_M", "partial"], ["Q8_0", "partial"]])).toBe("Q4_K_M");
  });

  test("nothing when nothing fits; unknown quantizations last; the name is parsed when the field is empty", () => {
    expect(pickQuant([["Q4_K_M", "no"]])).toBeUndefined();
    expect(pickQuant([["WEIRD", "ram"], ["Q3_K_M", "ram"]])).toBe("Q3_K_M");
    expect(pickQuant([["WEIRD", "ram"]])).toBe("WEIRD");
    const picked = recommendFile([
      { file: { fileName: "a-Q2_K.gguf", quantization: null }, fit: fit("ram") },
      { file: { fileName: "a-Q4_K_M.gguf", quantization: null }, fit: fit("ram") },
    ]);
    expect(picked?.file.fileName).toBe("a-Q4_K_M.gguf");
  });
});
