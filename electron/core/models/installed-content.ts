import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../contract/index.js";
import { sha256File } from "../downloads/file-ops.js";
import type { StoredModel } from "../store/store.js";

/** A file to add (imported or about to be downloaded): its first part's size, and its sha256 when already known. */
export type Candidate = { sizeBytes: number; sha256: string | null; path?: string };

/**
 * Finds an installed model whose file has the same contents as a new one, so the list never holds two identical
 * models. Only files of the same size are hashed (a different size cannot be the same file), and each hash is kept
 * while the file's size and modification time stay the same.
 */
export class InstalledContent {
  private readonly hashes = new Map<string, { key: string; sha256: string }>();

  async find(models: readonly StoredModel[], candidate: Candidate): Promise<StoredModel | null> {
    const own = candidate.path ? path.resolve(candidate.path) : null;
    let wanted = candidate.sha256;
    for (const model of models) {
      if (own !== null && path.resolve(model.path) === own) continue;
      const stat = await fs.stat(model.path).catch(() => null);
      if (!stat?.isFile() || stat.size !== candidate.sizeBytes) continue;
      // Hashed only now that a file of the same size exists: most imports never pay for it.
      if (wanted === null) {
        if (!candidate.path) return null;
        wanted = await sha256File(candidate.path);
      }
      if ((await this.hashOf(model.path, stat)) === wanted) return model;
    }
    return null;
  }

  private async hashOf(file: string, stat: { size: number; mtimeMs: number }): Promise<string> {
    const key = `${stat.size}:${stat.mtimeMs}`;
    const known = this.hashes.get(file);
    if (known?.key === key) return known.sha256;
    const sha256 = await sha256File(file);
    this.hashes.set(file, { key, sha256 });
    return sha256;
  }
}

/** What the user is told instead of a second, identical model in the list. */
export function alreadyInstalledError(model: Pick<StoredModel, "name" | "source" | "repo" | "path">): AppError {
  const from = model.source === "downloaded" && model.repo ? `downloaded from ${model.repo}` : `imported from ${model.path}`;
  return new AppError("ALREADY_INSTALLED", `Already installed as ${model.name} (${from}); the same file is not added twice.`);
}
