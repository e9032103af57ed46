import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError, defaultSamplingSettings, type LoadedModel } from "../../electron/contract/index.js";
import { SecondPassUnavailable } from "../../electron/core/cloud/redact/llm-pass.js";
import { Engine, type GenerateRequest, type PromptSource } from "../../electron/core/engine/engine.js";
import { EngineHostClient, type EngineHostOptions } from "../../electron/core/engine-host/engine-host-client.js";
import { CRASH_MESSAGE } from "../../electron/core/engine-host/host-errors.js";
import { forkHost, type SpawnHost } from "../../electron/core/engine-host/host-spawn.js";
import { hostLimits } from "../../electron/core/engine-host/protocol.js";
import { engineRequest, stories } from "../fixtures/engine-request.js";

/**
 * The engine host through its client, on the real model: the same answers as the engine in-process, aborts, a host
 * killed mid-answer (SIGKILL, as llama.cpp's GGML_ASSERT abort or the OOM killer would end it), and a host that
 * breaks the protocol. The host script comes from a build (HEARTH_TEST_BUILD's, else the repository's).
 */

const prompt: PromptSource = {
  systemPrompt: "You tell short stories.",
  branch: [{ id: "m0", role: "user", content: "Once upon a time there was a little cat", reasoning: "", status: "complete" }],
};

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest(prompt, overrides);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A client whose host can be made to "say" anything: the test's messages reach the client as the host's. */
function injectable(options: EngineHostOptions = {}) {
  let inject: ((message: unknown) => void) | null = null;
  const spawn: SpawnHost = (script, args, spawnOptions) => {
    const child = forkHost(script, args, spawnOptions);
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.send(message),
      onMessage: (listener) => {
        inject = listener;
        child.onMessage(listener);
      },
      onExit: (listener) => child.onExit(listener),
      kill: () => child.kill(),
    };
  };
  const client = new EngineHostClient({ threads: 1, ...options, spawn });
  return { client, inject: (message: unknown) => inject!(message) };
}

const open: EngineHostClient[] = [];
function client(options: EngineHostOptions = {}): EngineHostClient {
  const made = new EngineHostClient({ threads: 1, ...options });
  open.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});

describe("engine host", () => {
  let local: Engine;
  beforeAll(() => {
    local = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await local.dispose();
  });

  it("streams the same answer as the engine in-process for the same seed, in batches", async () => {
    const host = client();
    const seeded = { temperature: 0.8, sampling: { ...defaultSamplingSettings, seed: 1234 }, maxOutputTokens: 60 } satisfies Partial<GenerateRequest>;
    const localDeltas: string[] = [];
    const expected = await local.generate(request({ ...seeded, onTextDelta: (t) => localDeltas.push(t) }));
    const hostDeltas: string[] = [];
    let started = 0;
    const loaded: (LoadedModel | null)[] = [];
    host.onLoadedChange = (l) => loaded.push(l);
    const result = await host.generate(request({ ...seeded, onTextDelta: (t) => hostDeltas.push(t), onStart: () => started++ }));

    expect(result.text).toBe(expected.text);
    expect(hostDeltas.join("")).toBe(expected.text);
    expect(result.stats.outputTokens).toBe(expected.stats.outputTokens);
    expect(result.stats.evaluatedInputTokens).toBe(expected.stats.evaluatedInputTokens);
    expect(result.stopReason).toBe(expected.stopReason);
    expect(started).toBe(1);
    // Batched: fewer messages than tokens, and not one delta for the whole answer either.
    expect(hostDeltas.length).toBeLessThan(localDeltas.length);
    // The model indicator follows the host's engine; the host is another process.
    expect(loaded.at(-1)).toMatchObject({ modelId: stories.id, name: stories.name });
    expect(host.loadedModelId).toBe(stories.id);
    expect(host.hostPid).not.toBe(process.pid);
    expect(alive(host.hostPid!)).toBe(true);

    await host.unload();
    expect(host.loadedInfo()).toBeNull();
    expect(loaded.at(-1)).toBeNull();
  });

  it("stops the answer when the caller's signal fires, and serves the next call", async () => {
    const host = client();
    const controller = new AbortController();
    let chunks = 0;
    const result = await host.generate(
      request({
        maxOutputTokens: 400,
        signal: controller.signal,
        onTextDelta: () => {
          chunks += 1;
          if (chunks === 2) controller.abort();
        },
      }),
    );
    expect(result.stopReason).toBe("abort");
    expect(result.stats.outputTokens).toBeLessThan(400);
    expect(result.text.length).toBeGreaterThan(0);
    // Already aborted: refused without a round trip, like the engine in-process.
    await expect(host.generate(request({ signal: AbortSignal.abort() }))).rejects.toMatchObject({ code: "ABORTED" });
    const next = await host.generate(request({ maxOutputTokens: 8 }));
    expect(next.stats.outputTokens).toBeGreaterThan(0);
  });

  it("a host killed mid-answer fails the call with the crash error; the next call starts a new host", async () => {
    const host = client({ restart: { baseDelayMs: 50 } });
    const loaded: (LoadedModel | null)[] = [];
    host.onLoadedChange = (l) => loaded.push(l);
    let text = "";
    let killed: number | null = null;
    const answer = host.generate(
      request({
        maxOutputTokens: 2000,
        contextSize: 2048,
        onTextDelta: (t) => {
          text += t;
          if (killed === null && text.length > 20) {
            killed = host.hostPid!;
            process.kill(killed, "SIGKILL");
          }
        },
      }),
    );
    const error = await answer.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "ENGINE_CRASHED", message: CRASH_MESSAGE, retryable: true });
    expect(killed).not.toBeNull();
    // The loaded-model indicator went back to none; no host runs until the next call.
    expect(loaded.at(-1)).toBeNull();
    expect(host.loadedInfo()).toBeNull();
    expect(host.hostPid).toBeNull();

    const next = await host.generate(request({ maxOutputTokens: 8 }));
    expect(next.stats.outputTokens).toBeGreaterThan(0);
    expect(host.hostPid).not.toBe(killed);
    expect(host.loadedModelId).toBe(stories.id);
  });

  it("stops restarting a host that keeps dying, and says so", async () => {
    const host = client({ restart: { baseDelayMs: 10, maxCrashes: 2, windowMs: 60_000 } });
    // A model that kills the runtime each time it loads, as far as the client can tell.
    for (let i = 0; i < 2; i++) {
      await host.load(stories, 512);
      process.kill(host.hostPid!, "SIGKILL");
      await until(() => host.hostPid === null);
    }
    const refused = await host.load(stories, 512).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "ENGINE_CRASHED", retryable: true });
    expect((refused as AppError).message).toMatch(/stopped unexpectedly 2 times within 60 seconds, so Hearth is not restarting it/);
  });

  it("a malformed message or a flood from the host is a clear error, not a crash of the app", async () => {
    const { client: host, inject } = injectable({ restart: { baseDelayMs: 10 } });
    open.push(host);
    await host.load(stories, 512);
    const first = host.hostPid!;
    const answer = host.generate(
      request({
        maxOutputTokens: 2000,
        contextSize: 512,
        onTextDelta: () => inject({ type: "deltas", id: 1, parts: "not a list", extra: true }),
      }),
    );
    await expect(answer).rejects.toMatchObject({ code: "ENGINE_CRASHED", message: expect.stringMatching(/could not accept \(malformed message\)/) });
    // The misbehaving host is gone, and the next call gets a new one.
    await until(() => !alive(first));
    expect(host.loadedInfo()).toBeNull();
    expect((await host.generate(request({ maxOutputTokens: 4 }))).stats.outputTokens).toBeGreaterThan(0);

    // A flood of well-formed messages is refused too (and the answer in flight with it).
    const second = host.hostPid!;
    const flooded = host.generate(
      request({
        maxOutputTokens: 2000,
        onTextDelta: () => {
          for (let i = 0; i <= hostLimits.maxMessagesPerSecond; i++) inject({ type: "log", level: "info", message: "spam" });
        },
      }),
    );
    await expect(flooded).rejects.toMatchObject({ code: "ENGINE_CRASHED", message: expect.stringMatching(/too many messages/) });
    await until(() => !alive(second));

    // A result for no call is refused, and so is the answer in flight.
    let injected = false;
    const confused = host.generate(
      request({
        maxOutputTokens: 2000,
        onTextDelta: () => {
          if (injected) return;
          injected = true;
          inject({ type: "result", id: 99_999, value: 1 });
        },
      }),
    );
    await expect(confused).rejects.toMatchObject({ code: "ENGINE_CRASHED", message: expect.stringMatching(/result of an unknown call/) });
  });

  it("runs the redaction's second check by name in the host; its refusals cross as themselves", async () => {
    const host = client();
    expect(await host.localCheck({ systemPrompt: "List secrets.", text: "nothing" })).toBeNull();
    await host.load(stories, 512);
    const refusal = await host.localCheck({ systemPrompt: "List secrets.", text: "The code is 1234." }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(SecondPassUnavailable);
    expect(refusal).toMatchObject({ status: "not-capable" });
    // A grammar that allows one answer: the host's check really ran the model under it.
    const schema = {
      type: "object" as const,
      properties: {
        items: { type: "array" as const, prefixItems: [{ type: "object" as const, properties: { type: { const: "SECRET" }, value: { const: "KX-77Q" } } }], minItems: 1, maxItems: 1 },
      },
    };
    const answer = await host.localCheck({ systemPrompt: "List secrets.", text: "The code is KX-77Q.", allowAnyModel: true, schema });
    expect(JSON.parse(answer!)).toEqual({ items: [{ type: "SECRET", value: "KX-77Q" }] });
  });
});
