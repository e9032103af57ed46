import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { buildsOf, loadBuilderConfig, mainFileFilter, readBuilderConfig, type BuilderConfig } from "./fixtures/electron-builder.js";

/**
 * Training and evaluation code (router fitting, the NER trainer, the labelled data sets' readers and scorers) lives
 * in scripts/training, which the build writes to dist-electron/scripts and electron-builder leaves out. The app
 * under electron/ must never import it, or the packaged app would fail to load it (or ship it).
 */

const root = fileURLToPath(new URL("..", import.meta.url));

/** Each training module: where it lived in the app core before, and where it lives now. */
const moved = [
  ["electron/core/router/train.ts", "scripts/training/router/train.ts"],
  ["electron/core/router/lbfgs.ts", "scripts/training/router/lbfgs.ts"],
  ["electron/core/router/dataset.ts", "scripts/training/router/dataset.ts"],
  ["electron/core/router/metrics.ts", "scripts/training/router/metrics.ts"],
  ["electron/core/router/selection.ts", "scripts/training/router/selection.ts"],
  ["electron/core/router/sparse-fit.ts", "scripts/training/router/sparse-fit.ts"],
  ["electron/core/cloud/redact/train-ner.ts", "scripts/training/redact/train-ner.ts"],
  ["electron/core/cloud/redact/pii-dataset.ts", "scripts/training/redact/pii-dataset.ts"],
  ["electron/core/cloud/redact/eval-set.ts", "scripts/training/redact/eval-set.ts"],
] as const;

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function sourcesUnder(relative: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(child));
    else if (SOURCE.test(entry.name)) out.push(child);
  }
  return out;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** Every module a file names (static imports, re-exports, `import()`), resolved to a repo path when relative. */
function importsOf(file: string): Array<{ specifier: string; target: string | null }> {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => ({
    specifier,
    target: specifier.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : null,
  }));
}

describe("training code stays out of the app", () => {
  const electronFiles = sourcesUnder("electron");

  it("lives under scripts/training, not in electron/core", () => {
    for (const [before, now] of moved) {
      expect(fs.existsSync(path.join(root, before)), before).toBe(false);
      expect(fs.existsSync(path.join(root, now)), now).toBe(true);
    }
  });

  it("leaves no fitting or training function in the router's or the redactor's app modules", () => {
    // The app reads learned weights; fitting them (calibration, heads, local signals, the tagger) is training.
    const offending = [...sourcesUnder("electron/core/router"), ...sourcesUnder("electron/core/cloud/redact")]
      .filter((file) => !isTest(file))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(root, file), "utf8").matchAll(/^export (?:async )?(?:function|const) ((?:fit|train)\w*)/gm)].map(
          (match) => `${file}: ${match[1]}`,
        ),
      );
    expect(offending).toEqual([]);
  });

  it("is imported by no file under electron/, tests included", () => {
    // Tests may use scripts/' test-model writers (gguf-writer, make-bench-model), never the training code.
    expect(electronFiles.length).toBeGreaterThan(100);
    const offending = electronFiles.flatMap((file) =>
      importsOf(file)
        .filter(({ target }) => target != null && (target === "scripts/training" || target.startsWith("scripts/training/")))
        .map(({ specifier }) => `${file} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it("the app's own files import nothing from outside electron/ (scripts/ above all) but packages", () => {
    // Only electron/ is compiled into dist-electron/electron; a relative import leaving it reaches unshipped code.
    const offending = electronFiles
      .filter((file) => !isTest(file))
      .flatMap((file) =>
        importsOf(file)
          .filter(({ target }) => target != null && !target.startsWith("electron/"))
          .map(({ specifier }) => `${file} imports ${specifier}`),
      );
    expect(offending).toEqual([]);
  });

  describe("electron-builder.yml", () => {
    let loaded: BuilderConfig;
    beforeAll(async () => {
      loaded = await loadBuilderConfig();
    });

    it.each(buildsOf(readBuilderConfig()))("$platform $arch leaves the built training code out", ({ platform, arch }) => {
      const filter = mainFileFilter(loaded, "/project", platform, arch);
      const ships = (relative: string) => filter(path.join("/project", relative), { isDirectory: () => false });
      expect(ships("dist-electron/electron/core/router/router.js")).toBe(true);
      for (const [, now] of moved) {
        const built = `dist-electron/${now.replace(/\.ts$/, ".js")}`;
        expect(ships(built), built).toBe(false);
      }
    });
  });
});
