import fs from "node:fs";
import { getManyValues, isMany, none } from "stream-chain/defs.js";
import Assembler from "stream-json/assembler.js";
import { jsonParser } from "stream-json/parser.js";
import { AppError } from "../../contract/index.js";

/** Where a walk stopped when the file was not a well-formed JSON text, or broke a bound. */
export class JsonWalkError extends AppError {
  constructor(
    message: string,
    /** Values handed over before it stopped. */
    readonly completed: number,
  ) {
    super("INVALID_INPUT", message);
  }
}

export type JsonWalkLimits = {
  /** Deepest nesting of arrays and objects anywhere in the file. */
  maxNesting: number;
  /** Most bytes one value may span in the file: what is held in memory at once is bounded by it. */
  maxValueBytes: number;
  /** Most values a top-level array may hold. */
  maxValues: number;
};

export type JsonWalkHandlers = {
  /** Each top-level value: every element of a top-level array, or the top-level value itself. Synchronous. */
  onValue: (value: unknown, index: number, shape: "array" | "single") => void;
  /** After each chunk read: bytes read so far. */
  onBytes?: (bytesRead: number) => void;
};

type Token = { name: string; value?: unknown };

const PIECE_CHARS = 64 * 1024;

/**
 * Reads a JSON file from disk in chunks (stream-json's tokenizer) and hands over its top-level values one at a time,
 * so a file of any size costs the memory of its largest value, never of the whole file. A file whose top level is an
 * array yields its elements; otherwise the top-level value is the one value. Refuses, with where it stopped, a file
 * that is not JSON or ends early, nests too deep, holds one value too large or too many values.
 */
export async function walkJsonFile(file: string, limits: JsonWalkLimits, handlers: JsonWalkHandlers): Promise<{ values: number; shape: "array" | "single" | null }> {
  // The synchronous tokenizer (text in, tokens out): no stream hop or promise per token. It takes text, which the
  // read stream decodes (a character split across chunks included). Typed for text only; stream-chain's `none` is
  // how a flushable is told the input ended.
  const tokenize = jsonParser({ packValues: true, streamValues: false }) as unknown as (chunk: string | typeof none) => unknown;
  let bytesRead = 0;
  let depth = 0;
  let shape: "array" | "single" | null = null;
  let assembler: Assembler | null = null;
  let valueStart = 0;
  let values = 0;
  let topClosed = false;
  const fail = (message: string) => new JsonWalkError(message, values);
  const finishValue = () => {
    const value = assembler!.current;
    assembler = null;
    valueStart = bytesRead;
    handlers.onValue(value, values, shape!);
    values++;
  };

  const consume = (token: Token) => {
    const opens = token.name === "startObject" || token.name === "startArray";
    const closes = token.name === "endObject" || token.name === "endArray";
    if (depth === 0 && shape === null) {
      shape = token.name === "startArray" ? "array" : "single";
      if (shape === "array") {
        depth = 1;
        return;
      }
    }
    if (shape === "array" && depth === 1 && closes && assembler === null) {
      depth = 0;
      topClosed = true;
      return;
    }
    if (opens && ++depth > limits.maxNesting) throw fail(`The file nests deeper than ${limits.maxNesting} levels; no conversation export does.`);
    if (assembler === null) {
      if (values >= limits.maxValues) throw fail(`The file holds more than ${limits.maxValues.toLocaleString("en-US")} conversations; import it in parts.`);
      assembler = new Assembler();
    }
    assembler.consume(token as Parameters<Assembler["consume"]>[0]);
    if (closes) depth--;
    // A value is complete when the nesting is back where it started: inside the top array, or at the very top.
    if (depth === (shape === "array" ? 1 : 0) && (closes || !opens)) finishValue();
  };
  let fed = 0;
  const feed = (chunk: string | typeof none) => {
    if (chunk !== none) fed += chunk.length;
    let out: unknown;
    try {
      out = tokenize(chunk);
    } catch (error) {
      // The tokenizer's message names no place in the file; where it stopped is said in our words.
      const where = values === 0 ? "" : ` after ${values.toLocaleString("en-US")} conversation${values === 1 ? "" : "s"}`;
      // At the end the tokenizer cannot tell a cut from a last bad value (it waits for more text before judging).
      if (chunk === none) throw new JsonWalkError(`The file ends too early${where}: it was cut short (an incomplete download or copy?) or is damaged at its end.`, values);
      throw new JsonWalkError(`The file is not valid JSON${where} (near character ${fed.toLocaleString("en-US")}).`, values);
    }
    if (isMany(out)) for (const token of getManyValues(out) as Token[]) consume(token);
    else if (out !== none && out !== undefined) consume(out as Token);
  };

  const source = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 });
  try {
    for await (const text of source as AsyncIterable<string>) {
      // A byte-order mark some editors write first is not JSON; it is dropped, as JSON.parse callers do.
      const chunk = bytesRead === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      bytesRead = source.bytesRead;
      // Checked as bytes arrive: the tokenizer holds a whole string until it ends, so one huge string must be
      // stopped while it is still being read.
      if (bytesRead - valueStart > limits.maxValueBytes) {
        throw fail(`Conversation ${values + 1} is larger than ${Math.round(limits.maxValueBytes / 1024 / 1024)} MB; no conversation that size can be imported.`);
      }
      // In pieces: the tokenizer hands over a piece's tokens only once the whole piece is read, so a damaged spot
      // loses at most the values completed earlier in its own piece, not in the whole chunk.
      for (let at = 0; at < chunk.length; at += PIECE_CHARS) feed(chunk.slice(at, at + PIECE_CHARS));
      handlers.onBytes?.(bytesRead);
    }
    feed(none);
  } catch (error) {
    if (error instanceof AppError || !(error instanceof Error) || !("code" in error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new AppError("NOT_FOUND", "There is no file at that path.", { cause: error });
    if (code === "EISDIR") throw new AppError("INVALID_INPUT", "That path is a folder, not a file.", { cause: error });
    if (code === "EACCES" || code === "EPERM") throw new AppError("INVALID_INPUT", "Hearth may not read that file (permission denied).", { cause: error });
    throw error;
  } finally {
    source.destroy();
  }
  if (shape === "array" && !topClosed) throw fail("The file ends too early: it was cut short.");
  if (shape === null) throw fail("The file is empty.");
  return { values, shape };
}
