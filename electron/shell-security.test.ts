import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "./bridge/csp.js";
import { isAppIndexUrl, isTrustedIpcSender, withCspHeader } from "./shell-security.js";

const rendererCsp = contentSecurityPolicy();

const indexUrl = pathToFileURL("/opt/Hearth/resources/app.asar/dist/renderer/index.html").href;

describe("withCspHeader", () => {
  it("adds the CSP and replaces any the response carried, whatever its case", () => {
    const headers = withCspHeader(
      { "content-security-policy": ["default-src *"], "Content-Type": ["text/html"], "X-Single": "value" },
      rendererCsp,
    );
    expect(headers).toEqual({
      "Content-Type": ["text/html"],
      "X-Single": ["value"],
      "Content-Security-Policy": [rendererCsp],
    });
  });

  it("works when the response has no headers", () => {
    expect(withCspHeader(undefined, rendererCsp)).toEqual({ "Content-Security-Policy": [rendererCsp] });
  });
});

describe("isAppIndexUrl", () => {
  it("accepts the index, with or without a fragment", () => {
    expect(isAppIndexUrl(indexUrl, indexUrl)).toBe(true);
    expect(isAppIndexUrl(`${indexUrl}#/chat/1`, indexUrl)).toBe(true);
  });

  it.each([
    ["another local file", pathToFileURL("/etc/passwd").href],
    ["a sibling page", indexUrl.replace("index.html", "other.html")],
    ["a query string", `${indexUrl}?x=1`],
    ["a web page", "https://example.com/index.html"],
    ["a dev server", "http://127.0.0.1:5173/"],
    ["a file on another host", indexUrl.replace("file:///", "file://evil/")],
    ["about:blank", "about:blank"],
    ["garbage", "not a url"],
    ["an empty string", ""],
    ["undefined", undefined],
  ])("refuses %s", (_label, url) => {
    expect(isAppIndexUrl(url, indexUrl)).toBe(false);
  });

  it("sees through path tricks", () => {
    const tricky = indexUrl.replace("/dist/renderer/index.html", "/dist/renderer/../renderer/index.html");
    expect(isAppIndexUrl(tricky, indexUrl)).toBe(true);
    const escape = indexUrl.replace("/dist/renderer/index.html", "/dist/renderer/../../secrets/index.html");
    expect(isAppIndexUrl(escape, indexUrl)).toBe(false);
  });
});

describe("isTrustedIpcSender", () => {
  const expected = { webContentsId: 1, indexUrl };
  const mainFrame = { url: indexUrl, isMainFrame: true };

  it("trusts our window's top frame showing our index", () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: mainFrame }, expected)).toBe(true);
  });

  it("refuses another webContents", () => {
    expect(isTrustedIpcSender({ webContentsId: 2, frame: mainFrame }, expected)).toBe(false);
  });

  it("refuses a sub-frame, even one showing our index", () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { url: indexUrl, isMainFrame: false } }, expected)).toBe(false);
  });

  it("refuses a frame that navigated away or is gone", () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: { url: "https://evil.example/", isMainFrame: true } }, expected)).toBe(false);
    expect(isTrustedIpcSender({ webContentsId: 1, frame: null }, expected)).toBe(false);
  });

  it("refuses everything while there is no window", () => {
    expect(isTrustedIpcSender({ webContentsId: 1, frame: mainFrame }, { webContentsId: null, indexUrl })).toBe(false);
  });
});
