/**
 * A loopback server that speaks the parts of Hugging Face's HTTP interface Hearth uses, for offline tests.
 *
 *   const hf = await startFakeHf({
 *     repos: {
 *       "acme/stories-GGUF": { files: { "stories.gguf": "../shared/models/stories260K.gguf" }, downloads: 10 },
 *       "acme/private-GGUF": { files: { "m.gguf": someBuffer }, gated: true, token: "hf_test" },
 *     },
 *   });
 *   hf.url;                                   // "http://127.0.0.1:PORT" - use as the Hugging Face endpoint
 *   hf.setFault({ kind: "slow", bytesPerSecond: 200_000 });   // or an array of faults, or null to clear
 *   hf.requests;                              // [{ method, path, range, status, bytesSent, ... }]
 *   hf.bytesServed("stories.gguf");           // body bytes of that file sent so far (all requests)
 *   hf.sha256("acme/stories-GGUF", "stories.gguf");
 *   await hf.close();
 *
 * File sources are a path (relative paths resolve against the repository root) or a Buffer.
 * Routes: GET /api/models?search=&filter=&author=&sort=&limit=, GET /api/models/{owner}/{name}[?blobs=true],
 * GET /api/models/{owner}/{name}/tree/main[/{dir}][?recursive=true], GET|HEAD /{owner}/{name}/resolve/main/{file}
 * (302 to /cdn/... with the LFS headers, like the real one), GET|HEAD /cdn/repos/{owner}/{name}/{sha256}?filename=
 * (Range, 206, 416). Gated repositories answer 401 without `Authorization: Bearer <token>`, 403 with a wrong one.
 * Faults apply to file bodies (slow: every response; drop and stall: responses to Range requests, since
 * node-llama-cpp's downloader opens a probe GET it never reads), to the advertised hash (wrong-sha) or to `resolve`
 * (status).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type FakeHfRepo = {
  files: Record<string, string | Buffer>;
  gated?: boolean;
  /** The token that opens a gated repository. */
  token?: string;
  downloads?: number;
  likes?: number;
  tags?: string[];
  lastModified?: string;
};

/** `file` limits a fault to one file name; `times` counts how often it fires (default 1; slow and wrong-sha always). */
export type FakeHfFault =
  | { kind: "drop"; atFraction: number; times?: number; file?: string }
  | { kind: "stall"; afterFraction: number; forMs: number; times?: number; file?: string }
  | { kind: "wrong-sha"; file?: string }
  | { kind: "status"; status: number; times?: number; file?: string }
  | { kind: "slow"; bytesPerSecond: number; file?: string };

export type FakeHfRequest = {
  method: string;
  /** Path and query, as received. */
  path: string;
  range: string | null;
  authorization: boolean;
  status: number;
  /** File name, for file requests. */
  file: string | null;
  /** Body bytes handed to the socket so far (grows while the response streams). */
  bytesSent: number;
  /** When it arrived (Date.now()). */
  at: number;
};

export type FakeHf = {
  url: string;
  port: number;
  requests: FakeHfRequest[];
  setFault(fault: FakeHfFault | FakeHfFault[] | null): void;
  bytesServed(fileName: string): number;
  sha256(repo: string, fileName: string): string;
  close(): Promise<void>;
};

type StoredFile = { name: string; data: Buffer; sha256: string; gitOid: string; pointerSize: number };
type StoredRepo = FakeHfRepo & { id: string; commit: string; stored: Map<string, StoredFile> };

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

function storeFile(name: string, source: string | Buffer): StoredFile {
  const data = typeof source === "string" ? fs.readFileSync(path.resolve(repoRoot, source)) : source;
  const sha256 = crypto.createHash("sha256").update(data).digest("hex");
  // Git stores an LFS file as a small pointer; its blob id is what the tree listing calls `oid`.
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${data.length}\n`;
  const gitOid = crypto.createHash("sha1").update(`blob ${Buffer.byteLength(pointer)}\0${pointer}`).digest("hex");
  return { name, data, sha256, gitOid, pointerSize: Buffer.byteLength(pointer) };
}

/** Resolves on `event`, on close, or after `ms`: whichever comes first. */
function until(res: http.ServerResponse, event: "drain" | null, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      if (event) res.off(event, done);
      res.off("close", done);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    if (event) res.once(event, done);
    res.once("close", done);
  });
}

export async function startFakeHf(options: { repos: Record<string, FakeHfRepo> }): Promise<FakeHf> {
  const repos = new Map<string, StoredRepo>();
  for (const [id, repo] of Object.entries(options.repos)) {
    const stored = new Map(Object.entries(repo.files).map(([name, source]) => [name, storeFile(name, source)]));
    repos.set(id, { ...repo, id, commit: COMMIT, stored });
  }
  let faults: (FakeHfFault & { fired: number })[] = [];
  const requests: FakeHfRequest[] = [];
  const served = new Map<string, number>();
  const sockets = new Set<Socket>();

  const faultFor = <K extends FakeHfFault["kind"]>(kind: K, file: string): (Extract<FakeHfFault, { kind: K }> & { fired: number }) | undefined =>
    faults.find(
      (fault): fault is Extract<FakeHfFault, { kind: K }> & { fired: number } =>
        fault.kind === kind &&
        (fault.file === undefined || fault.file === file) &&
        (fault.kind === "slow" || fault.kind === "wrong-sha" || fault.fired < (fault.times ?? 1)),
    );
  const advertisedSha = (file: StoredFile) =>
    faultFor("wrong-sha", file.name) ? crypto.createHash("sha256").update(`not ${file.sha256}`).digest("hex") : file.sha256;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const record: FakeHfRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      range: req.headers.range ?? null,
      authorization: req.headers.authorization !== undefined,
      status: 0,
      file: null,
      bytesSent: 0,
      at: Date.now(),
    };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = JSON.stringify(body);
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
      res.end(req.method === "HEAD" ? undefined : text);
    };
    const notFound = (what: "RepoNotFound" | "EntryNotFound", message: string) =>
      send(404, { error: message }, { "X-Error-Code": what, "X-Error-Message": message });
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);

    if (parts[0] === "api" && parts[1] === "models") {
      if (parts.length === 2) return send(200, search(url.searchParams));
      const repo = repos.get(`${parts[2]}/${parts[3]}`);
      if (!repo) return notFound("RepoNotFound", "Repository not found");
      if (parts.length === 4) return send(200, modelInfo(repo, url.searchParams.get("blobs") === "true"));
      if (parts[4] === "tree" && parts[5] === "main") return send(200, tree(repo, parts.slice(6).join("/")));
      return notFound("EntryNotFound", "Not found");
    }

    if (parts[0] === "cdn" && parts[1] === "repos") {
      const repo = repos.get(`${parts[2]}/${parts[3]}`);
      const file = [...(repo?.stored.values() ?? [])].find((f) => f.sha256 === parts[4]);
      if (!repo || !file) return notFound("EntryNotFound", "Entry not found");
      record.file = file.name;
      return void serveBody(req, res, file, record);
    }

    if (parts[2] === "resolve" && parts[3] === "main") {
      const repo = repos.get(`${parts[0]}/${parts[1]}`);
      if (!repo) return notFound("RepoNotFound", "Repository not found");
      const fileName = parts.slice(4).join("/");
      record.file = fileName;
      const statusFault = faultFor("status", fileName);
      if (statusFault) {
        statusFault.fired++;
        return send(statusFault.status, { error: `Simulated HTTP ${statusFault.status}` });
      }
      if (repo.gated) {
        const auth = req.headers.authorization;
        if (auth === undefined) {
          return send(
            401,
            { error: `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.` },
            { "X-Error-Code": "GatedRepo" },
          );
        }
        if (auth !== `Bearer ${repo.token ?? ""}`) {
          return send(
            403,
            { error: `Access to model ${repo.id} is restricted and you are not in the authorized list. Visit ${"https://huggingface.co/" + repo.id} to ask for access.` },
            { "X-Error-Code": "GatedRepo" },
          );
        }
      }
      const file = repo.stored.get(fileName);
      if (!file) return notFound("EntryNotFound", "Entry not found");
      const sha = advertisedSha(file);
      record.status = 302;
      const cdn = `/cdn/repos/${encodeURIComponent(parts[0]!)}/${encodeURIComponent(parts[1]!)}/${file.sha256}` +
        `?filename=${encodeURIComponent(path.basename(fileName))}&expires=${Math.floor(Date.now() / 1000) + 3600}`;
      res.writeHead(302, {
        Location: cdn,
        "X-Linked-Size": String(file.data.length),
        "X-Linked-ETag": `"${sha}"`,
        ETag: `"${sha}"`,
        "X-Repo-Commit": repo.commit,
        "Content-Type": "text/plain; charset=utf-8",
      });
      return res.end(req.method === "HEAD" ? undefined : `Found. Redirecting to ${cdn}`);
    }
    return notFound("EntryNotFound", "Not found");
  });

  function search(params: URLSearchParams) {
    const query = (params.get("search") ?? "").toLowerCase();
    const filter = params.get("filter");
    const author = params.get("author");
    const sort = params.get("sort");
    const limit = Number(params.get("limit") ?? "1000");
    const list = [...repos.values()]
      .filter((repo) => repo.id.toLowerCase().includes(query))
      .filter((repo) => !filter || tagsOf(repo).includes(filter))
      .filter((repo) => !author || repo.id.split("/")[0] === author);
    if (sort === "downloads" || sort === "likes") list.sort((a, b) => (b[sort] ?? 0) - (a[sort] ?? 0));
    return list.slice(0, limit).map((repo) => summary(repo));
  }

  function tagsOf(repo: StoredRepo): string[] {
    return repo.tags ?? ["gguf", "text-generation"];
  }

  function summary(repo: StoredRepo) {
    return {
      _id: crypto.createHash("md5").update(repo.id).digest("hex").slice(0, 24),
      id: repo.id,
      modelId: repo.id,
      author: repo.id.split("/")[0],
      downloads: repo.downloads ?? 0,
      likes: repo.likes ?? 0,
      lastModified: repo.lastModified ?? "2024-05-01T12:00:00.000Z",
      createdAt: "2024-04-01T12:00:00.000Z",
      private: false,
      gated: repo.gated ? "manual" : false,
      tags: tagsOf(repo),
      library_name: "gguf",
    };
  }

  function modelInfo(repo: StoredRepo, blobs: boolean) {
    return {
      ...summary(repo),
      sha: repo.commit,
      disabled: false,
      siblings: [...repo.stored.values()].map((file) =>
        blobs
          ? {
              rfilename: file.name,
              blobId: file.gitOid,
              size: file.data.length,
              lfs: { sha256: advertisedSha(file), size: file.data.length, pointerSize: file.pointerSize },
            }
          : { rfilename: file.name },
      ),
    };
  }

  function tree(repo: StoredRepo, dir: string) {
    const prefix = dir === "" ? "" : `${dir}/`;
    return [...repo.stored.values()]
      .filter((file) => file.name.startsWith(prefix))
      .map((file) => ({
        type: "file",
        oid: file.gitOid,
        size: file.data.length,
        path: file.name,
        lfs: { oid: advertisedSha(file), size: file.data.length, pointerSize: file.pointerSize },
      }));
  }

  async function serveBody(req: http.IncomingMessage, res: http.ServerResponse, file: StoredFile, record: FakeHfRequest) {
    const size = file.data.length;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (range && (range[1] !== "" || range[2] !== "")) {
      if (range[1] === "") {
        start = Math.max(0, size - Number(range[2]));
      } else {
        start = Number(range[1]);
        if (range[2] !== "") end = Math.min(end, Number(range[2]));
      }
      if (start >= size || start > end) {
        record.status = 416;
        res.writeHead(416, { "Content-Range": `bytes */${size}` });
        return void res.end();
      }
      status = 206;
    }
    record.status = status;
    res.writeHead(status, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
      ETag: `"${file.sha256}"`,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(file.name))}; filename="${path.basename(file.name)}";`,
      ...(status === 206 ? { "Content-Range": `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === "HEAD") return void res.end();

    const ranged = status === 206;
    let closed = false;
    res.on("close", () => (closed = true));
    const sleep = (ms: number) => until(res, null, ms);
    let position = start;
    while (position <= end && !closed) {
      const slow = faultFor("slow", file.name);
      const tick = 50;
      let next = Math.min(end + 1, position + (slow ? Math.max(1, Math.round((slow.bytesPerSecond * tick) / 1000)) : 64 * 1024));
      // Faults fire at an offset of the whole file, whatever range this response covers.
      // The downloader probes with a GET it never reads; drops and stalls hit the ranged reads that carry the data.
      const drop = ranged ? faultFor("drop", file.name) : undefined;
      const stall = ranged ? faultFor("stall", file.name) : undefined;
      const dropAt = drop ? Math.floor(size * drop.atFraction) : -1;
      const stallAt = stall ? Math.floor(size * stall.afterFraction) : -1;
      for (const at of [dropAt, stallAt]) if (at > position && at < next) next = at;
      if (drop && position === dropAt) {
        drop.fired++;
        res.socket?.destroy();
        return;
      }
      if (stall && position === stallAt) {
        stall.fired++;
        await sleep(stall.forMs);
        continue;
      }
      const chunk = file.data.subarray(position, next);
      position = next;
      record.bytesSent += chunk.length;
      served.set(file.name, (served.get(file.name) ?? 0) + chunk.length);
      const flushed = res.write(chunk);
      if (slow) await sleep(tick);
      else if (!flushed) await until(res, "drain");
    }
    if (!closed) res.end();
  }

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setFault(fault) {
      faults = (fault === null ? [] : Array.isArray(fault) ? fault : [fault]).map((f) => ({ ...f, fired: 0 }));
    },
    bytesServed: (fileName) => served.get(fileName) ?? 0,
    sha256(repo, fileName) {
      const file = repos.get(repo)?.stored.get(fileName);
      if (!file) throw new Error(`The fake Hugging Face has no ${repo}/${fileName}`);
      return file.sha256;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
