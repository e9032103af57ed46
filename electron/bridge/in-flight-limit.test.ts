import { describe, expect, it } from "vitest";
import type { WireResult } from "../contract/index.js";
import { createInFlightLimit } from "./in-flight-limit.js";

describe("createInFlightLimit", () => {
  it("runs up to the cap at once, answers BUSY past it without running the call, and frees a slot when one ends", async () => {
    const limit = createInFlightLimit(2);
    const releases: Array<() => void> = [];
    let started = 0;
    const slow = () =>
      new Promise<WireResult<unknown>>((resolve) => {
        started += 1;
        releases.push(() => resolve({ ok: true, value: started }));
      });
    const first = limit.run(slow);
    const second = limit.run(slow);
    expect(await limit.run(slow)).toEqual({
      ok: false,
      error: { code: "BUSY", message: expect.stringContaining("Try again"), retryable: true },
    });
    expect(started).toBe(2);
    expect(limit.running).toBe(2);
    releases[0]!();
    await first;
    expect(limit.running).toBe(1);
    const third = limit.run(slow);
    expect(started).toBe(3);
    releases[1]!();
    releases[2]!();
    await Promise.all([second, third]);
    expect(limit.running).toBe(0);
  });

  it("frees the slot when a call throws", async () => {
    const limit = createInFlightLimit(1);
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limit.running).toBe(0);
    expect(await limit.run(async () => ({ ok: true, value: 1 }))).toEqual({ ok: true, value: 1 });
  });
});
