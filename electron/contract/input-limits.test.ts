import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { methods } from "./methods.js";
import { wsRequestSchema } from "./ws-protocol.js";

type Def = {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; maximum?: number } } }>;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const maxLength = (def: Def) => def.checks?.find((c) => c._zod.def.check === "max_length")?._zod.def.maximum;

/** Paths of every string and array a caller can send without a maximum size. */
function unbounded(schema: z.ZodType, at: string): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case "string":
      return maxLength(def) === undefined ? [at] : [];
    case "array":
      return [...(maxLength(def) === undefined ? [at] : []), ...unbounded(def.element!, `${at}[]`)];
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([key, value]) => unbounded(value, `${at}.${key}`));
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      return unbounded(def.innerType!, at);
    case "pipe":
      return [...unbounded(def.in!, at), ...unbounded(def.out!, at)];
    case "union":
      return (def.options ?? []).flatMap((option, i) => unbounded(option, `${at}|${i}`));
    case "number":
    case "boolean":
    case "enum":
    case "literal":
    case "null":
    case "transform":
      return [];
    default:
      return [`${at} (${def.type}: not checked)`];
  }
}

describe("contract input limits", () => {
  it("bounds every string and array of every method's input", () => {
    const missing = Object.entries(methods).flatMap(([name, method]) => unbounded(method.input, name));
    expect(missing).toEqual([]);
  });

  it("bounds the WebSocket request envelope (its input is the method's, checked above)", () => {
    expect(unbounded(wsRequestSchema.pick({ id: true, method: true }), "request")).toEqual([]);
  });
});
