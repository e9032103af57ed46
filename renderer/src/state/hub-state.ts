import type { AppError, Fit, HubModel, RemoteFile } from "../api/contract.js";

/** A value being fetched: absent until asked for, then loading, then a value or an error. */
export type Remote<T> = { status: "loading" } | { status: "ready"; value: T } | { status: "error"; error: AppError };

export type HubState = {
  /** The last query sent and its answer. */
  query: string;
  results: Remote<HubModel[]> | null;
  /** The repository opened from the results, and its GGUF files. */
  repo: string | null;
  files: Remote<RemoteFile[]> | null;
  /** Fit verdicts by `repo/fileName`, fetched lazily as files scroll into view; kept across tabs. */
  fits: Record<string, Remote<Fit>>;
};

export const emptyHubState: HubState = { query: "", results: null, repo: null, files: null, fits: {} };

export function fitKey(repo: string, fileName: string): string {
  return `${repo}/${fileName}`;
}
