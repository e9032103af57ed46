import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript script without type declarations
import { findElectronBinary } from "./start.js";

type Found = { ok: true; path: string } | { ok: false; reason: string };
const find = findElectronBinary as (root: string, env?: NodeJS.ProcessEnv) => Found;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A throwaway project: package.json, and optionally node_modules/electron in one of its states. */
function project(options: { electron?: "missing" | "no-binary" | "path-only" | "installed"; allowScripts?: boolean } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-start-"));
  made.push(root);
  const pkg = options.allowScripts === false ? { allowScripts: { electron: false } } : {};
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "fake", type: "module", ...pkg }));
  const electronDir = path.join(root, "node_modules", "electron");
  const state = options.electron ?? "no-binary";
  if (state !== "missing") {
    fs.mkdirSync(electronDir, { recursive: true });
    fs.writeFileSync(path.join(electronDir, "package.json"), JSON.stringify({ name: "electron" }));
  }
  if (state === "path-only" || state === "installed") fs.writeFileSync(path.join(electronDir, "path.txt"), "electron");
  if (state === "installed") {
    fs.mkdirSync(path.join(electronDir, "dist"));
    fs.writeFileSync(path.join(electronDir, "dist", "electron"), "");
  }
  return root;
}

describe("findElectronBinary", () => {
  it("finds the binary the electron package installed", () => {
    const root = project({ electron: "installed" });
    expect(find(root, {})).toEqual({ ok: true, path: path.join(root, "node_modules", "electron", "dist", "electron") });
  });

  it("says when the install script was disabled in package.json", () => {
    const result = find(project({ allowScripts: false }), {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/install script.*did not run \(package\.json allowScripts has electron: false\)/);
  });

  it("says when the install script did not run or had no network", () => {
    const result = find(project(), {});
    expect(!result.ok && result.reason).toMatch(/did not run or could not reach the network/);
  });

  it("says when the download was interrupted", () => {
    const result = find(project({ electron: "path-only" }), {});
    expect(!result.ok && result.reason).toMatch(/dist\/electron, which is missing/);
  });

  it("says when the package itself is missing", () => {
    const result = find(project({ electron: "missing" }), {});
    expect(!result.ok && result.reason).toMatch(/not in node_modules; run npm install/);
  });

  it("honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does", () => {
    const root = project();
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-electron-dist-"));
    made.push(dist);
    expect(find(root, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toMatchObject({ ok: false });
    fs.writeFileSync(path.join(dist, "electron"), "");
    expect(find(root, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ ok: true, path: path.join(dist, "electron") });
  });
});

describe("scripts/start.js without Electron's binary", () => {
  /** Copies start.js into a fake project whose serve.js reports what it got. */
  function fakeApp(serveSource: string) {
    const root = project({ allowScripts: false });
    fs.mkdirSync(path.join(root, "scripts"));
    fs.copyFileSync(path.join(import.meta.dirname, "start.js"), path.join(root, "scripts", "start.js"));
    fs.mkdirSync(path.join(root, "dist-electron", "electron"), { recursive: true });
    fs.writeFileSync(path.join(root, "dist-electron", "electron", "serve.js"), serveSource);
    return root;
  }

  function run(root: string, args: string[] = [], onOutput?: (text: string, child: ReturnType<typeof spawn>) => void) {
    const child = spawn(process.execPath, [path.join(root, "scripts", "start.js"), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HEARTH_BROWSER: "", ELECTRON_OVERRIDE_DIST_PATH: "" },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout, child);
    });
    return new Promise<{ code: number | null; stdout: string }>((resolve) =>
      child.on("exit", (code) => resolve({ code, stdout })),
    );
  }

  it("prints one line saying why, then runs serve.js with the arguments and its exit code", async () => {
    const root = fakeApp(`console.log("serve " + JSON.stringify(process.argv.slice(2))); process.exit(3);`);
    const { code, stdout } = await run(root, ["--port", "4000"]);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "Electron's binary is not installed here (the electron package's install script, which downloads the binary, " +
        "did not run (package.json allowScripts has electron: false), so node_modules/electron has no path.txt and no dist/); " +
        "starting Hearth in browser mode instead.",
    );
    expect(lines[1]).toBe(`serve ["--port","4000"]`);
    expect(code).toBe(3);
  });

  it("downloads Electron's binary once with electron's own installer, then opens the desktop app", async () => {
    const root = fakeApp(`console.log("serve"); process.exit(0);`);
    const electronDir = path.join(root, "node_modules", "electron");
    // A stand-in installer that "downloads" a stand-in binary the way electron's install.js leaves it.
    fs.writeFileSync(
      path.join(electronDir, "install.js"),
      `const fs = require("fs"); fs.mkdirSync(__dirname + "/dist"); fs.writeFileSync(__dirname + "/path.txt", "electron");
       fs.writeFileSync(__dirname + "/dist/electron", "#!/bin/sh\\necho desktop app opened with $1\\n", { mode: 0o755 });`,
    );
    const { code, stdout } = await run(root);
    expect(stdout).toContain("downloading it once");
    expect(stdout).toContain(`desktop app opened with ${root}`);
    expect(stdout).not.toContain("serve");
    expect(code).toBe(0);
  });

  it("says in one line why the download failed (offline), and serves the browser mode", async () => {
    const root = fakeApp(`console.log("serve"); process.exit(0);`);
    fs.writeFileSync(
      path.join(root, "node_modules", "electron", "install.js"),
      `console.error("Error: getaddrinfo ENOTFOUND github.com"); process.exit(1);`,
    );
    const { code, stdout } = await run(root);
    expect(stdout).toMatch(/starting Hearth in browser mode instead/);
    expect(stdout).toContain("its download failed: Error: getaddrinfo ENOTFOUND github.com");
    expect(stdout.trim().split("\n").at(-1)).toBe("serve");
    expect(code).toBe(0);
  });

  it("passes SIGTERM on to the server and waits for it to shut down", async () => {
    const root = fakeApp(
      `process.on("SIGTERM", () => { console.log("server got SIGTERM"); process.exit(0); }); console.log("listening"); setInterval(() => {}, 1000);`,
    );
    let signalled = false;
    const { code, stdout } = await run(root, [], (text, child) => {
      if (!signalled && text.includes("listening")) {
        signalled = true;
        child.kill("SIGTERM");
      }
    });
    expect(stdout).toContain("server got SIGTERM");
    expect(code).toBe(0);
  });

  it("says to build first when serve.js is missing", async () => {
    const root = project();
    fs.mkdirSync(path.join(root, "scripts"));
    fs.copyFileSync(path.join(import.meta.dirname, "start.js"), path.join(root, "scripts", "start.js"));
    const { code } = await run(root);
    expect(code).toBe(1);
  });
});
