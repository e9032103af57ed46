import { describe, expect, it } from "vitest";
import { canParseNow, holdParsing, parseLater, pendingParses } from "./parse-budget.js";

const nextTask = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe("parsing spread over time", () => {
  it("parses queued work between tasks, newest request first, and skips what was cancelled", async () => {
    const order: string[] = [];
    parseLater(() => order.push("old"), () => order.push("old shown"));
    const cancel = parseLater(() => order.push("gone"), () => order.push("gone shown"));
    parseLater(() => order.push("new"), () => order.push("new shown"));
    cancel();
    expect(order).toEqual([]);
    await nextTask();
    expect(order).toEqual(["new", "old", "new shown", "old shown"]);
    expect(pendingParses()).toBe(0);
  });

  it("parses nothing while the list scrolls fast, then what is still wanted once it slows", async () => {
    const parsed: string[] = [];
    holdParsing(60);
    expect(canParseNow()).toBe(false);
    parseLater(() => parsed.push("row"), () => {});
    await nextTask(20);
    expect(parsed).toEqual([]);
    expect(canParseNow()).toBe(false);
    await nextTask(80);
    expect(parsed).toEqual(["row"]);
    expect(canParseNow()).toBe(true);
  });
});
