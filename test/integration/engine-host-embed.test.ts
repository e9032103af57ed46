import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../electron/contract/index.js";
import { Engine } from "../../electron/core/engine/engine.js";
import { EngineHostClient } from "../../electron/core/engine-host/engine-host-client.js";
import { forkHost, type SpawnHost } from "../../electron/core/engine-host/host-spawn.js";
import { stories } from "../fixtures/engine-request.js";

/**
 * Embeddings through the engine host (the built app's path): the same vectors as the engine in-process, the
 * bounds refused, and a host whose answer is not a set of finite vectors of the stated size is stopped.
 * The host script comes from a build (HEARTH_TEST_BUILD's, else the repository's).
 */

const texts = ["Once upon a time there was a little cat.", "The dog ran to the park."];

/** A host whose embed results are rewritten on their way to the client. */
function tampered(rewrite: (value: { vectors: number[][]; tokens: number; dimensions: number }) => unknown): EngineHostClient {
  const spawn: SpawnHost = (script, args, options) => {
    const child = forkHost(script, args, options);
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.send(message),
      onMessage: (listener) =>
        child.onMessage((message) => {
          const m = message as { type?: string; value?: { vectors?: unknown } };
          listener(m.type === "result" && m.value && typeof m.value === "object" && "vectors" in m.value ? { ...m, value: rewrite(m.value as never) } : message);
        }),
      onExit: (listener) => child.onExit(listener),
      kill: () => child.kill(),
    };
  };
  return new EngineHostClient({ threads: 1, spawn });
}

const open: EngineHostClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});

describe("engine host embeddings", () => {
  let local: Engine;
  beforeAll(() => {
    local = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await local.dispose();
  });

  it("gives the same vectors and token count as the engine in this process", async () => {
    const client = new EngineHostClient({ threads: 1 });
    open.push(client);
    const remote = await client.embed({ model: stories, texts });
    const here = await local.embed({ model: stories, texts });
    expect(remote.vectors).toHaveLength(2);
    expect(remote.dimensions).toBe(local.currentModel!.embeddingVectorSize);
    expect(remote).toEqual(here);
    expect(client.loadedModelId).toBe("stories");
  });

  it("refuses empty and oversized input before it crosses, and the host's own refusals arrive as AppErrors", async () => {
    const client = new EngineHostClient({ threads: 1 });
    open.push(client);
    await expect(client.embed({ model: stories, texts: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(client.hostPid).toBeNull(); // refused on this side: no host was started for it
    const long = "the cat sat on the mat and ".repeat(400);
    const error = await client.embed({ model: stories, texts: [long] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/too long for stories260K/);
    expect((await client.embed({ model: stories, texts: ["a cat"] })).vectors).toHaveLength(1);
  });

  it("stops a host whose vectors are not finite numbers of the stated size, or not one per text", async () => {
    for (const rewrite of [
      (v: { vectors: number[][] }) => ({ ...v, vectors: v.vectors.map((vector) => vector.map(() => "1")) }),
      (v: { vectors: number[][] }) => ({ ...v, vectors: v.vectors.map((vector) => vector.slice(1)) }),
      (v: { vectors: number[][] }) => ({ ...v, vectors: v.vectors.slice(1) }),
    ]) {
      const client = tampered(rewrite);
      open.push(client);
      const error = await client.embed({ model: stories, texts }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ENGINE_CRASHED" });
      expect((error as AppError).message).toMatch(/invalid embed result/);
    }
  });
});
