import { describe, expect, it } from "vitest";
import { SequencePool } from "./sequence-pool.js";

type Fake = { id: number; history: string[] };

function pool(size: number) {
  let made = 0;
  const cleared: number[] = [];
  const p = new SequencePool<Fake>(
    size,
    () => ({ id: ++made, history: [] }),
    async (s) => {
      cleared.push(s.id);
      s.history = [];
    },
  );
  return { p, cleared, made: () => made };
}

describe("SequencePool", () => {
  it("keeps one sequence per key, makes them on need and evicts the least recently used, clearing it", async () => {
    const { p, cleared, made } = pool(2);
    const a = await p.acquire("a");
    a.value.history.push("a1");
    a.release();
    const b = await p.acquire("b");
    b.release();
    expect(made()).toBe(2);
    const a2 = await p.acquire("a");
    expect(a2.reused).toBe(true);
    expect(a2.value.history).toEqual(["a1"]);
    a2.release();
    // "b" is now the least recently used: "c" takes its sequence, cleared.
    const c = await p.acquire("c");
    expect(c.reused).toBe(false);
    expect(c.value.id).toBe(b.value.id);
    expect(cleared).toEqual([b.value.id]);
    c.release();
    expect(p.keys()).toEqual(["a", "c"]);
    expect(made()).toBe(2);
  });

  it("a busy key waits for its sequence; with every sequence busy a new key waits; an abort ends the wait", async () => {
    const { p } = pool(1);
    const a = await p.acquire("a");
    let second = false;
    const again = p.acquire("a").then((lease) => {
      second = true;
      return lease;
    });
    const controller = new AbortController();
    const other = p.acquire("b", controller.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBe(false);
    controller.abort();
    expect(await other).toMatchObject({ code: "ABORTED" });
    a.release();
    const lease = await again;
    expect(lease.reused).toBe(true);
    lease.release();
    lease.release(); // counted once
    const b = await p.acquire("b");
    expect(b.reused).toBe(false);
    b.release();
  });

  it("refuses a pool without sequences", () => {
    expect(() => new SequencePool(0, () => 1, async () => {})).toThrow(RangeError);
  });
});
