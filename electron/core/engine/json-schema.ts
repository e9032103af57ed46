import type { GbnfJsonSchema } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";

/** A JSON schema as a caller sends it (OpenAI's response_format, a tool's parameters): checked before use. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Words that only describe a schema: dropped, they change nothing in what may be written. */
const ANNOTATIONS = new Set(["title", "description", "$schema", "$id", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly", "strict"]);
const TYPES = new Set(["string", "number", "integer", "boolean", "null", "object", "array"]);
const FORMATS = new Set(["date-time", "time", "date"]);
/** Keywords node-llama-cpp's grammar enforces, per kind of schema. */
const KEYWORDS: Record<string, ReadonlySet<string>> = {
  string: new Set(["type", "minLength", "maxLength", "format", "enum", "const"]),
  object: new Set(["type", "properties", "additionalProperties", "minProperties", "maxProperties", "required", "$defs", "definitions"]),
  array: new Set(["type", "items", "prefixItems", "minItems", "maxItems", "$defs", "definitions"]),
  other: new Set(["type", "enum", "const", "oneOf", "anyOf", "$ref", "$defs", "definitions"]),
};

function refuse(where: string, why: string): never {
  throw new AppError("INVALID_INPUT", `The JSON schema cannot be used: ${why} at ${where}.`);
}

/**
 * A caller's JSON schema as the subset node-llama-cpp turns into a grammar, or INVALID_INPUT naming what is wrong.
 * node-llama-cpp itself accepts anything and quietly writes `null` for what it does not know (an unknown type, a
 * bad reference), so an unsupported keyword would give output that does not match the schema the caller meant:
 * here it is refused instead. `anyOf` becomes `oneOf` and `definitions` becomes `$defs` (same grammar); keywords
 * that only annotate are dropped.
 */
export function checkJsonSchema(schema: unknown, where = "the root"): GbnfJsonSchema {
  return normalize(schema, where, collectDefs(schema)) as GbnfJsonSchema;
}

function collectDefs(schema: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64 || node == null || typeof node !== "object") return;
    for (const key of ["$defs", "definitions"]) {
      const defs = (node as Record<string, unknown>)[key];
      if (defs && typeof defs === "object" && !Array.isArray(defs)) for (const name of Object.keys(defs)) names.add(name);
    }
    for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(schema, 0);
  return names;
}

function normalize(node: unknown, where: string, defs: ReadonlySet<string>, depth = 0): unknown {
  if (depth > 32) refuse(where, "it nests deeper than 32 levels");
  if (node === true || (node && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length === 0)) {
    // `true` or `{}` means any value: node-llama-cpp's grammar for that is a `oneOf` of every JSON kind.
    return { oneOf: [...["string", "number", "boolean", "null"].map((type) => ({ type })), { type: "object" }, { type: "array" }] };
  }
  if (node == null || typeof node !== "object" || Array.isArray(node)) refuse(where, "a schema must be an object");
  const input = node as Record<string, unknown>;
  const type = input.type;
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  for (const t of types) if (typeof t !== "string" || !TYPES.has(t)) refuse(where, `unknown type ${JSON.stringify(t)}`);
  if (types.length === 0 && !("enum" in input || "const" in input || "oneOf" in input || "anyOf" in input || "$ref" in input)) {
    refuse(where, "no type, enum, const, oneOf, anyOf or $ref");
  }
  const kind = types.length === 1 && (types[0] === "string" || types[0] === "object" || types[0] === "array") ? (types[0] as string) : "other";
  if (types.length > 1 && types.some((t) => t === "object" || t === "array")) {
    refuse(where, "a list of types may only hold plain values (string, number, integer, boolean, null); use anyOf");
  }
  const allowed = KEYWORDS[kind]!;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (ANNOTATIONS.has(key)) {
      if (key === "description" && typeof value === "string") out.description = value;
      continue;
    }
    if (!allowed.has(key)) refuse(where, `the keyword "${key}" is not supported`);
    const at = `${where}.${key}`;
    switch (key) {
      case "type":
        out.type = type;
        break;
      case "enum":
        if (!Array.isArray(value) || value.length === 0 || value.some((v) => v !== null && typeof v === "object")) {
          refuse(at, "enum must be a non-empty list of plain values");
        }
        out.enum = value;
        break;
      case "const":
        if (value !== null && typeof value === "object") refuse(at, "const must be a plain value");
        out.const = value;
        break;
      case "oneOf":
      case "anyOf":
        if (!Array.isArray(value) || value.length === 0) refuse(at, `${key} must be a non-empty list of schemas`);
        out.oneOf = value.map((item, i) => normalize(item, `${at}[${i}]`, defs, depth + 1));
        break;
      case "$ref": {
        const match = typeof value === "string" ? /^#\/(?:\$defs|definitions)\/(.+)$/.exec(value) : null;
        if (!match || !defs.has(match[1]!)) refuse(at, `the reference ${JSON.stringify(value)} does not name an entry of $defs`);
        out.$ref = `#/$defs/${match[1]}`;
        break;
      }
      case "$defs":
      case "definitions": {
        if (!value || typeof value !== "object" || Array.isArray(value)) refuse(at, `${key} must be an object`);
        const target = (out.$defs ??= {}) as Record<string, unknown>;
        for (const [name, def] of Object.entries(value)) target[name] = normalize(def, `${at}.${name}`, defs, depth + 1);
        break;
      }
      case "properties": {
        if (!value || typeof value !== "object" || Array.isArray(value)) refuse(at, "properties must be an object");
        out.properties = Object.fromEntries(Object.entries(value).map(([name, prop]) => [name, normalize(prop, `${at}.${name}`, defs, depth + 1)]));
        break;
      }
      case "additionalProperties":
        out.additionalProperties = typeof value === "boolean" ? value : normalize(value, at, defs, depth + 1);
        break;
      case "items":
        out.items = normalize(value, at, defs, depth + 1);
        break;
      case "prefixItems":
        if (!Array.isArray(value)) refuse(at, "prefixItems must be a list of schemas");
        out.prefixItems = value.map((item, i) => normalize(item, `${at}[${i}]`, defs, depth + 1));
        break;
      case "required":
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) refuse(at, "required must be a list of names");
        out.required = value;
        break;
      case "format":
        if (typeof value !== "string" || !FORMATS.has(value)) refuse(at, `the format ${JSON.stringify(value)} is not supported (only date-time, time, date)`);
        out.format = value;
        break;
      default:
        // minLength, maxLength, minProperties, maxProperties, minItems, maxItems
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) refuse(at, `${key} must be a whole number`);
        out[key] = value;
    }
  }
  return out;
}
