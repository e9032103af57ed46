import { describe, expect, it, vi } from "vitest";
import { AppError, eventChannel, eventNames, methodChannel, methodNames, type ChatEvent } from "./contract/index.js";
import { buildHearthApi, buildHearthBridge, unwrapHearthBridge, type PreloadIpc } from "./preload-api.js";

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(answer: (channel: string, input: unknown) => unknown = () => ({ ok: true, value: { ok: true } })) {
  const listeners = new Map<string, Set<Listener>>();
  const invoke = vi.fn(async (channel: string, ...args: unknown[]) => answer(channel, args[0]));
  const ipc: PreloadIpc = {
    invoke,
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: "ipcRenderer itself" }, payload);
  };
  const count = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc, invoke, emit, count };
}

const delta: ChatEvent = { type: "text-delta", conversationId: "c1", messageId: "m1", text: "hi" };

describe("buildHearthBridge (what the preload exposes as window.hearth)", () => {
  it("has exactly one function per method, plus subscribe", () => {
    const bridge = buildHearthBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, "subscribe"].sort());
    for (const method of methodNames) expect(typeof bridge[method]).toBe("function");
    expect(Object.keys(bridge.subscribe).sort()).toEqual([...eventNames].sort());
  });

  it("never exposes ipcRenderer or a generic invoke", () => {
    const bridge = buildHearthBridge(fakeIpc().ipc) as unknown as Record<string, unknown>;
    for (const name of ["invoke", "send", "on", "ipcRenderer", "ipc"]) expect(bridge[name]).toBeUndefined();
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it("invokes each method on its own channel with the input only", async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = buildHearthBridge(ipc);
    for (const method of methodNames) {
      const input = { probe: method };
      await (bridge[method] as (input: unknown) => Promise<unknown>)(input);
      expect(invoke).toHaveBeenLastCalledWith(methodChannel(method), input);
    }
    expect(invoke).toHaveBeenCalledTimes(methodNames.length);
  });

  it("resolves with the WireResult, errors included, so code and retryable survive contextBridge", async () => {
    const error = { code: "BUSY", message: "A model is loading.", retryable: true };
    const bridge = buildHearthBridge(fakeIpc(() => ({ ok: false, error })).ipc);
    await expect(bridge.listModels({})).resolves.toEqual({ ok: false, error });
  });

  it("never rejects: a failed invoke or a malformed answer becomes an INTERNAL error", async () => {
    const failing = buildHearthBridge(fakeIpc(() => { throw new Error("No handler registered for 'hearth:method:x'"); }).ipc);
    const failed = await failing.listModels({});
    expect(failed).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(JSON.stringify(failed)).not.toContain("No handler");

    for (const answer of [undefined, null, "text", { ok: true }, { ok: false, error: { code: "NOPE" } }, { ok: "yes" }]) {
      const bridge = buildHearthBridge(fakeIpc(() => answer).ipc);
      await expect(bridge.listModels({})).resolves.toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    }
  });

  it("delivers only the payload to subscribers, and unsubscribes once", () => {
    const { ipc, emit, count } = fakeIpc();
    const bridge = buildHearthBridge(ipc);
    const seen: unknown[][] = [];
    const unsubscribe = bridge.subscribe.chat((...args: unknown[]) => seen.push(args));
    expect(count(eventChannel("chat"))).toBe(1);

    emit(eventChannel("chat"), delta);
    emit(eventChannel("conversations"), { type: "conversation-deleted", conversationId: "c1" });
    expect(seen).toEqual([[delta]]);

    unsubscribe();
    unsubscribe();
    expect(count(eventChannel("chat"))).toBe(0);
    emit(eventChannel("chat"), delta);
    expect(seen).toHaveLength(1);
  });

  it("has a subscribe per event, each on its own channel", () => {
    const { ipc, count } = fakeIpc();
    const bridge = buildHearthBridge(ipc);
    for (const event of eventNames) {
      const unsubscribe = bridge.subscribe[event](() => {});
      expect(count(eventChannel(event))).toBe(1);
      unsubscribe();
    }
  });

  it("refuses a listener that is not a function", () => {
    const bridge = buildHearthBridge(fakeIpc().ipc);
    expect(() => bridge.subscribe.chat("nope" as unknown as () => void)).toThrow(TypeError);
  });
});

describe("unwrapHearthBridge / buildHearthApi (what the renderer uses)", () => {
  it("returns the value of a successful call", async () => {
    const api = buildHearthApi(fakeIpc(() => ({ ok: true, value: [] })).ipc);
    await expect(api.listModels({})).resolves.toEqual([]);
  });

  it("throws an AppError with the code, message and retryable from the wire", async () => {
    const api = buildHearthApi(
      fakeIpc(() => ({ ok: false, error: { code: "INSUFFICIENT_MEMORY", message: "Not enough memory.", retryable: false } })).ipc,
    );
    const error = await api.sendMessage({ conversationId: "c1", text: "hi" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "INSUFFICIENT_MEMORY", message: "Not enough memory.", retryable: false });
  });

  it("works over a bridge whose objects were copied, as contextBridge does", async () => {
    const bridge = buildHearthBridge(fakeIpc(() => ({ ok: false, error: { code: "BUSY", message: "Busy.", retryable: true } })).ipc);
    // contextBridge hands the page new function proxies and plain copies of results; model that with a re-wrap.
    const copied = Object.fromEntries(
      Object.entries(bridge).map(([key, value]) => [
        key,
        typeof value === "function"
          ? async (input: unknown) => structuredClone(await (value as (input: unknown) => Promise<unknown>)(input))
          : { ...(value as object) },
      ]),
    ) as unknown as Parameters<typeof unwrapHearthBridge>[0];
    const api = unwrapHearthBridge(copied);
    await expect(api.listConversations({})).rejects.toMatchObject({ name: "AppError", code: "BUSY", retryable: true });
  });

  it("passes subscriptions through", () => {
    const { ipc, emit } = fakeIpc();
    const api = buildHearthApi(ipc);
    const listener = vi.fn();
    const unsubscribe = api.subscribe.chat(listener);
    emit(eventChannel("chat"), delta);
    unsubscribe();
    emit(eventChannel("chat"), delta);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(delta);
  });
});
