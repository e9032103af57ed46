import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HostDeltas } from "./host-deltas.js";
import type { DeltaPart } from "./protocol.js";

describe("host deltas", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the first delta at once, then batches and merges by kind until the interval or a flush", () => {
    const sent: DeltaPart[][] = [];
    const deltas = new HostDeltas((parts) => sent.push(parts), 20);
    deltas.push("text", "Once");
    expect(sent).toEqual([[{ kind: "text", text: "Once" }]]);
    deltas.push("text", " upon");
    deltas.push("text", " a");
    deltas.push("reasoning", "hm");
    deltas.push("text", " time");
    deltas.push("text", "");
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(20);
    expect(sent[1]).toEqual([
      { kind: "text", text: " upon a" },
      { kind: "reasoning", text: "hm" },
      { kind: "text", text: " time" },
    ]);
    deltas.push("text", "!");
    deltas.flush();
    expect(sent[2]).toEqual([{ kind: "text", text: "!" }]);
    deltas.flush();
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(3);
  });
});
