// `npm start` (after the build): opens Hearth in Electron when its binary is installed, else in browser mode.
//
// The binary is found the way the electron package finds it (node_modules/electron/path.txt -> dist/<exe>), but
// without require("electron"): when the binary is missing, that require starts a download, which on a machine
// without network hangs on a timeout and then throws a stack trace instead of saying what is wrong.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * @param {string} root the repository (or app) root holding node_modules
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(root, env = process.env) {
  const packageDir = path.join(root, "node_modules", "electron");
  if (!fs.existsSync(path.join(packageDir, "package.json"))) {
    return { ok: false, reason: "the electron package is not in node_modules; run npm install" };
  }
  const pathFile = path.join(packageDir, "path.txt");
  let executable = null;
  try {
    executable = fs.readFileSync(pathFile, "utf8").trim();
  } catch {
    // handled below, together with the override
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || "electron");
    return fs.existsSync(overridden)
      ? { ok: true, path: overridden }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${overridden} does not exist` };
  }
  if (!executable) {
    return { ok: false, reason: `${installScriptReason(root)}, so node_modules/electron has no path.txt and no dist/` };
  }
  const binary = path.join(packageDir, "dist", executable);
  if (!fs.existsSync(binary)) {
    return { ok: false, reason: `node_modules/electron/path.txt names dist/${executable}, which is missing (an interrupted download?)` };
  }
  return { ok: true, path: binary };
}

/** Why electron's install script (the one that downloads the binary) did not leave a binary behind. */
function installScriptReason(root) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    if (pkg?.allowScripts?.electron === false) {
      return "the electron package's install script, which downloads the binary, did not run (package.json allowScripts has electron: false)";
    }
  } catch {
    // fall through to the general reason
  }
  return "the electron package's install script, which downloads the binary, did not run or could not reach the network";
}

/** Runs a child with our stdio, passes Ctrl-C / kill on to it, and exits with its status. */
function runForwarding(command, args) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: "inherit" });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("error", (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    process.exit(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1));
  });
}

function main() {
  const args = process.argv.slice(2);
  const forceBrowser = args.includes("--browser") || process.env.HEARTH_BROWSER === "1";
  const electron = forceBrowser ? { ok: false, reason: "browser mode was asked for" } : findElectronBinary(repoRoot);

  if (electron.ok) {
    runForwarding(electron.path, [repoRoot, ...args]);
    return;
  }

  const serveEntry = path.join(repoRoot, "dist-electron", "electron", "serve.js");
  if (!fs.existsSync(serveEntry)) {
    console.error(`Hearth is not built (${path.relative(repoRoot, serveEntry)} is missing); run npm run build first.`);
    process.exit(1);
  }
  if (!forceBrowser) {
    console.log(`Electron's binary is not installed here (${electron.reason}); starting Hearth in browser mode instead.`);
  }
  runForwarding(process.execPath, [serveEntry, ...args.filter((arg) => arg !== "--browser")]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
