import { describe, expect, it } from "vitest";
import type { AppError, ModelInfo } from "../../api/contract.js";
import { importFormReducer, initialImportForm } from "./import-form-state.js";

const model = { id: "m1", name: "Qwen3 4B", quantization: "Q4_K_M", sizeBytes: 2_500_000_000 } as ModelInfo;
const failure = { code: "NOT_GGUF", message: "That is not a GGUF file.", retryable: false } as AppError;

describe("the import form", () => {
  it("confirms what was added: name, quantization and size", () => {
    const state = importFormReducer(initialImportForm, { type: "done", result: { ok: true, model, alreadyListed: false } });
    expect(state.added).toBe("Added Qwen3 4B (Q4_K_M, 2.5 GB) to My models. Start a chat with it, or pick it in any chat's model list.");
    expect(state.path).toBe("");
  });

  it("says when the path was already installed instead of claiming it added something", () => {
    const state = importFormReducer(initialImportForm, { type: "done", result: { ok: true, model, alreadyListed: true } });
    expect(state.added).toBe("Already installed as Qwen3 4B; nothing new was added.");
  });

  it("clears the error (and a confirmation) as soon as the path changes", () => {
    let state = importFormReducer({ ...initialImportForm, path: "/tmp/x.txt" }, { type: "start" });
    state = importFormReducer(state, { type: "done", result: { ok: false, error: failure } });
    expect(state).toMatchObject({ error: failure, busy: false, path: "/tmp/x.txt" });
    state = importFormReducer(state, { type: "edit", path: "/tmp/x.gguf" });
    expect(state).toEqual({ path: "/tmp/x.gguf", busy: false, error: null, added: null });
  });

  it("ends a cancelled file dialog with nothing to say", () => {
    const state = importFormReducer(importFormReducer(initialImportForm, { type: "start" }), { type: "done", result: { ok: false, error: null } });
    expect(state).toEqual(initialImportForm);
  });
});
