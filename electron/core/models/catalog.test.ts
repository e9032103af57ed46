import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError, catalogEntrySchema } from "../../contract/index.js";
import { findRepoRoot } from "../../../scripts/make-bench-model.js";
import { loadCatalog } from "./catalog.js";
import { isKnownQuantization, parseQuantization } from "../../contract/quantization.js";

const shipped = path.join(findRepoRoot(), "models");

describe("the shipped catalog", () => {
  const catalog = loadCatalog(shipped);

  test("loads, validates, and has unique ids", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(10);
    for (const entry of catalog) expect(catalogEntrySchema.parse(entry)).toEqual(entry);
    expect(new Set(catalog.map((e) => e.id)).size).toBe(catalog.length);
  });

  test("every entry has a card with the sections a user needs", () => {
    for (const entry of catalog) {
      expect(entry.card, entry.id).toContain(`# ${entry.name}`);
      for (const section of ["## Intended use", "## Limitations", "## License", "## Source", "## How Hearth checks the file"]) {
        expect(entry.card, `${entry.id}: ${section}`).toContain(section);
      }
      expect(entry.card, entry.id).toContain(entry.licenseUrl);
      expect(entry.card, entry.id).toContain(`https://huggingface.co/${entry.repo}`);
    }
  });

  test("every file's quantization is the one its name says, and one Hearth knows", () => {
    for (const entry of catalog) {
      for (const file of entry.files) {
        expect(parseQuantization(file.fileName), file.fileName).toBe(file.quantization);
        expect(isKnownQuantization(file.quantization), file.fileName).toBe(true);
      }
    }
  });

  test("covers the families and sizes Hearth promises, each with a Q4_K_M file", () => {
    const ids = catalog.map((e) => e.id);
    for (const id of ["qwen3-0.6b", "qwen3-8b", "llama-3.2-1b-instruct", "gemma-3-4b-it", "phi-4-mini-instruct"]) {
      expect(ids).toContain(id);
    }
    for (const entry of catalog) expect(entry.files.some((f) => f.quantization === "Q4_K_M"), entry.id).toBe(true);
  });
});

describe("a broken catalog", () => {
  let dir: string;
  const valid = JSON.parse(fs.readFileSync(path.join(shipped, "catalog.json"), "utf8")) as {
    version: number;
    models: Record<string, unknown>[];
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-catalog-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(catalog: unknown, cards: string[] = valid.models.map((m) => String(m.id))): string {
    const root = fs.mkdtempSync(path.join(dir, "c-"));
    fs.mkdirSync(path.join(root, "cards"));
    fs.writeFileSync(path.join(root, "catalog.json"), typeof catalog === "string" ? catalog : JSON.stringify(catalog));
    for (const id of cards) fs.writeFileSync(path.join(root, "cards", `${id}.md`), `# ${id}\n`);
    return root;
  }

  function failure(root: string): AppError {
    try {
      loadCatalog(root);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    }
    throw new Error("expected loadCatalog to fail");
  }

  test("a copy of the shipped one loads", () => {
    expect(loadCatalog(write(valid))).toHaveLength(valid.models.length);
  });

  test("says which entry and field is wrong", () => {
    const models = structuredClone(valid.models);
    (models[1]!.files as { sizeBytes: unknown }[])[0]!.sizeBytes = "big";
    const error = failure(write({ ...valid, models }));
    expect(error.message).toContain(`models[1] ("${String(models[1]!.id)}").files[0].sizeBytes`);
    expect(error.message).toContain("catalog.json");
  });

  test("refuses bad JSON, a missing file, unknown fields, duplicate ids, a missing card and a wrong quantization", () => {
    expect(failure(write("{ not json")).message).toMatch(/is not valid JSON/);
    expect(failure(path.join(dir, "nowhere")).message).toMatch(/could not be read/);

    const extra = structuredClone(valid.models);
    extra[0]!.sizeGuess = 1;
    expect(failure(write({ ...valid, models: extra })).message).toMatch(/models\[0\].*sizeGuess|Unrecognized key/);

    const first = valid.models[0]!;
    expect(failure(write({ ...valid, models: [first, first] })).message).toContain(`lists "${String(first.id)}" twice`);

    expect(failure(write(valid, [])).message).toContain(`no model card for "${String(first.id)}"`);

    const mislabelled = structuredClone(valid.models);
    (mislabelled[0]!.files as { quantization: string }[])[0]!.quantization = "Q8_0";
    expect(failure(write({ ...valid, models: mislabelled })).message).toMatch(/is Q8_0, but its name says Q4_K_M/);
  });
});
