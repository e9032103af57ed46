import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError, eventNames, methodNames, type HearthBridge } from "./contract.js";

type Listener = (payload: unknown) => void;

/** A stand-in for what Electron's preload exposes: WireResults, never rejections. */
function fakeBridge() {
  const listeners = new Map<string, Listener>();
  const bridge: Record<string, unknown> = {};
  for (const method of methodNames) bridge[method] = async () => ({ ok: true, value: { ok: true } });
  bridge.importModel = async () => ({ ok: false, error: { code: "NOT_GGUF", message: "Not a model.", retryable: false } });
  const subscribe: Record<string, unknown> = {};
  for (const event of eventNames) {
    subscribe[event] = (listener: Listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    };
  }
  bridge.subscribe = subscribe;
  return { bridge: bridge as HearthBridge, emit: (event: string, payload: unknown) => listeners.get(event)?.(payload) };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe("getApi in Electron", () => {
  it("unwraps the preload bridge into a throwing API and validates its events", async () => {
    const { bridge, emit } = fakeBridge();
    vi.stubGlobal("window", { hearth: bridge });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { getApi, getConnection } = await import("./get-api.js");
    const api = getApi();

    await expect(api.removeModel({ modelId: "m" })).resolves.toEqual({ ok: true });
    const error = await api.importModel({ path: "/tmp/x.txt" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "NOT_GGUF", message: "Not a model." });
    expect(getConnection().status()).toBe("connected");

    const received: unknown[] = [];
    api.subscribe.conversations((event) => received.push(event));
    emit("conversations", { type: "conversation-deleted" });
    emit("conversations", { type: "conversation-deleted", conversationId: "c1" });
    expect(received).toEqual([{ type: "conversation-deleted", conversationId: "c1" }]);
  });
});
