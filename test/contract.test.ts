import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  defaultConversationSettings,
  AppError,
  eventChannel,
  eventNames,
  methodChannel,
  methodNames,
  type MethodName,
  type WireResult,
} from "../electron/contract/index.js";
import { createCore, type CoreInternals } from "../electron/core/core.js";
import { dispatch, isMethodName, type Handlers } from "../electron/core/dispatch.js";
import { buildHearthApi, buildHearthBridge, type PreloadIpc } from "../electron/preload-api.js";
import { createWsApi, type WebSocketLike } from "../renderer/src/api/ws-api.js";

/**
 * The three places that must agree with the contract: the core's handlers, the Electron preload, and the
 * browser-mode WebSocket client. Each is checked against `methodNames` / `eventNames`, so none can drift.
 */

const unknownRequest = "Unknown request.";

describe("the core", () => {
  let dataDir: string;
  let core: CoreInternals;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-contract-"));
    core = await createCore({ dataDir, shell: "browser" });
  });

  afterAll(async () => {
    await core?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("has exactly one handler per contract method", () => {
    expect(Object.keys(core.handlers).sort()).toEqual([...methodNames].sort());
    for (const method of methodNames) expect(typeof core.handlers[method]).toBe("function");
  });

  it.each(methodNames)("answers %s (a result or a known AppError, never 'unknown request')", async (method) => {
    const result = await core.call(method, {});
    if (!result.ok) {
      expect(result.error.message).not.toBe(unknownRequest);
      expect(result.error.code).not.toBe("INTERNAL");
    }
  });

  it("still answers an unknown method as unknown", async () => {
    await expect(core.call("launchMissiles", {})).resolves.toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: unknownRequest },
    });
  });

  it("answers the preload API end to end, the way main.ts wires IPC to it", async () => {
    const channels = new Map(methodNames.map((method) => [methodChannel(method), method]));
    const ipc: PreloadIpc = {
      invoke: async (channel, input) => core.call(channels.get(channel) ?? "", input),
      on: () => {},
      removeListener: () => {},
    };
    const api = buildHearthApi(ipc);
    // createConversation ran above with {}, so there is exactly that one.
    await expect(api.listConversations({})).resolves.toEqual([expect.objectContaining({ title: expect.any(String) })]);
    await expect(api.pickModelFile({})).resolves.toEqual({ path: null });
    await expect(api.openExternal({ url: "file:///etc/passwd" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(api.getConversation({ conversationId: "missing" })).rejects.toBeInstanceOf(AppError);
  });
});

describe("the Electron preload", () => {
  it("has one function per method, each on its own channel, and one subscribe per event", async () => {
    const invoked: string[] = [];
    const subscribed: string[] = [];
    const ipc: PreloadIpc = {
      invoke: async (channel) => {
        invoked.push(channel);
        return { ok: true, value: null };
      },
      on: (channel) => void subscribed.push(channel),
      removeListener: () => {},
    };
    const bridge = buildHearthBridge(ipc) as unknown as Record<string, unknown> & {
      subscribe: Record<string, (listener: () => void) => () => void>;
    };

    for (const method of methodNames) {
      expect(typeof bridge[method], method).toBe("function");
      await (bridge[method] as (input: unknown) => Promise<unknown>)({});
    }
    expect(invoked).toEqual(methodNames.map(methodChannel));

    expect(Object.keys(bridge.subscribe).sort()).toEqual([...eventNames].sort());
    for (const event of eventNames) expect(typeof bridge.subscribe[event]!(() => {})).toBe("function");
    expect(subscribed).toEqual(eventNames.map(eventChannel));

    // Nothing else: no generic invoke, no ipcRenderer.
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, "subscribe"].sort());
  });
});

describe("the browser-mode WebSocket client", () => {
  function fakeSocket() {
    const sent: Array<{ id: number; method: string; input: unknown }> = [];
    const socket: WebSocketLike = {
      readyState: 1,
      send: (data) => void sent.push(JSON.parse(data) as { id: number; method: string; input: unknown }),
      close: () => {},
      onopen: null,
      onclose: null,
      onerror: null,
      onmessage: null,
    };
    return { socket, sent };
  }

  it("has one function per method sending that method, and one subscribe per event", async () => {
    const { socket, sent } = fakeSocket();
    const api = createWsApi("ws://127.0.0.1:1/api?token=t", { createSocket: () => socket });
    socket.onopen?.({});
    try {
      const calls = methodNames.map((method) => {
        expect(typeof api[method], method).toBe("function");
        return (api[method] as (input: unknown) => Promise<unknown>)({}).catch((error: unknown) => error);
      });
      expect(sent.map((request) => request.method)).toEqual(methodNames);
      for (const request of sent) {
        const result: WireResult<unknown> = {
          ok: false,
          error: { code: "INVALID_INPUT", message: `checked ${request.method}`, retryable: false },
        };
        socket.onmessage?.({ data: JSON.stringify({ id: request.id, result }) });
      }
      const errors = await Promise.all(calls);
      errors.forEach((error, index) => {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).message).toBe(`checked ${methodNames[index]}`);
      });

      expect(Object.keys(api.subscribe).sort()).toEqual([...eventNames].sort());
      for (const event of eventNames) expect(typeof api.subscribe[event](() => {})).toBe("function");
    } finally {
      api.close();
    }
  });
});

describe("dispatch", () => {
  function handlersWith(overrides: Partial<Record<MethodName, (input: never) => Promise<unknown>>>): Handlers {
    const handlers: Record<string, unknown> = {};
    for (const method of methodNames) {
      handlers[method] = overrides[method] ?? (async () => {
        throw new Error(`${method} should not have been called`);
      });
    }
    return handlers as Handlers;
  }

  it("refuses input that does not match the contract, naming the field, without running the handler", async () => {
    const sendMessage = vi.fn(async () => ({}));
    const handlers = handlersWith({ sendMessage });
    const result = await dispatch(handlers, "sendMessage", { conversationId: "c1", text: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", retryable: false } });
    expect(!result.ok && result.error.message).toContain("(text)");

    await expect(dispatch(handlers, "sendMessage", { conversationId: "c1", text: "hi", extra: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    await expect(dispatch(handlers, "sendMessage", "not an object")).resolves.toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it("treats a missing input as {} and passes the parsed input to the handler", async () => {
    const listModels = vi.fn(async () => []);
    const renameConversation = vi.fn(async (input: { conversationId: string; title: string }) => ({
      id: input.conversationId,
      title: input.title,
      createdAt: 1,
      updatedAt: 2,
      settings: { ...defaultConversationSettings, modelId: null },
    }));
    const handlers = handlersWith({ listModels, renameConversation });
    await expect(dispatch(handlers, "listModels", undefined)).resolves.toEqual({ ok: true, value: [] });
    const renamed = await dispatch(handlers, "renameConversation", { conversationId: "c1", title: "  Trip plans  " });
    expect(renameConversation).toHaveBeenCalledWith({ conversationId: "c1", title: "Trip plans" });
    expect(renamed).toMatchObject({ ok: true, value: { title: "Trip plans" } });
  });

  it.each([["launchMissiles"], ["toString"], ["constructor"], ["__proto__"], ["hasOwnProperty"], [""], [42], [null], [undefined]])(
    "answers an unknown method %j with an error, not a crash",
    async (method) => {
      expect(isMethodName(method)).toBe(false);
      await expect(dispatch(handlersWith({}), method, {})).resolves.toEqual({
        ok: false,
        error: { code: "INVALID_INPUT", message: unknownRequest, retryable: false },
      });
    },
  );

  it("never lets a thrown non-AppError's text out, and reports it to onUnexpected", async () => {
    const secret = "ENOENT: /home/alice/.ssh/id_rsa token=sk-123";
    const onUnexpected = vi.fn();
    const handlers = handlersWith({
      listModels: async () => {
        throw new Error(secret);
      },
    });
    const result = await dispatch(handlers, "listModels", {}, onUnexpected);
    expect(result).toMatchObject({ ok: false, error: { code: "INTERNAL", retryable: false } });
    expect(JSON.stringify(result)).not.toMatch(/alice|sk-123|ENOENT/);
    expect(onUnexpected).toHaveBeenCalledWith(expect.objectContaining({ message: secret }), "listModels");
  });

  it("does not leak a thrown string or object either", async () => {
    for (const thrown of ["raw string with /etc/shadow", { message: "object with /etc/shadow" }, undefined]) {
      const handlers = handlersWith({
        listModels: async () => {
          throw thrown;
        },
      });
      const result = await dispatch(handlers, "listModels", {});
      expect(result).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
      expect(JSON.stringify(result)).not.toContain("/etc/shadow");
    }
  });

  it("passes an AppError through with its code, message and retryable, without calling onUnexpected", async () => {
    const onUnexpected = vi.fn();
    const handlers = handlersWith({
      listModels: async () => {
        throw new AppError("BUSY", "A model is loading; try again in a moment.", { retryable: true });
      },
    });
    await expect(dispatch(handlers, "listModels", {}, onUnexpected)).resolves.toEqual({
      ok: false,
      error: { code: "BUSY", message: "A model is loading; try again in a moment.", retryable: true },
    });
    expect(onUnexpected).not.toHaveBeenCalled();
  });

  it("refuses a handler's output that breaks the contract, without leaking it", async () => {
    const handlers = handlersWith({ listModels: async () => [{ id: "m1", path: "/home/alice/secret.gguf" }] });
    const result = await dispatch(handlers, "listModels", {});
    expect(result).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(JSON.stringify(result)).not.toContain("alice");
  });
});
