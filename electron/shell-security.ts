/**
 * The pure parts of the Electron shell's security, kept out of main.ts so they can be tested without Electron.
 * Nothing here imports `electron`.
 */

/**
 * Adds the renderer's CSP (electron/bridge/csp.ts, the one policy for both shells) to a response's headers,
 * replacing any the response carried (header names are case-insensitive).
 */
export function withCspHeader(headers: Record<string, string[] | string> | undefined, csp: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === "content-security-policy") continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result["Content-Security-Policy"] = [csp];
  return result;
}

/**
 * True when `url` is the app's own index page (any #fragment, since the renderer may route by hash).
 * Compared after parsing, so `file:///a/../index.html` style tricks and case games in the scheme do not pass.
 */
export function isAppIndexUrl(url: string | undefined | null, indexUrl: string): boolean {
  if (typeof url !== "string" || url === "") return false;
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(url);
    expected = new URL(indexUrl);
  } catch {
    return false;
  }
  return (
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.pathname === expected.pathname &&
    actual.search === expected.search &&
    actual.username === "" &&
    actual.password === ""
  );
}

/** What main.ts reads off an IPC event, as plain data. */
export type IpcSenderInfo = {
  /** `event.sender.id`: the webContents that sent the message. */
  webContentsId: number;
  /** `event.senderFrame`: null when the frame navigated away or was destroyed before the message arrived. */
  frame: { url: string; isMainFrame: boolean } | null;
};

/**
 * Only our own window's top frame, showing our own index page, may call the core. Sub-frames (there should be
 * none: `frame-src 'none'`), other windows, and a page that somehow navigated elsewhere are all refused.
 */
export function isTrustedIpcSender(
  sender: IpcSenderInfo,
  expected: { webContentsId: number | null; indexUrl: string },
): boolean {
  if (expected.webContentsId === null || sender.webContentsId !== expected.webContentsId) return false;
  if (sender.frame === null || !sender.frame.isMainFrame) return false;
  return isAppIndexUrl(sender.frame.url, expected.indexUrl);
}

/** True when `url` is on the app's own origin (same scheme and host as the index), whatever its path. */
export function isAppOrigin(url: string | undefined | null, indexUrl: string): boolean {
  if (typeof url !== "string" || url === "") return false;
  try {
    const actual = new URL(url);
    const expected = new URL(indexUrl);
    // URL.origin is "null" for schemes Node does not know (app:), so compare the parts.
    return actual.protocol === expected.protocol && actual.host === expected.host && actual.username === "" && actual.password === "";
  } catch {
    return false;
  }
}

/**
 * The only permission the page uses: writing to the clipboard, for the copy buttons. Camera, microphone,
 * screen capture, geolocation, notifications, HID/USB/serial, MIDI and the rest are refused.
 */
const allowedPermissions: ReadonlySet<string> = new Set(["clipboard-sanitized-write"]);

/** What a session permission check or request tells about itself, as plain data. */
export type PermissionAsk = {
  permission: string;
  /** The requesting frame's origin or URL (`requestingOrigin` for checks, `details.requestingUrl` for requests). */
  origin: string | undefined | null;
  isMainFrame: boolean | undefined;
};

/** Allowed only for an allowed permission asked by our own page's top frame. */
export function isPermissionAllowed(ask: PermissionAsk, indexUrl: string): boolean {
  return allowedPermissions.has(ask.permission) && ask.isMainFrame === true && isAppOrigin(ask.origin, indexUrl);
}

/**
 * Frames never navigate: there are no sub-frames (`frame-src 'none'`), and the top frame may only go to the
 * app's index (a reload); anything else is refused. Returns true when the navigation must be prevented.
 */
export function isForbiddenFrameNavigation(navigation: { url: string; isMainFrame: boolean }, indexUrl: string): boolean {
  return !navigation.isMainFrame || !isAppIndexUrl(navigation.url, indexUrl);
}
