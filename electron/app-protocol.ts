/**
 * The `app://hearth/` protocol the Electron window loads its interface from, instead of file://. A page on
 * file:// can reach every file the user can read (and, with Electron's GrantFileProtocolExtraPrivileges fuse,
 * fetch them); a page on app://hearth/ is one ordinary secure origin that sees only the built renderer folder.
 * Nothing here imports `electron`: main.ts passes its `protocol` in, so this is tested in plain Node.
 */
import fs from "node:fs/promises";
import path from "node:path";

export const appScheme = "app";
export const appHost = "hearth";
export const appIndexUrl = `${appScheme}://${appHost}/index.html`;

/**
 * Standard: relative URLs, a real origin and its storage. Secure: a secure context, like https.
 * Nothing else: no CSP bypass, no service workers, no fetch()/CORS privileges (the page talks to the core over
 * IPC, and same-origin module scripts and styles load without them), no streaming, no extensions.
 */
export const appSchemePrivileges = { standard: true, secure: true } as const;

/** The slice of Electron's `protocol` this module uses. */
export type ProtocolLike = {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
};

/** Must run before the app is ready, once: Chromium fixes the scheme list at startup. */
export function registerAppScheme(protocol: Pick<ProtocolLike, "registerSchemesAsPrivileged">): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { ...appSchemePrivileges } }]);
}

/** Only what a Vite build of the renderer contains; anything else is refused rather than guessed. */
const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

export type AppProtocolOptions = {
  /** The built renderer folder (dist/renderer), absolute. Nothing outside it is ever served. */
  root: string;
  /** The renderer's CSP (electron/bridge/csp.ts), sent on every response. */
  csp: string;
};

/** Answers one app:// request from the renderer folder. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = path.resolve(options.root);
  const securityHeaders = {
    "Content-Security-Policy": options.csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
  const refuse = (status: 404 | 405) =>
    new Response(status === 404 ? "Not found" : "Method not allowed", {
      status,
      headers: { ...securityHeaders, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });

  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return refuse(405);
    const file = resolveInside(root, request.url);
    if (file === null) return refuse(404);
    const type = contentTypes[path.extname(file).toLowerCase()];
    if (type === undefined) return refuse(404);
    let body: Buffer;
    try {
      // lstat, not stat: a symlink planted in the folder is not followed out of it.
      const info = await fs.lstat(file);
      if (!info.isFile()) return refuse(404);
      body = await fs.readFile(file);
    } catch {
      return refuse(404);
    }
    return new Response(request.method === "HEAD" ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        ...securityHeaders,
        "Content-Type": type,
        "Content-Length": String(body.byteLength),
        "Cache-Control": "no-cache",
      },
    });
  };
}

/** Registers the handler; call once the app is ready. */
export function handleAppProtocol(protocol: Pick<ProtocolLike, "handle">, options: AppProtocolOptions): void {
  protocol.handle(appScheme, createAppProtocolHandler(options));
}

/**
 * The file an app:// URL names inside `root`, or null. The URL parser already folds `..` and `%2e%2e`
 * segments; what is left to refuse is another host, credentials, encoded separators or NUL inside a segment
 * (`..%2f`, `%5c` on Windows), and anything that would still land outside the folder.
 */
export function resolveInside(root: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.hostname.toLowerCase() !== appHost || url.port !== "") return null;
  if (url.username !== "" || url.password !== "") return null;
  const segments: string[] = [];
  for (const raw of url.pathname.split("/")) {
    if (raw === "") continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === "." || segment === ".." || /[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0 || url.pathname.endsWith("/")) segments.push("index.html");
  const file = path.resolve(root, ...segments);
  const relative = path.relative(root, file);
  if (relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
  return file;
}
