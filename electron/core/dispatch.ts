import {
  AppError,
  methods,
  serializeError,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type WireResult,
} from "../contract/index.js";
import { asDiskFull } from "./store/disk-full.js";

export type Handlers = { [M in MethodName]: (input: MethodOutputInput<M>) => Promise<MethodOutput<M>> };
/** Handlers receive the parsed input (defaults applied), not the raw one. */
type MethodOutputInput<M extends MethodName> = import("zod").infer<(typeof methods)[M]["input"]>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === "string" && Object.hasOwn(methods, name);
}

/**
 * The one entry point both transports use: validates the input against the contract, runs the handler,
 * validates the output, and turns every failure into a serialized AppError (never a raw error text).
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  rawInput: unknown,
  onUnexpected: (error: unknown, method: string) => void = () => {},
): Promise<WireResult<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: new AppError("INVALID_INPUT", "Unknown request.").toJSON() };
  }
  const parsed = methods[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.slice(0, 8).join(".")})` : "";
    // Zod lists every unknown key in its message; a hostile input could make that megabytes long.
    const what = (issue?.message ?? "bad input").slice(0, 300);
    return {
      ok: false,
      error: new AppError("INVALID_INPUT", `Invalid request${where}: ${what}`).toJSON(),
    };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value: methods[method].output.parse(value) };
  } catch (thrown) {
    // A full disk reached outside the Store (audit log, downloads, settings files) says so, not INTERNAL.
    const error = asDiskFull(thrown);
    if (!(error instanceof AppError)) onUnexpected(error, method);
    return { ok: false, error: serializeError(error) };
  }
}

export type { MethodInput, MethodName, MethodOutput };
