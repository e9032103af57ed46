import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildsOf,
  fileMatcherModule,
  loadBuilderConfig,
  macrosFor,
  mainFileFilter as mainFilter,
  nodeModuleFilter as moduleFilter,
  osName,
  readBuilderConfig,
  validateBuilderConfig,
  type Arch,
  type BuilderConfig,
  type Filter,
  type PlatformKey,
  type Stat,
} from "./fixtures/electron-builder.js";

/**
 * The packaging config, checked three ways without the Electron binary: its content, electron-builder's own
 * schema validation, and electron-builder's own config loading and file matchers (the functions it uses to pick
 * what goes into the app and what is unpacked from the asar), fed the config exactly as electron-builder loads
 * it (its loader turns `files` into file sets, which changes how platform-level patterns combine).
 * Fuses, source maps and the app protocol are checked in test/packaged-config.test.ts.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
/** The file as written, for content checks. */
const config = readBuilderConfig();
/** The config as electron-builder loads it, for its matchers. */
let loaded: BuilderConfig;

beforeAll(async () => {
  loaded = await loadBuilderConfig();
});

const appDir = "/project";
const outDir = path.join(appDir, "release");

/** Every prebuilt node-llama-cpp binary package that npm may install, from node-llama-cpp's own manifest. */
const llamaBinaryPackages = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(root, "node_modules/node-llama-cpp/package.json"), "utf8")) as {
    optionalDependencies: Record<string, string>;
  }).optionalDependencies,
).filter((name) => name.startsWith("@node-llama-cpp/"));

const file: Stat = { isDirectory: () => false };
const moduleFile = (relative: string): Stat => ({ isDirectory: () => false, moduleFullFilePath: relative });

const nodeModuleFilter = (platform: PlatformKey, arch: Arch): Filter => moduleFilter(loaded, appDir, platform, arch);
const mainFileFilter = (platform: PlatformKey, arch: Arch): Filter => mainFilter(loaded, appDir, platform, arch);

/** What ships from node_modules for one package file, as electron-builder decides it. */
function shipsModuleFile(platform: PlatformKey, arch: Arch, relative: string): boolean {
  return nodeModuleFilter(platform, arch)(path.join(appDir, relative), moduleFile(relative));
}

/** Each platform and arch the config builds, once (AppImage and deb share linux x64). */
const builds = buildsOf(config);

describe("electron-builder.yml", () => {
  it("passes electron-builder's own configuration validation", async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
    await expect(validateBuilderConfig(loaded)).resolves.toBeUndefined();
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

  it("rebuilds native dependencies (better-sqlite3-multiple-ciphers) for Electron", () => {
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

  it("packs into an asar and unpacks the native code of node-llama-cpp and better-sqlite3-multiple-ciphers", () => {
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
    expect(unpacked("node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node")).toBe(true);
    // Plain JavaScript stays inside the archive.
    expect(unpacked("node_modules/node-llama-cpp/dist/index.js")).toBe(false);
    expect(unpacked("node_modules/better-sqlite3-multiple-ciphers/lib/database.js")).toBe(false);
    expect(unpacked("dist-electron/electron/main.js")).toBe(false);
  });

  it("knows every prebuilt binary package node-llama-cpp may install", () => {
    expect(llamaBinaryPackages.length).toBeGreaterThan(5);
    for (const name of llamaBinaryPackages) expect(name).toMatch(/^@node-llama-cpp\/(mac|win|linux)-/);
  });

  it.each(builds)("$platform $arch ships only the node-llama-cpp binaries for $platform-$arch", ({ platform, arch }) => {
    const own = `${osName(platform)}-${arch}`;
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
    const foreign = llamaBinaryPackages.filter((name) => !name.startsWith(`@node-llama-cpp/${osName(platform)}-`));
    expect(foreign.length).toBeGreaterThan(0);
    for (const name of foreign) {
      expect(shipsModuleFile(platform, arch, `node_modules/${name}/package.json`), name).toBe(false);
      expect(shipsModuleFile(platform, arch, `node_modules/${name}/bins/x/llama-addon.node`), name).toBe(false);
    }
  });

  it("still ships the rest of node_modules (node-llama-cpp itself, better-sqlite3-multiple-ciphers' addon)", () => {
    for (const { platform, arch } of builds) {
      expect(shipsModuleFile(platform, arch, "node_modules/node-llama-cpp/dist/index.js")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/better-sqlite3-multiple-ciphers/lib/index.js")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/zod/package.json")).toBe(true);
      expect(shipsModuleFile(platform, arch, "node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c")).toBe(false);
    }
  });
});
