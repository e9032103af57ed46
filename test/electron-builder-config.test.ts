import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The packaging config, checked three ways without the Electron binary: its content, electron-builder's own
 * schema validation, and electron-builder's own config loading and file matchers (the functions it uses to pick
 * what goes into the app and what is unpacked from the asar), fed the config exactly as electron-builder loads
 * it (its loader turns `files` into file sets, which changes how platform-level patterns combine). Those are
 * internal to app-builder-lib; if an upgrade moves them, this test fails loudly rather than checking nothing.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const configPath = path.join(root, "electron-builder.yml");
const require = createRequire(import.meta.url);
/** The file as written, for content checks. */
const config = parse(fs.readFileSync(configPath, "utf8")) as BuilderConfig;
/** The config as electron-builder loads it, for its matchers. */
let loaded: BuilderConfig;

type Arch = "x64" | "arm64" | "ia32" | "armv7l" | "universal";
type PlatformKey = "mac" | "win" | "linux";
type TargetEntry = { target: string; arch: Arch[] };
type PlatformConfig = { target: TargetEntry[]; files?: unknown; [key: string]: unknown };
type BuilderConfig = {
  appId: string;
  productName: string;
  directories: { output: string };
  files: unknown[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild?: boolean;
  mac: PlatformConfig;
  win: PlatformConfig;
  linux: PlatformConfig;
  [key: string]: unknown;
};

type Stat = { isDirectory(): boolean; moduleFullFilePath?: string };
type Filter = (file: string, stat: Stat) => boolean;
type Matcher = { createFilter(): Filter; patterns: string[] };
type MacroExpander = (pattern: string) => string;

const fileMatcherModule = require("app-builder-lib/out/fileMatcher.js") as {
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: MacroExpander,
    platformOptions: object,
    packager: object,
  ): Matcher;
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: MacroExpander,
    platformOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getFileMatchers(
    config: object,
    name: string,
    destination: string,
    options: { macroExpander: MacroExpander; customBuildOptions: object; globalOutDir: string; defaultSrc: string },
  ): Matcher[] | null;
};
const { getConfig, validateConfiguration } = require("app-builder-lib/out/util/config/config.js") as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: object | null): Promise<BuilderConfig>;
  validateConfiguration(config: object, debugLogger: object): Promise<void>;
};

beforeAll(async () => {
  loaded = await getConfig(root, configPath, null);
});

const osPrefix: Record<PlatformKey, string> = { mac: "mac", win: "win", linux: "linux" };
const debugLogger = { isEnabled: false, add() {} };
const appDir = "/project";
const outDir = path.join(appDir, "release");

/** Like electron-builder's expandMacro for the macros this config uses; any other macro fails the test. */
function macrosFor(platform: PlatformKey, arch: Arch): MacroExpander {
  return (pattern) =>
    pattern.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
      if (name === "arch") return arch;
      if (name === "os") return osPrefix[platform];
      throw new Error(`electron-builder.yml uses macro \${${name}}, which this test does not model`);
    });
}

/** Every prebuilt node-llama-cpp binary package that npm may install, from node-llama-cpp's own manifest. */
const llamaBinaryPackages = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(root, "node_modules/node-llama-cpp/package.json"), "utf8")) as {
    optionalDependencies: Record<string, string>;
  }).optionalDependencies,
).filter((name) => name.startsWith("@node-llama-cpp/"));

const file: Stat = { isDirectory: () => false };
const moduleFile = (relative: string): Stat => ({ isDirectory: () => false, moduleFullFilePath: relative });

function nodeModuleFilter(platform: PlatformKey, arch: Arch): Filter {
  const packager = { config: loaded, debugLogger };
  return fileMatcherModule
    .getNodeModuleFileMatcher(appDir, appDir, macrosFor(platform, arch), loaded[platform], packager)
    .createFilter();
}

function mainFileFilter(platform: PlatformKey, arch: Arch): Filter {
  const info = { projectDir: appDir, buildResourcesDir: "build", isPrepackedAppAsar: false, config: loaded, debugLogger };
  const matchers = fileMatcherModule.getMainFileMatchers(appDir, appDir, macrosFor(platform, arch), loaded[platform], { info }, outDir, false);
  // electron-builder copies the union of all its file sets.
  const filters = matchers.map((matcher) => matcher.createFilter());
  return (file, stat) => filters.some((filter) => filter(file, stat));
}

/** What ships from node_modules for one package file, as electron-builder decides it. */
function shipsModuleFile(platform: PlatformKey, arch: Arch, relative: string): boolean {
  return nodeModuleFilter(platform, arch)(path.join(appDir, relative), moduleFile(relative));
}

/** Each platform and arch the config builds, once (AppImage and deb share linux x64). */
const builds: Array<{ platform: PlatformKey; arch: Arch }> = (["mac", "win", "linux"] as const).flatMap((platform) =>
  [...new Set(config[platform].target.flatMap((entry) => entry.arch))].map((arch) => ({ platform, arch })),
);

describe("electron-builder.yml", () => {
  it("passes electron-builder's own configuration validation", async () => {
    await expect(validateConfiguration(structuredClone(config), debugLogger)).resolves.toBeUndefined();
    await expect(validateConfiguration(structuredClone(loaded), debugLogger)).resolves.toBeUndefined();
  });

  it("names the app and writes to release/", () => {
    expect(config.appId).toBe("app.hearth.desktop");
    expect(config.productName).toBe("Hearth");
    expect(config.directories.output).toBe("release");
  });

  it("builds dmg for arm64 and x64, nsis for x64, AppImage and deb for x64", () => {
    const targets = (key: PlatformKey) =>
      Object.fromEntries(config[key].target.map((entry) => [entry.target, [...entry.arch].sort()]));
    expect(targets("mac")).toEqual({ dmg: ["arm64", "x64"] });
    expect(targets("win")).toEqual({ nsis: ["x64"] });
    expect(targets("linux")).toEqual({ AppImage: ["x64"], deb: ["x64"] });
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.category).toBe("public.app-category.productivity");
    expect(config.linux.category).toBe("Utility");
    expect(config.linux.maintainer).toEqual(expect.any(String));
  });

  it("rebuilds native dependencies (better-sqlite3) for Electron", () => {
    expect(config.npmRebuild ?? true).toBe(true);
  });

  it("keeps every file pattern at the top level", () => {
    // A platform-level `files` list becomes that platform's main file set; holding only exclusions, it would
    // ship the whole project folder (sources, tests, local models). Found by packing for real with a stand-in
    // Electron binary.
    for (const platform of ["mac", "win", "linux"] as const) expect(config[platform].files, platform).toBeUndefined();
    expect(config.files.some((pattern) => typeof pattern === "string" && !pattern.startsWith("!") && pattern.includes("node_modules"))).toBe(false);
  });

  it.each(builds)("$platform $arch packs the built app and nothing else from the project", ({ platform, arch }) => {
    const filter = mainFileFilter(platform, arch);
    const ships = (relative: string) => filter(path.join(appDir, relative), file);

    for (const built of [
      "package.json",
      "dist/renderer/index.html",
      "dist/renderer/assets/index-abc123.js",
      "dist-electron/electron/main.js",
      "dist-electron/electron/serve.js",
      "dist-electron/electron/core/core.js",
      "dist-electron/preload.cjs",
      // The curated catalog and its model cards are read by the core at run time.
      "models/catalog.json",
      "models/cards/qwen3-4b.md",
      "electron/core/router/router-model.json",
    ]) {
      expect(ships(built), built).toBe(true);
    }
    for (const source of [
      "electron/main.ts",
      "electron/main.test.ts",
      "renderer/src/main.tsx",
      "renderer/index.html",
      "test/contract.test.ts",
      "scripts/start.js",
      "models/README.md",
      ".bench/model.gguf",
      "tsconfig.base.json",
      "vite.config.ts",
      "electron-builder.yml",
      "package-lock.json",
      "release/Hearth-0.1.0.AppImage",
      "dist-electron/scripts/bench.js",
      // node_modules come from electron-builder's production dependency walk, never from `files`.
      "node_modules/vite/package.json",
      "node_modules/electron/index.js",
    ]) {
      expect(ships(source), source).toBe(false);
    }
  });

  it("packs into an asar and unpacks the native code of node-llama-cpp and better-sqlite3", () => {
    expect(config.asar).toBe(true);
    const unpackFilter = (platform: PlatformKey, arch: Arch) =>
      fileMatcherModule
        .getFileMatchers(loaded, "asarUnpack", appDir, {
          macroExpander: macrosFor(platform, arch),
          customBuildOptions: loaded[platform],
          globalOutDir: outDir,
          defaultSrc: appDir,
        })![0]!
        .createFilter();
    const unpacked = (relative: string) => unpackFilter("linux", "x64")(path.join(appDir, relative), moduleFile(relative));

    expect(unpacked("node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node")).toBe(true);
    expect(unpacked("node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-cpu.so")).toBe(true);
    expect(unpacked("node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-cuda.so")).toBe(true);
    expect(unpacked("node_modules/node-llama-cpp/bins/linux-x64/llama-addon.node")).toBe(true);
    expect(unpacked("node_modules/node-llama-cpp/llama/localBuilds/linux-x64/Release/llama-addon.node")).toBe(true);
    expect(unpacked("node_modules/better-sqlite3/build/Release/better_sqlite3.node")).toBe(true);
    // Plain JavaScript stays inside the archive.
    expect(unpacked("node_modules/node-llama-cpp/dist/index.js")).toBe(false);
    expect(unpacked("node_modules/better-sqlite3/lib/database.js")).toBe(false);
    expect(unpacked("dist-electron/electron/main.js")).toBe(false);
  });

  it("knows every prebuilt binary package node-llama-cpp may install", () => {
    expect(llamaBinaryPackages.length).toBeGreaterThan(5);
    for (const name of llamaBinaryPackages) expect(name).toMatch(/^@node-llama-cpp\/(mac|win|linux)-/);
  });

  it.each(builds)("$platform $arch ships only the node-llama-cpp binaries for $platform-$arch", ({ platform, arch }) => {
    const own = `${osPrefix[platform]}-${arch}`;
    const shipped = llamaBinaryPackages.filter((name) =>
      shipsModuleFile(platform, arch, `node_modules/${name}/bins/${name.split("/")[1]}/llama-addon.node`),
    );
    expect(shipped.length, `no binaries at all for ${own}`).toBeGreaterThan(0);
    for (const name of shipped) expect(name.startsWith(`@node-llama-cpp/${own}`), `${name} in ${platform} ${arch}`).toBe(true);
    // The whole package goes, not only its binaries (no dangling package.json that advertises a binary).
    for (const name of llamaBinaryPackages.filter((candidate) => !shipped.includes(candidate))) {
      expect(shipsModuleFile(platform, arch, `node_modules/${name}/package.json`), name).toBe(false);
    }
  });

  it.each(builds)("$platform $arch leaves out every other operating system's node-llama-cpp packages", ({ platform, arch }) => {
    const foreign = llamaBinaryPackages.filter((name) => !name.startsWith(`@node-llama-cpp/${osPrefix[platform]}-`));
    expect(foreign.length).toBeGreaterThan(0);
    for (const name of foreign) {
      expect(shipsModuleFile(platform, arch, `node_modules/${name}/package.json`), name).toBe(false);
      expect(shipsModuleFile(platform, arch, `node_modules/${name}/bins/x/llama-addon.node`), name).toBe(false);
    }
  });

  it("still ships the rest of node_modules (node-llama-cpp itself, better-sqlite3's addon)", () => {
    for (const { platform, arch } of builds) {
      expect(shipsModuleFile(platform, arch, "node_modules/node-llama-cpp/dist/index.js")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/better-sqlite3/build/Release/better_sqlite3.node")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/better-sqlite3/lib/index.js")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/zod/package.json")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/better-sqlite3/deps/sqlite3/sqlite3.c")).toBe(false);
    }
  });
});
