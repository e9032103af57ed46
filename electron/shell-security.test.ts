import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "./bridge/csp.js";
import { appIndexUrl } from "./app-protocol.js";
import {
  isAppIndexUrl,
  isAppOrigin,
  isForbiddenFrameNavigation,
  isPermissionAllowed,
  isTrustedIpcSender,
  withCspHeader,
} from "./shell-security.js";

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

describe("app:// index", () => {
  it("accepts the app index and refuses look-alikes", () => {
    expect(isAppIndexUrl(appIndexUrl, appIndexUrl)).toBe(true);
    expect(isAppIndexUrl(`${appIndexUrl}#/settings`, appIndexUrl)).toBe(true);
    expect(isAppIndexUrl("app://hearth/other.html", appIndexUrl)).toBe(false);
    expect(isAppIndexUrl("app://evil/index.html", appIndexUrl)).toBe(false);
    expect(isAppIndexUrl(pathToFileURL("/index.html").href, appIndexUrl)).toBe(false);
    expect(isAppIndexUrl("https://hearth/index.html", appIndexUrl)).toBe(false);
  });
});

describe("isAppOrigin", () => {
  it.each([
    ["the origin itself", "app://hearth", true],
    ["a page on it", "app://hearth/index.html", true],
    ["another host", "app://evil", false],
    ["https with the same host", "https://hearth", false],
    ["file://", "file:///", false],
    ["credentials", "app://a:b@hearth/", false],
    ["nothing", undefined, false],
    ["garbage", "::", false],
  ])("%s", (_label, url, expected) => {
    expect(isAppOrigin(url, appIndexUrl)).toBe(expected);
  });
});

describe("isPermissionAllowed", () => {
  it("lets our own top frame write to the clipboard (the copy buttons)", () => {
    expect(isPermissionAllowed({ permission: "clipboard-sanitized-write", origin: "app://hearth", isMainFrame: true }, appIndexUrl)).toBe(true);
    expect(
      isPermissionAllowed({ permission: "clipboard-sanitized-write", origin: "app://hearth/index.html", isMainFrame: true }, appIndexUrl),
    ).toBe(true);
  });

  it.each(["media", "display-capture", "geolocation", "notifications", "hid", "usb", "serial", "midiSysex", "clipboard-read", "openExternal", "fileSystem", "unknown"])(
    "refuses %s even to our own page",
    (permission) => {
      expect(isPermissionAllowed({ permission, origin: "app://hearth", isMainFrame: true }, appIndexUrl)).toBe(false);
    },
  );

  it("refuses the clipboard to a sub-frame, another origin, or an unknown one", () => {
    const permission = "clipboard-sanitized-write";
    expect(isPermissionAllowed({ permission, origin: "app://hearth", isMainFrame: false }, appIndexUrl)).toBe(false);
    expect(isPermissionAllowed({ permission, origin: "app://hearth", isMainFrame: undefined }, appIndexUrl)).toBe(false);
    expect(isPermissionAllowed({ permission, origin: "https://evil.example", isMainFrame: true }, appIndexUrl)).toBe(false);
    expect(isPermissionAllowed({ permission, origin: "file:///", isMainFrame: true }, appIndexUrl)).toBe(false);
    expect(isPermissionAllowed({ permission, origin: undefined, isMainFrame: true }, appIndexUrl)).toBe(false);
  });
});

describe("isForbiddenFrameNavigation", () => {
  it("lets only the top frame go to (reload) the index", () => {
    expect(isForbiddenFrameNavigation({ url: appIndexUrl, isMainFrame: true }, appIndexUrl)).toBe(false);
    expect(isForbiddenFrameNavigation({ url: `${appIndexUrl}#/x`, isMainFrame: true }, appIndexUrl)).toBe(false);
  });

  it("refuses every sub-frame navigation and any other top-frame destination", () => {
    expect(isForbiddenFrameNavigation({ url: appIndexUrl, isMainFrame: false }, appIndexUrl)).toBe(true);
    expect(isForbiddenFrameNavigation({ url: "https://evil.example/", isMainFrame: false }, appIndexUrl)).toBe(true);
    expect(isForbiddenFrameNavigation({ url: "https://evil.example/", isMainFrame: true }, appIndexUrl)).toBe(true);
    expect(isForbiddenFrameNavigation({ url: "app://hearth/assets/x.js", isMainFrame: true }, appIndexUrl)).toBe(true);
    expect(isForbiddenFrameNavigation({ url: "javascript:alert(1)", isMainFrame: true }, appIndexUrl)).toBe(true);
  });
});
