import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appIndexUrl, createAppProtocolHandler } from "../electron/app-protocol.js";
import { contentSecurityPolicy, cspDirectives } from "../electron/bridge/csp.js";
import {
  buildsOf,
  fuseWireFor,
  loadBuilderConfig,
  mainFileFilter,
  nodeModuleFilter,
  readBuilderConfig,
  validateBuilderConfig,
  type BuilderConfig,
} from "./fixtures/electron-builder.js";
import { repoRoot } from "./fixtures/paths.js";

/**
 * What the packaged app would be, checked without Electron's binary: the fuses electron-builder burns into it
 * (through electron-builder's own config loader and fuse mapping), no source map among the files it would copy
 * from the built project (its own file matchers, over the real build output), and the app:// handler over the
 * real built renderer. Needs `npm run build` first (npm test does it).
 */

const require = createRequire(import.meta.url);
const { FuseV1Options, FuseVersion } = require("@electron/fuses") as {
  FuseV1Options: Record<string, number>;
  FuseVersion: Record<string, string | number>;
};

const builtFolders = ["dist", "dist-electron"];
let loaded: BuilderConfig;

function filesUnder(relativeDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else out.push(relative);
    }
  };
  walk(relativeDir);
  return out;
}

beforeAll(async () => {
  for (const folder of ["dist/renderer/index.html", "dist-electron/electron/main.js", "dist-electron/preload.cjs"]) {
    if (!fs.existsSync(path.join(repoRoot, folder))) throw new Error(`${folder} is missing: run \`npm run build\` first.`);
  }
  loaded = await loadBuilderConfig();
});

describe("the Electron fuses", () => {
  const expected = {
    RunAsNode: false,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableCookieEncryption: true,
    OnlyLoadAppFromAsar: true,
    EnableEmbeddedAsarIntegrityValidation: true,
    GrantFileProtocolExtraPrivileges: false,
  } as const;

  it("pass electron-builder's validation", async () => {
    await expect(validateBuilderConfig(readBuilderConfig())).resolves.toBeUndefined();
    await expect(validateBuilderConfig(loaded)).resolves.toBeUndefined();
  });

  it.each(Object.entries(expected))("%s is burnt in as %s", async (name, value) => {
    const wire = await fuseWireFor(loaded);
    const index = FuseV1Options[name];
    expect(index, `@electron/fuses knows ${name}`).toEqual(expect.any(Number));
    expect(wire[index!]).toBe(value);
  });

  it("burns a version 1 wire with nothing else flipped", async () => {
    const wire = await fuseWireFor(loaded);
    expect(wire.version).toBe(FuseVersion.V1);
    const set = Object.keys(wire).filter((key) => /^\d+$/.test(key)).map(Number).sort((a, b) => a - b);
    expect(set).toEqual(Object.keys(expected).map((name) => FuseV1Options[name]!).sort((a, b) => a - b));
  });
});

describe("source maps", () => {
  it("are written by the build (so the check below has something to leave out)", () => {
    const maps = builtFolders.flatMap(filesUnder).filter((file) => file.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
  });

  it.each(buildsOf(readBuilderConfig()))("$platform $arch ships the built app without a single .map file", ({ platform, arch }) => {
    const filter = mainFileFilter(loaded, repoRoot, platform, arch);
    const shipped = builtFolders
      .flatMap(filesUnder)
      .filter((file) => filter(path.join(repoRoot, file), { isDirectory: () => false }));
    expect(shipped).toContain(path.join("dist", "renderer", "index.html"));
    expect(shipped).toContain(path.join("dist-electron", "electron", "main.js"));
    expect(shipped).toContain(path.join("dist-electron", "electron", "app-protocol.js"));
    expect(shipped).toContain(path.join("dist-electron", "preload.cjs"));
    expect(shipped.filter((file) => file.endsWith(".map"))).toEqual([]);
  });

  it("leaves dependencies' maps out too", () => {
    const ships = (relative: string) =>
      nodeModuleFilter(loaded, repoRoot, "linux", "x64")(path.join(repoRoot, relative), {
        isDirectory: () => false,
        moduleFullFilePath: relative,
      });
    expect(ships("node_modules/node-llama-cpp/dist/index.js")).toBe(true);
    expect(ships("node_modules/node-llama-cpp/dist/index.js.map")).toBe(false);
    expect(ships("node_modules/zod/v4/core/schemas.js")).toBe(true);
    expect(ships("node_modules/zod/v4/core/schemas.js.map")).toBe(false);
  });

  it("are not pointed at by the renderer bundle", () => {
    const scripts = filesUnder(path.join("dist", "renderer")).filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(fs.readFileSync(path.join(repoRoot, script), "utf8"), script).not.toContain("sourceMappingURL");
  });
});

describe("app://hearth/ over the built renderer", () => {
  const csp = contentSecurityPolicy();
  const rendererRoot = path.join(repoRoot, "dist", "renderer");
  const handler = createAppProtocolHandler({ root: rendererRoot, csp });

  it("serves index.html with the CSP that forbids frames and needs Trusted Types", async () => {
    const res = await handler(new Request(appIndexUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const header = res.headers.get("content-security-policy")!;
    expect(header).toBe(csp);
    const directives = cspDirectives(header);
    expect(directives.get("frame-src")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("require-trusted-types-for")).toEqual(["'script'"]);
  });

  it("serves every script and stylesheet the index loads, with its type, relative to app://hearth/", async () => {
    const html = await (await handler(new Request(appIndexUrl))).text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(1);
    for (const ref of refs) {
      const url = new URL(ref, appIndexUrl);
      expect(url.host, ref).toBe("hearth");
      const res = await handler(new Request(url.href));
      expect(res.status, ref).toBe(200);
      expect(res.headers.get("content-type"), ref).toMatch(ref.endsWith(".js") ? /^text\/javascript/ : /^text\/css/);
    }
  });

  it("refuses the maps and everything outside the renderer folder", async () => {
    const map = filesUnder(path.join("dist", "renderer")).find((file) => file.endsWith(".map"));
    expect(map).toBeDefined();
    const mapUrl = `app://hearth/${path.relative(rendererRoot, path.join(repoRoot, map!)).split(path.sep).join("/")}`;
    expect((await handler(new Request(mapUrl))).status).toBe(404);
    for (const escape of [
      "app://hearth/../../dist-electron/electron/main.js",
      "app://hearth/..%2f..%2fpackage.json",
      "app://hearth/%2e%2e/%2e%2e/electron-builder.yml",
      "app://hearth/..%5c..%5cpackage.json",
    ]) {
      expect((await handler(new Request(escape))).status, escape).toBe(404);
    }
  });
});
