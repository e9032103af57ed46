import { parseArgs } from "node:util";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCore } from "./core/core.js";
import { forkHost } from "./core/engine-host/host-spawn.js";
import { createStderrLogger } from "./core/logger.js";
import { defaultDataDir } from "./core/paths.js";
import { startBridge } from "./bridge/bridge-server.js";

/** A port given on the command line or in the environment: 0 (any free port) to 65535, else a clear error. */
function portArg(name: string, raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be 0-65535, got ${raw}`);
  return port;
}

/** Browser mode: the same core and UI, served on 127.0.0.1 with a per-launch token. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string" },
      port: { type: "string" },
      threads: { type: "string" },
      "hf-endpoint": { type: "string" },
      "api-port": { type: "string" },
      "api-key": { type: "string" },
    },
  });
  const dataDir = path.resolve(values["data-dir"] ?? process.env.HEARTH_DATA_DIR ?? defaultDataDir());
  const port = portArg("--port", values.port ?? process.env.HEARTH_PORT ?? "0");
  const threadsRaw = values.threads ?? process.env.HEARTH_THREADS;
  const threads = threadsRaw ? Number(threadsRaw) : undefined;
  if (threads != null && (!Number.isInteger(threads) || threads < 1)) throw new Error("--threads must be a positive integer");

  // The local OpenAI-compatible API: on at this port for this launch; the key (else the stored one) for scripts and CI.
  const apiPortRaw = values["api-port"] ?? process.env.HEARTH_API_PORT;
  const apiPort = apiPortRaw ? portArg("--api-port", apiPortRaw) : null;
  const apiKey = values["api-key"] ?? process.env.HEARTH_API_KEY ?? null;

  const logger = createStderrLogger(process.env.HEARTH_LOG_LEVEL === "warn" ? "warn" : "info");
  const here = path.dirname(fileURLToPath(import.meta.url));
  const staticDir = path.resolve(here, "../../dist/renderer");
  const version = process.env.npm_package_version;

  const huggingFaceEndpoint = values["hf-endpoint"] ?? process.env.HEARTH_HF_ENDPOINT;
  if (huggingFaceEndpoint) new URL(huggingFaceEndpoint); // a clear error now rather than at the first search
  const core = await createCore({
    dataDir,
    shell: "browser",
    threads,
    logger,
    appVersion: version,
    huggingFaceEndpoint,
    apiServer: { port: apiPort, key: apiKey },
    // llama.cpp runs in a child process: a model that aborts it does not take the server down.
    engineHost: { spawn: forkHost },
  });
  const bridge = await startBridge({ core, staticDir, port, logger });
  process.stdout.write(`Hearth is running in browser mode: ${bridge.url}\n`);
  process.stdout.write(`Data folder: ${dataDir}\n`);
  const api = core.apiServer.state();
  if (api.url) process.stdout.write(`Local API (OpenAI-compatible): ${api.url}\n`);
  else if (apiPort !== null) process.stdout.write(`Local API did not start: ${api.policyRefusal ?? api.problem ?? "unknown reason"}\n`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await bridge.close();
    await core.dispose();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`Hearth could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
