import { commonness, wordClasses } from "./lexicon.js";
import type { Token } from "./tokenize.js";

/** Collapsed word shape: "Schwarz" -> "Xx", "SK" -> "X", "53650" -> "d", "Apt." parts -> "Xx", "F16" -> "Xd". */
export function shape(word: string): string {
  let out = "";
  for (const ch of word) {
    const c = /\p{Lu}/u.test(ch) ? "X" : /\p{Ll}/u.test(ch) ? "x" : /\p{N}/u.test(ch) ? "d" : ch;
    if (out[out.length - 1] !== c) out += c;
  }
  return out.length > 5 ? out.slice(0, 5) : out;
}

const SENTENCE_END = new Set([".", "!", "?", ":", ";", '"', "\n"]);

/**
 * Label-independent features of every token; the tagger adds the previous labels itself. Context reaches two
 * tokens each way, because templates like "lives at ___" or "___'s killers" are what tell a name from a word.
 */
export function tokenFeatures(tokens: readonly Token[]): string[][] {
  const lower = tokens.map((t) => t.text.toLowerCase());
  const shapes = tokens.map((t) => shape(t.text));
  const cls = tokens.map((t) => wordClasses(t.text));
  const common = tokens.map((t) => (/\p{L}/u.test(t.text) ? commonness(t.text) : -2));
  const at = <T>(arr: readonly T[], i: number, pad: T): T => (i >= 0 && i < arr.length ? (arr[i] as T) : pad);
  return tokens.map((tok, i) => {
    const w = lower[i] ?? "";
    const sh = shapes[i] ?? "";
    const prev = at(lower, i - 1, "<s>");
    const sentenceStart = i === 0 || tok.lineStart || SENTENCE_END.has(prev);
    const f: string[] = [
      "b",
      `w=${w}`,
      `sh=${sh}`,
      `p3=${w.slice(0, 3)}`,
      `s3=${w.slice(-3)}`,
      `s2=${w.slice(-2)}`,
      `len=${Math.min(w.length, 12)}`,
      `w-1=${prev}`,
      `w-2=${at(lower, i - 2, "<s>")}`,
      `w+1=${at(lower, i + 1, "</s>")}`,
      `w+2=${at(lower, i + 2, "</s>")}`,
      `sh-1=${at(shapes, i - 1, "<s>")}`,
      `sh+1=${at(shapes, i + 1, "</s>")}`,
      `sh|sh-1=${sh}|${at(shapes, i - 1, "<s>")}`,
      `sh|sh+1=${sh}|${at(shapes, i + 1, "</s>")}`,
      `sh|w-1=${sh}|${prev}`,
      `sh|w+1=${sh}|${at(lower, i + 1, "</s>")}`,
      `w-2|w-1=${at(lower, i - 2, "<s>")}|${prev}`,
      `w+1|w+2=${at(lower, i + 1, "</s>")}|${at(lower, i + 2, "</s>")}`,
    ];
    if (tok.lineStart) f.push("ls", `ls|sh=${sh}`);
    if (tok.lineEnd) f.push("le", `le|sh=${sh}`);
    if (tok.lineStart && tok.lineEnd) f.push("line1", `line1|sh=${sh}`);
    if (sentenceStart) f.push("ss", `ss|sh=${sh}`);
    const c = cls[i] ?? [];
    if (c.length === 0) f.push(`unk|sh=${sh}`, `unk|ss=${sentenceStart}|sh=${sh}`);
    for (const k of c) f.push(`lx=${k}`, `lx|sh=${k}|${sh}`);
    const cw = common[i] ?? 0;
    f.push(`cw=${cw}`, `cw|sh=${cw}|${sh}`, `cw|ss=${cw}|${sentenceStart}`, `cw-1=${at(common, i - 1, -1)}`, `cw+1=${at(common, i + 1, -1)}`);
    for (const k of at(cls, i - 1, [])) f.push(`lx-1=${k}`);
    for (const k of at(cls, i + 1, [])) f.push(`lx+1=${k}`);
    return f;
  });
}
