import type { GgufNumberType, GgufValue } from "./gguf-writer.js";

/**
 * GGUF values for metadata that node-llama-cpp's `readGgufFileInfo` parsed (it drops the stored types), e.g. to
 * copy a tokenizer: `metadataFromParsed(info.metadata, "tokenizer.")`. Known tokenizer keys get the types
 * llama.cpp expects; other numbers become uint32/int32 when whole and float32 otherwise.
 */
export function metadataFromParsed(parsed: object, prefix = ""): Record<string, GgufValue> {
  const out: Record<string, GgufValue> = {};
  const visit = (node: object, path: string) => {
    for (const [key, value] of Object.entries(node)) {
      const name = path ? `${path}.${key}` : key;
      if (value !== null && typeof value === "object" && !Array.isArray(value)) visit(value, name);
      else if (name.startsWith(prefix) && value !== undefined) out[name] = toGgufValue(name, value);
    }
  };
  visit(parsed, "");
  return out;
}

const knownTypes: Record<string, GgufNumberType | "string"> = {
  "tokenizer.ggml.tokens": "string",
  "tokenizer.ggml.merges": "string",
  "tokenizer.ggml.scores": "float32",
  "tokenizer.ggml.token_type": "int32",
  "tokenizer.ggml.token_type_count": "uint32",
};

function toGgufValue(name: string, value: unknown): GgufValue {
  const known = knownTypes[name] ?? (name.endsWith("_token_id") ? "uint32" : undefined);
  if (Array.isArray(value)) {
    const items = value as unknown[];
    if (known === "string" || items.every((v) => typeof v === "string")) {
      return { type: "array", itemType: "string", value: items as string[] };
    }
    if (items.every((v) => typeof v === "boolean")) return { type: "array", itemType: "bool", value: items as boolean[] };
    if (items.every((v) => typeof v === "bigint")) {
      return { type: "array", itemType: items.some((v) => (v as bigint) < 0n) ? "int64" : "uint64", value: items as bigint[] };
    }
    const numbers = items as number[];
    const itemType = known ?? (numbers.every(Number.isInteger) ? "int32" : "float32");
    return { type: "array", itemType, value: numbers };
  }
  switch (typeof value) {
    case "string":
      return { type: "string", value };
    case "boolean":
      return { type: "bool", value };
    case "bigint":
      return value < 0n ? { type: "int64", value } : { type: "uint64", value };
    case "number": {
      if (known && known !== "string") return { type: known, value };
      if (!Number.isInteger(value)) return { type: "float32", value };
      return value < 0 ? { type: "int32", value } : { type: "uint32", value };
    }
    default:
      throw new TypeError(`Metadata ${name} has a value this writer cannot store.`);
  }
}
