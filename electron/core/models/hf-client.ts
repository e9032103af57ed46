import { z } from "zod";
import { AppError, type HubModel, type RemoteFile } from "../../contract/index.js";
import { parseQuantization } from "../../contract/quantization.js";
import { assertMayCarrySecret, secretOrigin } from "../secrets/secret-origin.js";

export type HuggingFaceOptions = {
  /** Read on every request, so a settings change applies at once. */
  endpoint: () => string;
  /** The token bound to the endpoint's origin (Settings hands out none for another origin). */
  token: () => string | null;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Per request; Hugging Face answers API calls in well under a second when it is reachable. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 15_000;
/** The tree listing is paged (about 1,000 entries a page); no GGUF repository comes close to this many pages. */
const MAX_TREE_PAGES = 20;

const repoPattern = /^[\w.-]{1,96}\/[\w.-]{1,96}$/;
const splitPartPattern = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

// Only the fields Hearth reads; Hugging Face sends many more, and may add or drop others.
const hubModelWire = z.object({
  id: z.string().optional(),
  modelId: z.string().optional(),
  author: z.string().nullish(),
  downloads: z.number().nullish(),
  likes: z.number().nullish(),
  lastModified: z.string().nullish(),
  createdAt: z.string().nullish(),
  gated: z.union([z.boolean(), z.string()]).nullish(),
});

const treeEntryWire = z.object({
  type: z.string(),
  path: z.string(),
  size: z.number().nullish(),
  lfs: z.object({ oid: z.string().nullish(), size: z.number().nullish() }).nullish(),
});

export type TreeEntry = z.infer<typeof treeEntryWire>;

/** Talks to Hugging Face, or a mirror of it, over the public HTTP API. */
export class HuggingFaceClient {
  constructor(readonly options: HuggingFaceOptions) {}

  /** GGUF repositories matching the query, most downloaded first. */
  async search(query: string, limit = 30): Promise<HubModel[]> {
    const params = new URLSearchParams({
      search: query.trim(),
      filter: "gguf",
      sort: "downloads",
      direction: "-1",
      limit: String(Math.max(1, Math.min(100, Math.floor(limit)))),
    });
    const { body } = await this.getJson(`${this.base()}/api/models?${params}`, null);
    const list = z.array(z.unknown()).safeParse(body);
    if (!list.success) throw this.unreadable("the search results");
    const models: HubModel[] = [];
    for (const item of list.data) {
      const parsed = hubModelWire.safeParse(item);
      const repo = parsed.success ? (parsed.data.id ?? parsed.data.modelId) : undefined;
      if (!parsed.success || !repo || !repoPattern.test(repo)) continue;
      const wire = parsed.data;
      models.push({
        repo,
        author: wire.author ?? repo.split("/")[0] ?? null,
        downloads: count(wire.downloads),
        likes: count(wire.likes),
        updatedAt: wire.lastModified ?? wire.createdAt ?? null,
        // Hugging Face says false, or how access is granted: "auto" (on accepting the terms) or "manual" (on review).
        gated: wire.gated === true || (typeof wire.gated === "string" && wire.gated !== "false"),
      });
    }
    return models;
  }

  /**
   * The repository's GGUF model files: split parts grouped into one entry (named by its first part, sizes summed),
   * with the quantization from the name and the sha256 Hugging Face's LFS keeps for whole files.
   */
  async listFiles(repo: string): Promise<{ repo: string; files: RemoteFile[] }> {
    const [owner, name] = checkRepo(repo);
    const entries: TreeEntry[] = [];
    let url: string | null =
      `${this.base()}/api/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/tree/main?recursive=true`;
    for (let page = 0; url !== null && page < MAX_TREE_PAGES; page++) {
      const { body, next }: { body: unknown; next: string | null } = await this.getJson(url, repo);
      const list = z.array(z.unknown()).safeParse(body);
      if (!list.success) throw this.unreadable(`the file list of ${repo}`);
      for (const item of list.data) {
        const entry = treeEntryWire.safeParse(item);
        if (entry.success) entries.push(entry.data);
      }
      url = next;
    }
    return { repo, files: groupGgufFiles(repo, entries) };
  }

  /** `<endpoint>/<repo>/resolve/main/<file>` */
  fileUrl(repo: string, fileName: string): string {
    const [owner, name] = checkRepo(repo);
    const segments = fileName.split("/");
    if (segments.some((segment) => segment === "" || /^\.+$/.test(segment))) {
      throw new AppError("INVALID_INPUT", `"${fileName}" is not a file name inside a repository.`);
    }
    const file = segments.map(encodeURIComponent).join("/");
    return `${this.base()}/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/resolve/main/${file}`;
  }

  /**
   * Headers for a request to `url` (the endpoint by default): Authorization when a token is stored, and only for a
   * URL on the endpoint's origin (never a stale URL of a former endpoint, or a CDN it redirects to). Throws
   * INSECURE_ENDPOINT rather than send the token over plain http to another machine, or drop it without a word.
   */
  headers(url?: string): Record<string, string> {
    const token = this.options.token()?.trim();
    if (!token) return {};
    const endpoint = this.base();
    const target = url ?? endpoint;
    if (secretOrigin(target) !== secretOrigin(endpoint)) return {};
    assertMayCarrySecret(target, "the Hugging Face access token");
    return { Authorization: `Bearer ${token}` };
  }

  /** The endpoint without a trailing slash; a mirror's path prefix (https://mirror.corp/hf/) is kept. */
  private base(): string {
    const raw = this.options.endpoint().trim();
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalidEndpoint(raw);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw invalidEndpoint(raw);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }

  private host(): string {
    try {
      return new URL(this.options.endpoint().trim()).host;
    } catch {
      return this.options.endpoint();
    }
  }

  private async getJson(url: string, repo: string | null): Promise<{ body: unknown; next: string | null }> {
    const host = this.host();
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    const fetchImpl = this.options.fetch ?? fetch;
    // Outside the try: a refused token is INSECURE_ENDPOINT, not a network failure. A next-page link to another
    // origin gets no token.
    const headers = { Accept: "application/json", ...this.headers(url) };
    let response: Response;
    try {
      response = await fetchImpl(url, { headers, signal });
    } catch (cause) {
      throw this.transportError(cause, host, timeout, timeoutMs);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw statusError(response, host, repo);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (cause) {
      if (this.options.signal?.aborted || timeout.aborted) throw this.transportError(cause, host, timeout, timeoutMs);
      throw this.unreadable(repo ? `the file list of ${repo}` : "the search results", cause);
    }
    return { body, next: nextPage(response.headers.get("link"), url) };
  }

  private transportError(cause: unknown, host: string, timeout: AbortSignal, timeoutMs: number): AppError {
    if (this.options.signal?.aborted) return new AppError("ABORTED", "Stopped.", { cause });
    if (timeout.aborted) {
      return new AppError("NETWORK", `${host} did not answer within ${Math.round(timeoutMs / 1000)} seconds. Try again later.`, {
        retryable: true,
        cause,
      });
    }
    return new AppError(
      "NETWORK",
      `Could not reach ${host}. Check the network connection, or the Hugging Face address in Settings.`,
      { retryable: true, cause },
    );
  }

  private unreadable(what: string, cause?: unknown): AppError {
    return new AppError(
      "NETWORK",
      `${this.host()} sent ${what} in a form Hearth cannot read. Is the Hugging Face address in Settings a Hugging Face ` +
        "endpoint or a mirror of one?",
      { retryable: true, cause },
    );
  }
}

function invalidEndpoint(raw: string): AppError {
  return new AppError("INVALID_INPUT", `The Hugging Face address "${raw}" is not an http(s) URL. Fix it in Settings.`);
}

function checkRepo(repo: string): [string, string] {
  const [owner, name] = repo.split("/") as [string, string];
  // "." and ".." match the character class but would walk the URL path.
  if (!repoPattern.test(repo) || /^\.+$/.test(owner) || /^\.+$/.test(name)) {
    throw new AppError("INVALID_INPUT", `"${repo}" is not a repository name (owner/name).`);
  }
  return [owner, name];
}

function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function statusError(response: Response, host: string, repo: string | null): AppError {
  const { status } = response;
  // Hugging Face answers 401 for a repository that does not exist (so as not to reveal private ones); its error
  // code header tells the two apart.
  const code = response.headers.get("x-error-code");
  if (code === "RepoNotFound" || status === 404) {
    return new AppError(
      "NOT_FOUND",
      repo ? `No repository ${repo} on ${host}.` : `${host} has no Hugging Face API at this address. Check it in Settings.`,
    );
  }
  if (status === 401 || status === 403) {
    if (repo) {
      return new AppError(
        "GATED_MODEL",
        `${repo} is gated or private. Accept its terms on Hugging Face, then add an access token with access to it in ` +
          "Settings.",
      );
    }
    return new AppError("UNAUTHORIZED", `${host} refused the request. Check the access token in Settings.`);
  }
  if (status === 429) {
    return new AppError("NETWORK", `${host} is limiting requests right now. Wait a minute and try again.`, { retryable: true });
  }
  if (status >= 500) {
    return new AppError("NETWORK", `${host} had a problem (HTTP ${status}). Try again later.`, { retryable: true });
  }
  return new AppError("NETWORK", `${host} answered HTTP ${status}.`, { retryable: false });
}

/** The `rel="next"` target of a Link header, resolved against the request URL. */
function nextPage(link: string | null, current: string): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match?.[1]) {
      try {
        return new URL(match[1], current).href;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * GGUF files only. Vision projectors (`mmproj-*.gguf`) are left out: they go with a model, they are not one.
 * Split parts (`name-00001-of-00003.gguf`) become one entry, listed only when every part is there.
 */
export function groupGgufFiles(repo: string, entries: readonly TreeEntry[]): RemoteFile[] {
  const files: RemoteFile[] = [];
  const groups = new Map<string, { total: number; parts: Map<number, TreeEntry> }>();
  for (const entry of entries) {
    if (entry.type !== "file" || !/\.gguf$/i.test(entry.path)) continue;
    const base = entry.path.split("/").pop() ?? entry.path;
    if (/^mmproj/i.test(base)) continue;
    const split = splitPartPattern.exec(entry.path);
    if (split) {
      const key = `${split[1]}\u0000${split[3]}`;
      const group = groups.get(key) ?? { total: Number(split[3]), parts: new Map() };
      group.parts.set(Number(split[2]), entry);
      groups.set(key, group);
      continue;
    }
    const sha = entry.lfs?.oid ?? null;
    files.push({
      repo,
      fileName: entry.path,
      quantization: parseQuantization(entry.path),
      sizeBytes: sizeOf(entry),
      parts: 1,
      sha256: sha !== null && /^[0-9a-f]{64}$/i.test(sha) ? sha.toLowerCase() : null,
    });
  }
  for (const group of groups.values()) {
    const first = group.parts.get(1);
    if (!first || group.total < 1 || group.parts.size !== group.total) continue;
    let sizeBytes = 0;
    for (const part of group.parts.values()) sizeBytes += sizeOf(part);
    files.push({
      repo,
      fileName: first.path,
      quantization: parseQuantization(first.path),
      sizeBytes,
      parts: group.total,
      // Each part has its own hash in the listing; no single hash describes the group.
      sha256: null,
    });
  }
  return files.sort((a, b) => a.sizeBytes - b.sizeBytes || a.fileName.localeCompare(b.fileName));
}

function sizeOf(entry: TreeEntry): number {
  return count(entry.lfs?.size ?? entry.size);
}
