/**
 * Electron entry. Thin: one locked-down window, the contract over IPC, and the core's lifetime.
 * Everything the app does lives in ./core; the checks worth testing live in ./shell-security.ts.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  type IpcMainInvokeEvent,
  type WebContents,
} from "electron";
import {
  AppError,
  isAppError,
  eventChannel,
  eventNames,
  methodChannel,
  methodNames,
  type EventName,
  type WireResult,
} from "./contract/index.js";
import { createCore, type Core } from "./core/core.js";
import { safeStorageCipher } from "./safe-storage-cipher.js";
import { spawnUtilityChild } from "./utility-child.js";
import { spawnUtilityHost } from "./utility-host.js";
import { createStderrLogger } from "./core/logger.js";
import { contentSecurityPolicy } from "./bridge/csp.js";
import { MAX_IPC_IN_FLIGHT_CALLS } from "./bridge/flow-limits.js";
import { createInFlightLimit } from "./bridge/in-flight-limit.js";
import { appIndexUrl, handleAppProtocol, registerAppScheme } from "./app-protocol.js";
import { createExternalLinkOpener, externalLinkQuestion } from "./external-link.js";
import {
  isAppIndexUrl,
  isForbiddenFrameNavigation,
  isPermissionAllowed,
  isTrustedIpcSender,
  withCspHeader,
} from "./shell-security.js";

// Built layout: dist-electron/electron/main.js, dist-electron/preload.cjs, dist/renderer/index.html.
const preloadPath = fileURLToPath(new URL("../preload.cjs", import.meta.url));
// The window loads app://hearth/index.html, served from this folder only (electron/app-protocol.ts), never file://.
const rendererRoot = fileURLToPath(new URL("../../dist/renderer/", import.meta.url));
const indexUrl = appIndexUrl;

// The Electron page talks to the core over IPC only, so it needs no connect-src beyond the default.
const csp = contentSecurityPolicy();
const logger = createStderrLogger(process.env.HEARTH_LOG_LEVEL === "warn" ? "warn" : "info");

let mainWindow: BrowserWindow | null = null;
let corePromise: Promise<Core> | null = null;
let quitState: "running" | "disposing" | "done" = "running";

// The core checked already; checked again and confirmed here because this is the line that hands a URL to the OS.
const openExternal = createExternalLinkOpener({
  confirm: async (url) => {
    const question = externalLinkQuestion(url);
    const options: Electron.MessageBoxOptions = {
      type: "question",
      title: "Open link",
      message: question.message,
      detail: question.detail,
      buttons: question.buttons,
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    const win = mainWindow;
    const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return response === 1;
  },
  open: (url) => shell.openExternal(url),
});

if (!app.requestSingleInstanceLock()) {
  // Another Hearth owns the database and the model; it is told to show itself via 'second-instance'.
  app.quit();
} else {
  start();
}

function start(): void {
  // Every renderer sandboxed, whatever a BrowserWindow's options say.
  app.enableSandbox();
  // Before ready: Chromium reads the list of standard and secure schemes once, at startup.
  registerAppScheme(protocol);

  app.on("second-instance", () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on("web-contents-created", (_event, contents) => lockDown(contents));

  app.on("before-quit", (event) => {
    if (quitState === "done") return;
    if (quitState === "disposing") {
      event.preventDefault();
      return;
    }
    const pending = corePromise;
    if (pending === null) return;
    event.preventDefault();
    quitState = "disposing";
    // From here on, requests are answered "shutting down" instead of reaching a core being disposed.
    corePromise = null;
    void disposeCore(pending).finally(() => {
      quitState = "done";
      app.quit();
    });
  });

  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });

  app.whenReady().then(
    () => {
      secureSession();
      handleAppProtocol(protocol, { root: rendererRoot, csp });
      corePromise = createCore({
        dataDir: app.getPath("userData"),
        shell: "electron",
        appVersion: app.getVersion(),
        pickModelFile,
        pickImportFile,
        openExternal,
        secretCipher: safeStorageCipher(safeStorage),
        spawnChild: spawnUtilityChild,
        // llama.cpp runs in a utility process: a model that aborts it does not take the window down.
        engineHost: { spawn: spawnUtilityHost },
        logger,
      });
      corePromise.then(forwardEvents, (error: unknown) => {
        logger.error("the core failed to start", { error: error instanceof Error ? error.message : String(error) });
        dialog.showErrorBox(
          "Hearth could not start",
          // An AppError (DATABASE_LOCKED, DISK_FULL) already says what happened and what to do.
          isAppError(error)
            ? error.message
            : `Hearth could not open its data folder (${app.getPath("userData")}). Check that the disk is not full and the folder is writable, then start Hearth again.`,
        );
        corePromise = null;
        app.quit();
      });
      registerMethods();
      createWindow();
      app.on("activate", () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    },
    (error: unknown) => logger.error("Electron failed to get ready", { error: String(error) }),
  );
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: "Hearth",
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      // Chromium's spellchecker downloads dictionaries from Google; a local-first app does not phone home.
      spellcheck: false,
    },
  });
  mainWindow = win;
  win.once("ready-to-show", () => win.show());
  win.on("closed", () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(indexUrl).catch((error: unknown) => {
    // Without its page the window would stay hidden for good; say so instead of hanging.
    logger.error("the window failed to load", { error: error instanceof Error ? error.message : String(error) });
    dialog.showErrorBox("Hearth could not open its window", `Hearth's interface is missing or damaged (${rendererRoot}). Reinstall Hearth, or run npm run build in a checkout.`);
    app.quit();
  });
}

/** Applied to every webContents the app ever creates, not only the main window. */
function lockDown(contents: WebContents): void {
  contents.on("will-navigate", (event, url) => {
    if (!isAppIndexUrl(url, indexUrl)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppIndexUrl(url, indexUrl)) event.preventDefault();
  });
  // will-navigate sees only the top frame; this sees every frame (there should be none: frame-src 'none').
  contents.on("will-frame-navigate", (event) => {
    if (isForbiddenFrameNavigation({ url: event.url, isMainFrame: event.isMainFrame }, indexUrl)) event.preventDefault();
  });
  // Links open in the system browser only through the openExternal method, after its checks.
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
  contents.on("will-attach-webview", (event) => event.preventDefault());
  // Without a listener Electron picks the first Bluetooth device a page asks for; no device is ever chosen.
  contents.on("select-bluetooth-device", (event, _devices, callback) => {
    event.preventDefault();
    callback("");
  });
}

function secureSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed({ permission, origin: details.requestingUrl, isMainFrame: details.isMainFrame }, indexUrl)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed({ permission, origin: requestingOrigin, isMainFrame: details.isMainFrame }, indexUrl),
  );
  // No HID, USB, serial or Bluetooth device is ever granted, and no screen or window is ever captured.
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.setSpellCheckerEnabled(false);
  // What the renderer saves (audit log exports hold the exact payloads sent) is readable by this user only.
  ses.on("will-download", (_event, item) => {
    item.once("done", (_done, state) => {
      if (state !== "completed") return;
      fs.promises.chmod(item.getSavePath(), 0o600).catch((error: unknown) =>
        logger.warn("could not make a saved file private", { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  // app:// responses carry the CSP themselves (app-protocol.ts); this covers anything else the session loads.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
}

function registerMethods(): void {
  const inFlight = createInFlightLimit(MAX_IPC_IN_FLIGHT_CALLS);
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), async (event: IpcMainInvokeEvent, input: unknown): Promise<WireResult<unknown>> => {
      if (!isFromOurWindow(event)) {
        logger.warn("refused a request from an unexpected frame", { method });
        return { ok: false, error: new AppError("UNAUTHORIZED", "This window may not talk to Hearth.").toJSON() };
      }
      if (corePromise === null) {
        return { ok: false, error: new AppError("INTERNAL", "Hearth is shutting down.").toJSON() };
      }
      const core = await corePromise;
      return inFlight.run(() => core.call(method, input));
    });
  }
}

function isFromOurWindow(event: IpcMainInvokeEvent): boolean {
  const win = mainWindow;
  const frame = event.senderFrame;
  return isTrustedIpcSender(
    {
      webContentsId: event.sender.id,
      frame: frame === null ? null : { url: frame.url, isMainFrame: frame.parent === null },
    },
    { webContentsId: win && !win.isDestroyed() ? win.webContents.id : null, indexUrl },
  );
}

function forwardEvents(core: Core): void {
  for (const event of eventNames) forwardEvent(core, event);
}

function forwardEvent(core: Core, event: EventName): void {
  const channel = eventChannel(event);
  core.subscribe(event, (payload) => {
    const win = mainWindow;
    if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
  });
}

async function pickModelFile(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: "Choose a GGUF model file",
    properties: ["openFile"],
    filters: [{ name: "GGUF models", extensions: ["gguf"] }],
  };
  const win = mainWindow;
  const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function pickImportFile(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: "Choose a conversations file to import",
    properties: ["openFile"],
    filters: [{ name: "Conversations (JSON)", extensions: ["json"] }],
  };
  const win = mainWindow;
  const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function disposeCore(pending: Promise<Core>): Promise<void> {
  // A stuck native dispose must not keep Hearth from quitting.
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
  try {
    const core = await pending;
    await Promise.race([core.dispose(), timeout]);
  } catch (error) {
    logger.error("shutdown did not finish cleanly", { error: error instanceof Error ? error.message : String(error) });
  }
}
