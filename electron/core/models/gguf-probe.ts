import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AppError } from "../../contract/index.js";
import type { Logger } from "../core-types.js";

/** What the child reports; checked here, since it comes from parsing an untrusted file. */
const probeMessageSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    summary: z.object({
      architecture: z.string().max(100),
      name: z.string().max(200),
      fileType: z.number().int().nullable(),
      parameters: z.number(),
      trainContextSize: z.number().nullable(),
      modelSize: z.number(),
      infoEndOffset: z.number(),
      splicedParts: z.number().int(),
      supported: z.boolean(),
      hasChatTemplate: z.boolean(),
    }),
  }),
  z.object({ ok: z.literal(false), reason: z.string().max(500) }),
]);
export type GgufProbeMessage = z.infer<typeof probeMessageSchema>;
export type GgufProbeSummary = Extract<GgufProbeMessage, { ok: true }>["summary"];

/** The little of a child process the probe uses; Node's fork and Electron's utilityProcess both fit it. */
export type ProbeChild = {
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
};

/**
 * Starts `script` with `args` in a new process. The Electron shell passes one built on utilityProcess: its
 * RunAsNode fuse is off, so forking process.execPath would start a second copy of the app, not Node.
 */
export type SpawnChild = (script: string, args: string[], options: { execArgv: string[] }) => ProbeChild;

export const forkNodeChild: SpawnChild = (script, args, { execArgv }) => {
  const child = fork(script, args, {
    execArgv,
    stdio: ["ignore", "ignore", "ignore", "ipc"],
    // Lets an unpackaged Electron binary (development) act as Node; plain Node ignores it.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  return {
    onMessage: (listener) => child.on("message", (message) => listener(message)),
    onExit: (listener) => {
      child.on("exit", (code, signal) => listener(code, signal));
      child.on("error", () => listener(null, "spawn-error"));
    },
    kill: () => child.kill("SIGKILL"),
  };
};

export type GgufProbeOptions = {
  spawn?: SpawnChild;
  /** Heap of the child, MB: a real header (260k-token vocabularies) needs well under 100. */
  maxHeapMb?: number;
  timeoutMs?: number;
  logger?: Logger;
};

export const probeDefaults = { maxHeapMb: 512, timeoutMs: 60_000 } as const;

/**
 * Parses the header of `file` (node-llama-cpp's readGgufFileInfo and GgufInsights) in a child process. A crash,
 * out-of-memory or deadline there is DAMAGED_MODEL; a parse error is GGUF_TRUNCATED, as before.
 */
export async function probeGguf(file: string, fileName: string, options: GgufProbeOptions = {}): Promise<GgufProbeSummary> {
  const spawn = options.spawn ?? forkNodeChild;
  const timeoutMs = options.timeoutMs ?? probeDefaults.timeoutMs;
  const maxHeapMb = options.maxHeapMb ?? probeDefaults.maxHeapMb;
  const damaged = (why: string) =>
    new AppError(
      "DAMAGED_MODEL",
      `${fileName} is damaged: ${why}. Hearth did not load it. Get the model again from a source you trust.`,
    );

  const message = await new Promise<unknown>((resolve, reject) => {
    const child = spawn(probeScript(), [file], { execArgv: [`--max-old-space-size=${maxHeapMb}`] });
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      settle();
    };
    const timer = setTimeout(() => {
      options.logger?.warn("model header check timed out", { file: fileName, timeoutMs });
      finish(() => reject(damaged(`reading its header took longer than ${timeoutMs / 1000} s`)));
    }, timeoutMs);
    child.onMessage((m) => finish(() => resolve(m)));
    child.onExit((code, signal) => {
      if (settled) return;
      options.logger?.warn("model header check crashed", { file: fileName, code, signal });
      finish(() => reject(damaged("reading its header crashed the check (too large or malformed)")));
    });
  });

  const parsed = probeMessageSchema.safeParse(message);
  if (!parsed.success) throw damaged("the check of its header returned nonsense");
  if (!parsed.data.ok) {
    options.logger?.info("model header unreadable", { file: fileName, reason: parsed.data.reason });
    throw new AppError(
      "GGUF_TRUNCATED",
      `${fileName} looks like a GGUF file but its header is damaged or incomplete (an unfinished download?).`,
    );
  }
  return parsed.data.summary;
}

/**
 * The compiled child script. Built code (the app, browser mode) finds it beside this module, inside app.asar too;
 * tests run this module from its TypeScript source, so the child comes from `npm run build:node`'s output.
 */
export function probeScript(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = path.join(path.dirname(here), "gguf-probe-child.js");
  if (here.endsWith(".js")) return beside;
  const root = path.resolve(path.dirname(here), "../../..");
  const built = path.join(root, "dist-electron/electron/core/models/gguf-probe-child.js");
  if (!fs.existsSync(built)) {
    throw new Error(`The model header check is not built (${built} is missing): run npm run build:node first.`);
  }
  return built;
}
