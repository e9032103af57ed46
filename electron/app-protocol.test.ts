import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tempDir } from "../test/fixtures/paths.js";
import {
  appIndexUrl,
  appScheme,
  createAppProtocolHandler,
  handleAppProtocol,
  registerAppScheme,
  resolveInside,
} from "./app-protocol.js";
import { contentSecurityPolicy } from "./bridge/csp.js";

/**
 * The app:// protocol against a renderer folder on disk with a secret file beside it: what it serves, with
 * which headers, and every way out of the folder it refuses.
 */

const csp = contentSecurityPolicy();
let workDir: string;
let root: string;
let handler: (request: Request) => Promise<Response>;

const get = (url: string, method = "GET") => handler(new Request(url, { method }));

beforeAll(() => {
  workDir = tempDir("hearth-app-protocol-");
  root = path.join(workDir, "renderer");
  fs.mkdirSync(path.join(root, "assets"), { recursive: true });
  fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>Hearth</title>");
  fs.writeFileSync(path.join(root, "assets", "index-abc.js"), "console.log('hi')");
  fs.writeFileSync(path.join(root, "assets", "index-abc.css"), "body{}");
  fs.writeFileSync(path.join(root, "assets", "index-abc.js.map"), "{}");
  fs.writeFileSync(path.join(root, "assets", "notes.unknown"), "?");
  fs.writeFileSync(path.join(workDir, "secret.txt"), "the user's secret");
  fs.writeFileSync(path.join(workDir, "renderer-evil.js"), "evil()");
  fs.symlinkSync(path.join(workDir, "secret.txt"), path.join(root, "assets", "link.txt"));
  handler = createAppProtocolHandler({ root, csp });
});

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("registerAppScheme", () => {
  it("registers app: as a standard, secure scheme and grants nothing else", () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: "app", privileges: { standard: true, secure: true } },
    ]);
  });

  it("names an index on the app origin", () => {
    expect(appIndexUrl).toBe("app://hearth/index.html");
  });
});

describe("the app:// handler", () => {
  it("serves index.html with the CSP and its MIME type", async () => {
    const res = await get(appIndexUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(csp);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toContain("<title>Hearth</title>");
  });

  it("serves the index for the bare origin too", async () => {
    const res = await get("app://hearth/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>Hearth</title>");
  });

  it("serves scripts and styles with their MIME types (module scripts need text/javascript)", async () => {
    const script = await get("app://hearth/assets/index-abc.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toBe("console.log('hi')");
    const style = await get("app://hearth/assets/index-abc.css");
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(style.headers.get("content-security-policy")).toBe(csp);
  });

  it("answers HEAD without a body", async () => {
    const res = await get(appIndexUrl, "HEAD");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it.each([
    ["a POST", appIndexUrl, "POST", 405],
    ["a PUT", appIndexUrl, "PUT", 405],
  ])("refuses %s", async (_label, url, method, status) => {
    const res = await get(url, method);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-security-policy")).toBe(csp);
  });

  it.each([
    ["a dot-dot path", "app://hearth/../secret.txt"],
    ["a dot-dot inside a folder", "app://hearth/assets/../../secret.txt"],
    ["an encoded dot-dot", "app://hearth/%2e%2e/secret.txt"],
    ["an encoded slash", "app://hearth/..%2fsecret.txt"],
    ["an encoded slash after a folder", "app://hearth/assets/..%2f..%2fsecret.txt"],
    ["an encoded backslash", "app://hearth/..%5csecret.txt"],
    ["a backslash", "app://hearth/..\\secret.txt"],
    ["a NUL byte", "app://hearth/index.html%00.js"],
    ["a sibling folder sharing the prefix", "app://hearth/../renderer-evil.js"],
    ["an absolute path in a segment", `app://hearth/${encodeURIComponent("/etc/hostname")}`],
    ["a symlink out of the folder", "app://hearth/assets/link.txt"],
    ["another host", "app://evil/index.html"],
    ["a port", "app://hearth:8080/index.html"],
    ["a source map", "app://hearth/assets/index-abc.js.map"],
    ["an unknown file type", "app://hearth/assets/notes.unknown"],
    ["a missing file", "app://hearth/missing.js"],
    ["a folder", "app://hearth/assets"],
    ["bad percent-encoding", "app://hearth/%E0%A4%A.js"],
  ])("refuses %s", async (_label, url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain("secret");
    expect(body).not.toContain("evil()");
    expect(res.headers.get("content-security-policy")).toBe(csp);
  });

  it("registers itself with protocol.handle for the app scheme", async () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, { root, csp });
    expect(protocol.handle).toHaveBeenCalledWith(appScheme, expect.any(Function));
    const registered = protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    expect((await registered(new Request(appIndexUrl))).status).toBe(200);
    expect((await registered(new Request("app://hearth/../secret.txt"))).status).toBe(404);
  });
});

describe("resolveInside", () => {
  it("maps URLs to files inside the root only", () => {
    expect(resolveInside(root, "app://hearth/assets/index-abc.js")).toBe(path.join(root, "assets", "index-abc.js"));
    expect(resolveInside(root, "app://HEARTH/index.html")).toBe(path.join(root, "index.html"));
    expect(resolveInside(root, "app://hearth/index.html?x=1#y")).toBe(path.join(root, "index.html"));
    expect(resolveInside(root, "file:///etc/passwd")).toBeNull();
    // (A Request cannot even carry credentials; the check is for anything else that calls this.)
    expect(resolveInside(root, "app://user:pw@hearth/index.html")).toBeNull();
    expect(resolveInside(root, "not a url")).toBeNull();
    expect(resolveInside(root, "app://hearth/C:%5cWindows%5cwin.ini")).toBeNull();
  });
});
