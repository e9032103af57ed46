import { describe, expect, it } from "vitest";
import { StopSequences } from "./stop-sequences.js";

describe("StopSequences", () => {
  it("holds back only what could start a stop string, and cuts before it", () => {
    const stops = new StopSequences(["END", "\n\n"]);
    expect(stops.push("Hello E")).toBe("Hello ");
    expect(stops.push("x")).toBe("Ex");
    expect(stops.push(" and EN")).toBe(" and ");
    expect(stops.push("D more")).toBe("");
    expect(stops.hit).toBe(true);
    expect(stops.push("later")).toBe("");
    expect(stops.flush()).toBe("");
  });

  it("passes everything through without stop strings, and flushes a held tail at the end", () => {
    expect(new StopSequences([]).push("abc")).toBe("abc");
    const stops = new StopSequences(["STOP"]);
    expect(stops.push("ab ST")).toBe("ab ");
    expect(stops.flush()).toBe("ST");
  });
});
