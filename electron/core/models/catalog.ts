import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError, catalogEntrySchema, type CatalogEntry } from "../../contract/index.js";
import { isKnownQuantization, parseQuantization } from "../../contract/quantization.js";

/** catalog.json: entries as the contract has them, less the card, which lives in cards/<id>.md. */
const catalogFileSchema = z
  .object({
    version: z.literal(1),
    models: z.array(catalogEntrySchema.omit({ card: true }).strict()).min(1),
  })
  .strict();

/** Reads and validates models/catalog.json and each entry's card (models/cards/<id>.md). */
export function loadCatalog(modelsDataDir: string): CatalogEntry[] {
  const catalogPath = path.join(modelsDataDir, "catalog.json");
  const broken = (problem: string, cause?: unknown) =>
    new AppError("INTERNAL", `Hearth's model catalog (${catalogPath}) ${problem} Reinstalling Hearth restores it.`, { cause });

  let text: string;
  try {
    text = fs.readFileSync(catalogPath, "utf8");
  } catch (cause) {
    throw broken("could not be read.", cause);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw broken(`is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}).`, cause);
  }
  const parsed = catalogFileSchema.safeParse(json);
  if (!parsed.success) throw broken(`is invalid: ${describeIssue(parsed.error, json)}.`, parsed.error);

  const seen = new Set<string>();
  const entries: CatalogEntry[] = [];
  for (const model of parsed.data.models) {
    if (seen.has(model.id)) throw broken(`lists "${model.id}" twice.`);
    seen.add(model.id);
    const fileNames = new Set<string>();
    for (const file of model.files) {
      if (!/\.gguf$/i.test(file.fileName)) throw broken(`has "${file.fileName}" under "${model.id}", which is not a .gguf file.`);
      if (fileNames.has(file.fileName)) throw broken(`lists "${file.fileName}" twice under "${model.id}".`);
      fileNames.add(file.fileName);
      const named = parseQuantization(file.fileName);
      if (!isKnownQuantization(file.quantization) || named !== file.quantization) {
        throw broken(
          `says "${file.fileName}" under "${model.id}" is ${file.quantization}, but its name says ${named ?? "nothing"}.`,
        );
      }
    }

    const cardPath = path.join(modelsDataDir, "cards", `${model.id}.md`);
    let card: string;
    try {
      card = fs.readFileSync(cardPath, "utf8");
    } catch (cause) {
      throw broken(`has no model card for "${model.id}" (expected ${cardPath}).`, cause);
    }
    if (card.trim() === "") throw broken(`has an empty model card for "${model.id}".`);
    entries.push({ ...model, card });
  }
  return entries;
}

/** The first problem, with where it is: `models[2] ("qwen3-4b").files[0].sizeBytes: …`. */
function describeIssue(error: z.ZodError, json: unknown): string {
  const issue = error.issues[0];
  if (!issue) return "unknown problem";
  let where = "";
  let node: unknown = json;
  for (const key of issue.path) {
    const id = node && typeof node === "object" && typeof key === "number" ? (node as unknown[])[key] : undefined;
    node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
    if (typeof key === "number") {
      where += `[${key}]`;
      const named = id && typeof id === "object" ? (id as { id?: unknown }).id : undefined;
      if (typeof named === "string") where += ` ("${named}")`;
    } else {
      where += where === "" ? String(key) : `.${String(key)}`;
    }
  }
  return `${where || "the top level"}: ${issue.message}`;
}
