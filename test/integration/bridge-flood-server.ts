/**
 * The browser-mode server (real core, browser shell, the bridge) in a process of its own, so a test can flood it
 * and read its peak memory from /proc. Usage: node bridge-flood-server.mjs <dataDir>
 * Prints one JSON line `{port, token}` once listening; exits when stdin closes.
 */
import fs from "node:fs";
import path from "node:path";
import { startBridge } from "../../electron/bridge/bridge-server.js";
import { createCore } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: bridge-flood-server <dataDir>");

const staticDir = path.join(dataDir, "static");
fs.mkdirSync(staticDir, { recursive: true });
fs.writeFileSync(path.join(staticDir, "index.html"), "<!doctype html><title>Hearth</title>");
const logger = createStderrLogger("warn");
const core = await createCore({ dataDir: path.join(dataDir, "data"), shell: "browser", threads: 1, policyFile: null, logger });
const bridge = await startBridge({ core, staticDir, logger });
process.stdout.write(`${JSON.stringify({ port: bridge.port, token: bridge.token })}\n`);

process.stdin.resume();
process.stdin.on("end", () => {
  void bridge
    .close()
    .then(() => core.dispose())
    .finally(() => process.exit(0));
});
