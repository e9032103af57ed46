import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "vite";
import { eventChannel, eventNames, methodChannel, methodNames } from "../electron/contract/index.js";

/**
 * Builds the preload with vite.preload.config.ts and runs the bundle the way a sandboxed Electron preload runs:
 * CommonJS, a `require` that knows only "electron", and no Node `process`. Catches a bundle that pulls in a
 * local file, a Node built-in or ESM syntax, which would leave `window.hearth` undefined in the real app.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
let outDir: string;
let bundle: string;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-preload-"));
  await build({
    configFile: path.join(root, "vite.preload.config.ts"),
    logLevel: "silent",
    build: { outDir, emptyOutDir: true },
  });
  bundle = fs.readFileSync(path.join(outDir, "preload.cjs"), "utf8");
}, 60_000);

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

function runSandboxed() {
  const exposed = new Map<string, unknown>();
  const invoked: Array<[string, unknown]> = [];
  const listening: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return { ok: false, error: { code: "BUSY", message: "Busy.", retryable: true } };
      },
      on: (channel: string) => void listening.push(channel),
      removeListener: () => {},
    },
  };
  const required: string[] = [];
  const module = { exports: {} as unknown };
  const context = vm.createContext({
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name === "electron") return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    },
  });
  vm.runInContext(bundle, context, { filename: "preload.cjs" });
  return { exposed, invoked, listening, required };
}

describe("the bundled preload (dist-electron/preload.cjs)", () => {
  it("is CommonJS that requires only electron", () => {
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m);
    const requires = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(new Set(requires)).toEqual(new Set(["electron"]));
  });

  it("exposes window.hearth with one function per method and one subscribe per event, and nothing else", async () => {
    const { exposed, invoked, listening, required } = runSandboxed();
    expect(required).toEqual(["electron"]);
    expect([...exposed.keys()]).toEqual(["hearth"]);
    const hearth = exposed.get("hearth") as Record<string, unknown> & { subscribe: Record<string, (listener: () => void) => () => void> };
    expect(Object.keys(hearth).sort()).toEqual([...methodNames, "subscribe"].sort());

    for (const method of methodNames) {
      const result = await (hearth[method] as (input: unknown) => Promise<unknown>)({});
      expect(result).toEqual({ ok: false, error: { code: "BUSY", message: "Busy.", retryable: true } });
    }
    expect(invoked.map(([channel]) => channel)).toEqual(methodNames.map(methodChannel));

    for (const event of eventNames) hearth.subscribe[event]!(() => {});
    expect(listening).toEqual(eventNames.map(eventChannel));
  });
});
