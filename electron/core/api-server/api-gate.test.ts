import { describe, expect, it } from "vitest";
import { ApiGate } from "./api-gate.js";

const never = new AbortController().signal;

describe("ApiGate", () => {
  it("lets one in at a time, serves clients in turn (FIFO within each) and refuses past the queue", async () => {
    const gate = new ApiGate(4);
    const order: string[] = [];
    const first = await gate.acquire("a", never);
    const waits = [
      ["a", "a1"],
      ["a", "a2"],
      ["b", "b1"],
      ["c", "c1"],
    ].map(([client, name]) =>
      gate.acquire(client!, never).then((release) => {
        order.push(name!);
        release();
      }),
    );
    await expect(gate.acquire("d", never)).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded" });
    expect(gate.queued).toBe(4);
    first();
    await Promise.all(waits);
    // a's second request waits until b and c have had a turn.
    expect(order).toEqual(["a1", "b1", "c1", "a2"]);
    expect(gate.active).toBe(false);
  });

  it("a waiting request whose client went away leaves the queue", async () => {
    const gate = new ApiGate(2);
    const release = await gate.acquire("a", never);
    const controller = new AbortController();
    const waiting = gate.acquire("b", controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ status: 499 });
    expect(gate.queued).toBe(0);
    release();
    (await gate.acquire("c", never))();
  });
});
