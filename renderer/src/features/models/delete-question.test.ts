import { describe, expect, it } from "vitest";
import { deleteQuestion } from "./delete-question.js";

const model = { name: "Qwen3 4B Q4_K_M", sizeBytes: 2_497_000_000, path: "/data/models/qwen3-4b-q4_k_m.gguf", usedBy: [] };

describe("deleteQuestion", () => {
  it("says how much a downloaded model frees", () => {
    expect(deleteQuestion({ ...model, source: "downloaded" })).toBe("Delete Qwen3 4B Q4_K_M and free 2.5 GB?");
  });

  it("says an imported file stays on disk", () => {
    const question = deleteQuestion({ ...model, source: "imported" });
    expect(question).toMatch(/^Remove Qwen3 4B Q4_K_M from Hearth\?/);
    expect(question).toContain("The file stays on disk at /data/models/qwen3-4b-q4_k_m.gguf; only the entry in Hearth is removed.");
    expect(question).not.toMatch(/free/);
  });

  it("mentions the chats that use it", () => {
    expect(deleteQuestion({ ...model, source: "downloaded", usedBy: [{ id: "c1", title: "Notes" }] })).toContain(
      "1 chat uses it; it keeps its messages and will need another model.",
    );
    expect(deleteQuestion({ ...model, source: "downloaded", usedBy: [{ id: "c1", title: "a" }, { id: "c2", title: "b" }] })).toContain(
      "2 chats use it; they keep their messages",
    );
  });
});
