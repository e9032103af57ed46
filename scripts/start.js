// `npm start` (after the build): opens Hearth in Electron when its binary is installed, else in browser mode.
//
// The binary is found the way the electron package finds it (node_modules/electron/path.txt -> dist/<exe>), but
// without require("electron"): when the binary is missing, that require starts a download, which on a machine
// without network hangs on a timeout and then throws a stack trace instead of saying what is wrong.
import { spawn, spawnSync } from "node:child_process";
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

/**
 * `npm install` never runs electron's download (package.json allowScripts keeps it off, so an offline install
 * cannot fail on it). Where the network is there, the first `npm start` fetches the binary once with electron's
 * own installer; offline, the installer fails within a second and we say why in one line.
 * @returns {string | null | undefined} why it failed; null when it succeeded; undefined when it was not tried
 */
function downloadElectronOnce(root) {
  const installer = path.join(root, "node_modules", "electron", "install.js");
  if (!fs.existsSync(installer) || process.env.HEARTH_NO_ELECTRON_DOWNLOAD === "1") {
    return undefined;
  }
  console.log("Electron's binary is not installed yet: downloading it once (about 100 MB)...");
  const result = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), encoding: "utf8", timeout: 300_000 });
  if (result.status === 0) return null;
  const output = `${result.stderr ?? ""}${result.stdout ?? ""}`;
  const firstLine = output.split("\n").find((line) => /error|ENOTFOUND|EAI_AGAIN|ECONN|fetch failed|timed out/i.test(line))?.trim();
  return `its download failed${firstLine ? `: ${firstLine.slice(0, 160)}` : result.error ? `: ${result.error.message}` : ""}`;
}

function main() {
  const args = process.argv.slice(2);
  const forceBrowser = args.includes("--browser") || process.env.HEARTH_BROWSER === "1";
  let electron = forceBrowser ? { ok: false, reason: "browser mode was asked for" } : findElectronBinary(repoRoot);
  if (!electron.ok && !forceBrowser) {
    const failure = downloadElectronOnce(repoRoot);
    if (failure !== undefined) {
      const again = findElectronBinary(repoRoot);
      electron = again.ok ? again : { ok: false, reason: failure ? `${electron.reason}; ${failure}` : again.reason };
    }
  }

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
