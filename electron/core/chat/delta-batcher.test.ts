import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeltaBatcher } from "./delta-batcher.js";

describe("DeltaBatcher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("delivers many small deltas as one batch per interval", () => {
    const delivered: string[] = [];
    const batcher = new DeltaBatcher((text) => delivered.push(text), 30);
    for (const piece of ["Hel", "lo", ", ", "wor", "ld"]) batcher.push(piece);
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(delivered).toEqual(["Hello, world"]);
    batcher.push("!");
    vi.advanceTimersByTime(29);
    expect(delivered).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(delivered).toEqual(["Hello, world", "!"]);
  });

  it("flush delivers what is pending at once and nothing when empty", () => {
    const delivered: string[] = [];
    const batcher = new DeltaBatcher((text) => delivered.push(text));
    batcher.flush();
    batcher.push("tail");
    batcher.flush();
    vi.advanceTimersByTime(100);
    expect(delivered).toEqual(["tail"]);
  });
});
