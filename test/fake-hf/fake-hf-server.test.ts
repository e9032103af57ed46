import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeHf, type FakeHf } from "./fake-hf-server.js";

const data = crypto.randomBytes(100_000);
const sha = crypto.createHash("sha256").update(data).digest("hex");
let hf: FakeHf;

beforeAll(async () => {
  hf = await startFakeHf({
    repos: {
      "acme/tiny-GGUF": { files: { "tiny-Q4_0.gguf": data, "README.md": Buffer.from("# tiny\n") }, downloads: 5, likes: 1 },
      "acme/big-GGUF": { files: { "big.gguf": data }, downloads: 50 },
      "acme/locked-GGUF": { files: { "locked.gguf": data }, gated: true, token: "hf_secret" },
    },
  });
});
afterAll(() => hf.close());

describe("fake Hugging Face", () => {
  it("searches and lists like the Hub API", async () => {
    const list = (await (await fetch(`${hf.url}/api/models?search=GGUF&filter=gguf&sort=downloads&limit=2`)).json()) as {
      id: string;
      gated: unknown;
    }[];
    expect(list.map((m) => m.id)).toEqual(["acme/big-GGUF", "acme/tiny-GGUF"]);
    const tree = (await (await fetch(`${hf.url}/api/models/acme/tiny-GGUF/tree/main?recursive=true`)).json()) as {
      path: string;
      size: number;
      lfs: { oid: string };
    }[];
    expect(tree.find((f) => f.path === "tiny-Q4_0.gguf")).toMatchObject({ size: data.length, lfs: { oid: sha } });
    const info = (await (await fetch(`${hf.url}/api/models/acme/locked-GGUF`)).json()) as { gated: unknown; siblings: unknown[] };
    expect(info).toMatchObject({ gated: "manual", siblings: [{ rfilename: "locked.gguf" }] });
    expect((await fetch(`${hf.url}/api/models/acme/nope`)).status).toBe(404);
  });

  it("redirects resolve to the CDN with the LFS headers, and serves ranges", async () => {
    const head = await fetch(`${hf.url}/acme/tiny-GGUF/resolve/main/tiny-Q4_0.gguf`, { method: "HEAD", redirect: "manual" });
    expect(head.status).toBe(302);
    expect(head.headers.get("x-linked-etag")).toBe(`"${sha}"`);
    expect(head.headers.get("x-linked-size")).toBe(String(data.length));
    expect(head.headers.get("x-repo-commit")).toMatch(/^[0-9a-f]{40}$/);
    expect(head.headers.get("location")).toMatch(/^\/cdn\//);

    const whole = await fetch(`${hf.url}/acme/tiny-GGUF/resolve/main/tiny-Q4_0.gguf`);
    expect(whole.url).toContain("/cdn/");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);

    const part = await fetch(`${hf.url}/acme/tiny-GGUF/resolve/main/tiny-Q4_0.gguf`, { headers: { Range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${data.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(1000, 2000))).toBe(true);

    const beyond = await fetch(whole.url, { headers: { Range: `bytes=${data.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${data.length}`);
    expect((await fetch(`${hf.url}/acme/tiny-GGUF/resolve/main/missing.gguf`)).status).toBe(404);
  });

  it("keeps gated files behind a token", async () => {
    const url = `${hf.url}/acme/locked-GGUF/resolve/main/locked.gguf`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toMatch(/restricted/);
    expect((await fetch(url, { headers: { Authorization: "Bearer wrong" } })).status).toBe(403);
    const allowed = await fetch(url, { headers: { Authorization: "Bearer hf_secret" } });
    expect(allowed.status).toBe(200);
    expect((await allowed.arrayBuffer()).byteLength).toBe(data.length);
  });

  it("applies faults: wrong hash, status, dropped connection", async () => {
    const url = `${hf.url}/acme/big-GGUF/resolve/main/big.gguf`;
    hf.setFault({ kind: "wrong-sha" });
    const head = await fetch(url, { method: "HEAD", redirect: "manual" });
    expect(head.headers.get("x-linked-etag")).not.toBe(`"${sha}"`);
    hf.setFault({ kind: "status", status: 500, times: 1 });
    expect((await fetch(url)).status).toBe(500);
    expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
    hf.setFault({ kind: "drop", atFraction: 0.3 });
    const before = hf.bytesServed("big.gguf");
    await expect(fetch(url, { headers: { Range: "bytes=0-" } }).then((r) => r.arrayBuffer())).rejects.toThrow();
    expect(hf.bytesServed("big.gguf") - before).toBe(30_000);
    hf.setFault(null);
  });
});
