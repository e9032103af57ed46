import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { eventChannel, eventNames, methodChannel, methodNames, type WireResult } from "./contract/index.js";
import type { CoreConfig } from "./core/core-types.js";

/**
 * main.ts against a stand-in for the `electron` module (its binary cannot run here): what it registers,
 * what it refuses, and how it shuts the core down. The checks themselves are unit-tested in shell-security.
 */

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const appListeners = new Map<string, Array<(...args: unknown[]) => void>>();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const windows: FakeWindow[] = [];
  const loading = { failNext: false };
  const coreListeners = new Map<string, (payload: unknown) => void>();
  /** What happened in which order: the scheme must be registered before ready, the handler after. */
  const order: string[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  let coreConfig: unknown = null;

  class FakeWindow {
    static getAllWindows = () => windows;
    readonly options: Record<string, unknown>;
    readonly listeners = new Map<string, () => void>();
    readonly webContents = { id: 7, send: vi.fn() };
    loadURL = vi.fn(async () => {
      if (!loading.failNext) return;
      loading.failNext = false;
      throw new Error("ERR_FILE_NOT_FOUND");
    });
    show = vi.fn();
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    constructor(options: Record<string, unknown>) {
      this.options = options;
      order.push("window");
      windows.push(this);
    }
    once(event: string, listener: () => void) {
      this.listeners.set(event, listener);
    }
    on(event: string, listener: () => void) {
      this.listeners.set(event, listener);
    }
  }

  const core = {
    call: vi.fn(async (method: string, input: unknown) => ({ ok: true, value: { method, input } })),
    subscribe: vi.fn((event: string, listener: (payload: unknown) => void) => {
      coreListeners.set(event, listener);
      return () => coreListeners.delete(event);
    }),
    dispose: vi.fn(async () => {}),
  };

  const session = {
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    headers: null as Handler | null,
    device: null as Handler | null,
    displayMedia: null as Handler | null,
    spellcheck: true,
    listeners: new Map<string, Handler>(),
  };

  const electron = {
    app: {
      requestSingleInstanceLock: vi.fn(() => true),
      enableSandbox: vi.fn(),
      on: (event: string, listener: (...args: unknown[]) => void) => {
        appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
      },
      whenReady: () => Promise.resolve().then(() => void order.push("ready")),
      getPath: () => "/tmp/hearth-user-data",
      getVersion: () => "0.1.0",
      quit: vi.fn(),
    },
    BrowserWindow: FakeWindow,
    dialog: {
      showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] as string[] })),
      showErrorBox: vi.fn(),
      showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn((_schemes: unknown) => void order.push("register-scheme")),
      handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
        order.push("handle");
        protocolHandlers.set(scheme, handler);
      }),
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
        ipcHandlers.set(channel, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => void (session.permissionRequest = handler),
        setPermissionCheckHandler: (handler: Handler) => void (session.permissionCheck = handler),
        setDevicePermissionHandler: (handler: Handler) => void (session.device = handler),
        setDisplayMediaRequestHandler: (handler: Handler) => void (session.displayMedia = handler),
        setSpellCheckerEnabled: (enabled: boolean) => void (session.spellcheck = enabled),
        on: (event: string, handler: Handler) => void session.listeners.set(event, handler),
        webRequest: { onHeadersReceived: (handler: Handler) => void (session.headers = handler) },
      },
    },
    shell: { openExternal: vi.fn(async () => {}) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => Buffer.from(plain, "utf8"),
      decryptString: (sealed: Buffer) => sealed.toString("utf8"),
      getSelectedStorageBackend: () => "gnome_libsecret",
    },
  };

  return {
    electron,
    appListeners,
    ipcHandlers,
    windows,
    loading,
    core,
    coreListeners,
    session,
    order,
    protocolHandlers,
    setCoreConfig: (config: unknown) => void (coreConfig = config),
    coreConfig: () => coreConfig as CoreConfig,
  };
});

vi.mock("electron", () => fake.electron);
vi.mock("./core/core.js", () => ({
  createCore: vi.fn(async (config: unknown) => {
    fake.setCoreConfig(config);
    return fake.core;
  }),
}));

// The window loads the app protocol's index, never a file:// page.
const indexUrl = "app://hearth/index.html";
// main.ts serves the renderer folder relative to itself; this test sits beside it, so the same relative URL matches.
const rendererRoot = fileURLToPath(new URL("../../dist/renderer/", import.meta.url));

function emitApp(event: string, ...args: unknown[]) {
  for (const listener of fake.appListeners.get(event) ?? []) listener(...args);
}

function ipcEvent(options: { senderId?: number; url?: string; mainFrame?: boolean; noFrame?: boolean } = {}) {
  const frame = options.noFrame ? null : { url: options.url ?? indexUrl, parent: options.mainFrame === false ? {} : null };
  return { sender: { id: options.senderId ?? 7 }, senderFrame: frame };
}

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, ...args: unknown[]) => void>();
  let openHandler: Handler | null = null;
  return {
    on: (event: string, listener: (event: { preventDefault(): void }, ...args: unknown[]) => void) => {
      listeners.set(event, listener);
    },
    setWindowOpenHandler: (handler: Handler) => void (openHandler = handler),
    fire(event: string, ...args: unknown[]) {
      const preventDefault = vi.fn();
      listeners.get(event)?.({ preventDefault }, ...args);
      return preventDefault.mock.calls.length > 0;
    },
    /** will-frame-navigate hands one Event carrying the details; true when the navigation was prevented. */
    fireFrameNavigation(url: string, isMainFrame: boolean) {
      const preventDefault = vi.fn();
      listeners.get("will-frame-navigate")?.({ preventDefault, url, isMainFrame, isSameDocument: false } as never);
      return preventDefault.mock.calls.length > 0;
    },
    has: (event: string) => listeners.has(event),
    openHandler: () => openHandler,
  };
}

beforeAll(async () => {
  await import("./main.js");
  // Let whenReady's callback and the core promise settle.
  await new Promise((resolve) => setTimeout(resolve, 0));
});

describe("electron/main.ts", () => {
  it("takes the single-instance lock and sandboxes every renderer", () => {
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.electron.app.enableSandbox).toHaveBeenCalled();
  });

  it("registers app: as a privileged scheme before ready, and its handler after ready, before the window", () => {
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: "app", privileges: { standard: true, secure: true } },
    ]);
    expect(fake.electron.protocol.handle).toHaveBeenCalledTimes(1);
    expect(fake.order.slice(0, 4)).toEqual(["register-scheme", "ready", "handle", "window"]);
  });

  it("serves the built renderer folder on app://hearth/ with the CSP, and nothing outside it", async () => {
    const handler = fake.protocolHandlers.get("app")!;
    // The folder main.ts serves is dist/renderer, whatever is in it now: probe it with a file of our own.
    fs.mkdirSync(rendererRoot, { recursive: true });
    const probe = path.join(rendererRoot, `main-test-probe-${process.pid}.txt`);
    fs.writeFileSync(probe, "probe");
    try {
      const res = await handler(new Request(`app://hearth/${path.basename(probe)}`));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("probe");
      expect(res.headers.get("content-security-policy")).toContain("require-trusted-types-for 'script'");
      expect(res.headers.get("content-security-policy")).toContain("frame-src 'none'");
    } finally {
      fs.rmSync(probe, { force: true });
    }
    for (const escape of ["app://hearth/../../package.json", "app://hearth/..%2f..%2fpackage.json", "app://hearth/%2e%2e/%2e%2e/package.json"]) {
      expect((await handler(new Request(escape))).status, escape).toBe(404);
    }
  });

  it("opens one hidden, locked-down window on our index and shows it when ready", () => {
    expect(fake.windows).toHaveLength(1);
    const win = fake.windows[0]!;
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/dist-electron[\\/]preload\.cjs$|[\\/]preload\.cjs$/);
    expect(win.loadURL).toHaveBeenCalledWith(indexUrl);
    expect(win.show).not.toHaveBeenCalled();
    win.listeners.get("ready-to-show")?.();
    expect(win.show).toHaveBeenCalled();
  });

  it("creates the core with Electron's data folder, version, file picker and link opener", () => {
    const config = fake.coreConfig();
    expect(config).toMatchObject({ dataDir: "/tmp/hearth-user-data", shell: "electron", appVersion: "0.1.0" });
    expect(config.pickModelFile).toEqual(expect.any(Function));
    expect(config.openExternal).toEqual(expect.any(Function));
  });

  it("registers exactly one IPC handler per contract method", () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(methodNames.map(methodChannel).sort());
  });

  it("passes a request from our window's top frame to the core", async () => {
    const handler = fake.ipcHandlers.get(methodChannel("listModels"))!;
    await expect(handler(ipcEvent(), { probe: 1 })).resolves.toEqual({
      ok: true,
      value: { method: "listModels", input: { probe: 1 } },
    });
    expect(fake.core.call).toHaveBeenLastCalledWith("listModels", { probe: 1 });
  });

  it.each([
    ["another webContents", ipcEvent({ senderId: 8 })],
    ["a sub-frame", ipcEvent({ mainFrame: false })],
    ["a page that navigated away", ipcEvent({ url: "https://evil.example/" })],
    ["a destroyed frame", ipcEvent({ noFrame: true })],
  ])("refuses a request from %s without reaching the core", async (_label, event) => {
    fake.core.call.mockClear();
    const handler = fake.ipcHandlers.get(methodChannel("deleteConversation"))!;
    const result = (await handler(event, { conversationId: "c1" })) as WireResult<unknown>;
    expect(result).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    expect(fake.core.call).not.toHaveBeenCalled();
  });

  it("forwards every core event to the window on its channel", () => {
    const win = fake.windows[0]!;
    for (const event of eventNames) {
      const payload = { probe: event };
      fake.coreListeners.get(event)?.(payload);
      expect(win.webContents.send).toHaveBeenLastCalledWith(eventChannel(event), payload);
    }
    expect(win.webContents.send).toHaveBeenCalledTimes(eventNames.length);
  });

  it("locks navigation, new windows and webviews on every webContents", () => {
    const contents = fakeContents();
    emitApp("web-contents-created", {}, contents);
    expect(contents.fire("will-navigate", "https://evil.example/")).toBe(true);
    expect(contents.fire("will-navigate", pathToFileURL("/etc/passwd").href)).toBe(true);
    expect(contents.fire("will-redirect", "https://evil.example/")).toBe(true);
    expect(contents.fire("will-navigate", `${indexUrl}#/settings`)).toBe(false);
    expect(contents.fire("will-attach-webview")).toBe(true);
    expect(contents.openHandler()?.({ url: "https://example.com/" })).toEqual({ action: "deny" });
  });

  it("refuses every frame navigation except the top frame reloading our index", () => {
    const contents = fakeContents();
    emitApp("web-contents-created", {}, contents);
    expect(contents.has("will-frame-navigate")).toBe(true);
    expect(contents.fireFrameNavigation("https://evil.example/", false)).toBe(true);
    expect(contents.fireFrameNavigation(indexUrl, false)).toBe(true);
    expect(contents.fireFrameNavigation("https://evil.example/", true)).toBe(true);
    expect(contents.fireFrameNavigation(pathToFileURL("/etc/passwd").href, true)).toBe(true);
    expect(contents.fireFrameNavigation(indexUrl, true)).toBe(false);
  });

  it("never picks a Bluetooth device for the page", () => {
    const contents = fakeContents();
    emitApp("web-contents-created", {}, contents);
    const callback = vi.fn();
    expect(contents.fire("select-bluetooth-device", [{ deviceId: "aa:bb", deviceName: "Headset" }], callback)).toBe(true);
    expect(callback).toHaveBeenCalledWith("");
  });

  it("denies every permission but the clipboard write of our own page, and turns the spellchecker's downloads off", () => {
    const ask = (permission: string, requestingUrl: string, isMainFrame = true) => {
      const callback = vi.fn();
      fake.session.permissionRequest?.({}, permission, callback, { requestingUrl, isMainFrame });
      return callback.mock.calls[0]?.[0];
    };
    expect(ask("media", indexUrl)).toBe(false);
    expect(ask("display-capture", indexUrl)).toBe(false);
    expect(ask("clipboard-sanitized-write", "https://evil.example/")).toBe(false);
    expect(ask("clipboard-sanitized-write", indexUrl, false)).toBe(false);
    expect(ask("clipboard-sanitized-write", indexUrl)).toBe(true);
    expect(fake.session.permissionCheck?.({}, "notifications", "file://", { isMainFrame: true })).toBe(false);
    expect(fake.session.permissionCheck?.({}, "hid", "app://hearth", { isMainFrame: true })).toBe(false);
    expect(fake.session.permissionCheck?.({}, "clipboard-sanitized-write", "app://hearth", { isMainFrame: true })).toBe(true);
    expect(fake.session.spellcheck).toBe(false);
  });

  it("grants no device and no screen capture", () => {
    for (const deviceType of ["hid", "serial", "usb", "bluetooth"]) {
      expect(fake.session.device?.({ deviceType, origin: "app://hearth", device: {} })).toBe(false);
    }
    const callback = vi.fn();
    fake.session.displayMedia?.({ frame: null, videoRequested: true, audioRequested: true, userGesture: true }, callback);
    expect(callback).toHaveBeenCalledWith(null);
  });

  it("makes a file the page saves (an audit export) readable by this user only once it is complete", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-save-"));
    const saved = path.join(dir, "audit.json");
    fs.writeFileSync(saved, "[]", { mode: 0o644 });
    fs.chmodSync(saved, 0o644);
    const done = new Map<string, Handler>();
    const item = { getSavePath: () => saved, once: (event: string, handler: Handler) => void done.set(event, handler) };
    fake.session.listeners.get("will-download")?.({}, item);
    done.get("done")?.({}, "cancelled");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.statSync(saved).mode & 0o777).toBe(0o644);
    done.get("done")?.({}, "completed");
    await vi.waitFor(() => expect(fs.statSync(saved).mode & 0o777).toBe(0o600));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sets the CSP header on responses", () => {
    const callback = vi.fn();
    fake.session.headers?.({ responseHeaders: { "content-security-policy": ["default-src *"] } }, callback);
    const headers = (callback.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> }).responseHeaders;
    expect(headers["Content-Security-Policy"]![0]).toContain("script-src 'self'");
    expect(headers["content-security-policy"]).toBeUndefined();
  });

  it("opens only safe links, normalized, in the system browser, after its own native question", async () => {
    const { openExternal } = fake.coreConfig();
    await expect(openExternal!("file:///etc/passwd")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(openExternal!("https://user:pw@example.com/")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(fake.electron.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(fake.electron.shell.openExternal).not.toHaveBeenCalled();

    // A compromised renderer calling openExternal directly: the user is asked, Cancel is the default, nothing opens.
    await openExternal!("HTTPS://Example.com/a b".replace(" ", "%20"));
    expect(fake.electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const options = fake.electron.dialog.showMessageBox.mock.calls[0]!.at(-1) as Electron.MessageBoxOptions;
    expect(options.detail).toContain("https://example.com/a%20b");
    expect(options.buttons![options.defaultId!]).toBe("Cancel");
    expect(options.cancelId).toBe(options.defaultId);
    expect(fake.electron.shell.openExternal).not.toHaveBeenCalled();

    fake.electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    await openExternal!("HTTPS://Example.com/a b".replace(" ", "%20"));
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith("https://example.com/a%20b");
  });

  it("picks a .gguf file, or null when cancelled", async () => {
    const { pickModelFile } = fake.coreConfig();
    await expect(pickModelFile!()).resolves.toBeNull();
    fake.electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ["/models/a.gguf"] });
    await expect(pickModelFile!()).resolves.toBe("/models/a.gguf");
    const options = (fake.electron.dialog.showOpenDialog.mock.calls.at(-1) as unknown[]).at(-1) as { filters: Array<{ extensions: string[] }> };
    expect(options.filters[0]!.extensions).toEqual(["gguf"]);
  });

  it("picks a conversations file to import by its path, or null when cancelled", async () => {
    const { pickImportFile } = fake.coreConfig();
    await expect(pickImportFile!()).resolves.toBeNull();
    fake.electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ["/exports/conversations.json"] });
    await expect(pickImportFile!()).resolves.toBe("/exports/conversations.json");
    const options = (fake.electron.dialog.showOpenDialog.mock.calls.at(-1) as unknown[]).at(-1) as { filters: Array<{ extensions: string[] }> };
    expect(options.filters[0]!.extensions).toEqual(["json"]);
  });

  it("says so and quits when the window cannot load its page, instead of staying hidden", async () => {
    fake.loading.failNext = true;
    emitApp("activate");
    expect(fake.windows).toHaveLength(1); // a window exists, so activate opens none
    fake.windows.length = 0;
    emitApp("activate");
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.loadURL).toHaveBeenCalledWith(indexUrl);
    await vi.waitFor(() => expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledTimes(1));
    expect(fake.electron.app.quit).toHaveBeenCalledTimes(1);
    fake.electron.app.quit.mockClear();
  });

  it("holds the quit until the core is disposed, then quits; later requests hear 'shutting down'", async () => {
    let finishDispose = () => {};
    fake.core.dispose.mockImplementationOnce(() => new Promise<void>((resolve) => (finishDispose = resolve)));

    const first = { preventDefault: vi.fn() };
    emitApp("before-quit", first);
    expect(first.preventDefault).toHaveBeenCalled();

    // A second quit while disposing is held too, and does not dispose twice.
    const second = { preventDefault: vi.fn() };
    emitApp("before-quit", second);
    expect(second.preventDefault).toHaveBeenCalled();

    fake.core.call.mockClear();
    const handler = fake.ipcHandlers.get(methodChannel("listModels"))!;
    await expect(handler(ipcEvent(), {})).resolves.toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(fake.core.call).not.toHaveBeenCalled();

    await vi.waitFor(() => expect(fake.core.dispose).toHaveBeenCalledTimes(1));
    expect(fake.electron.app.quit).not.toHaveBeenCalled();
    finishDispose();
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalledTimes(1));

    const last = { preventDefault: vi.fn() };
    emitApp("before-quit", last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });
});
