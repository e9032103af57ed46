import { describe, expect, it } from "vitest";
import { RwLock } from "./rw-lock.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RwLock", () => {
  it("lets readers overlap, keeps a writer alone, and serves a queued writer before later readers", async () => {
    const lock = new RwLock();
    const log: string[] = [];
    const reader = (name: string, ms: number) =>
      lock.runRead(async () => {
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
      });
    const writer = (name: string, ms: number, fail = false) =>
      lock.runWrite(async () => {
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const all = Promise.allSettled([reader("r1", 30), reader("r2", 10), writer("w1", 10, true), reader("r3", 5), writer("w2", 5)]);
    const results = await all;
    expect(log).toEqual(["start r1", "start r2", "end r2", "end r1", "start w1", "end w1", "start r3", "end r3", "start w2", "end w2"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
  });

  it("a release called twice counts once", async () => {
    const lock = new RwLock();
    const a = await lock.read();
    const b = await lock.read();
    a();
    a();
    let wrote = false;
    const w = lock.write().then((release) => {
      wrote = true;
      release();
    });
    await sleep(5);
    expect(wrote).toBe(false); // b still reads
    b();
    await w;
    expect(wrote).toBe(true);
  });
});
