import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./fixtures/paths.js";

// The browser's confirm/alert/prompt block the page, cannot be styled, and in browser mode read "127.0.0.1 says":
// the renderer asks with its own ConfirmDialog instead.
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("the renderer", () => {
  it("uses no native confirm, alert or prompt dialog", () => {
    const found: string[] = [];
    for (const file of sources(path.join(repoRoot, "renderer/src"))) {
      const code = fs
        .readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      for (const match of code.matchAll(/\b(?:window\.|globalThis\.)?(confirm|alert|prompt)\s*\(/g)) {
        const before = code.slice(Math.max(0, match.index - 1), match.index);
        // A method or property of our own (onConfirm, x.confirm) is not the global.
        if (before === "." && !match[0].startsWith("window.") && !match[0].startsWith("globalThis.")) continue;
        if (/[\w$]/.test(before)) continue;
        found.push(`${path.relative(repoRoot, file)}: ${match[0]}`);
      }
    }
    expect(found).toEqual([]);
  });
});
