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
