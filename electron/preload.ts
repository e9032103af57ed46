// Bundled to CommonJS by vite.preload.config.ts: a sandboxed preload can require only `electron`, not local files.
// First, before any module builds a schema: the page's CSP forbids eval (see zod-jitless.ts).
import "./contract/zod-jitless.js";
import { contextBridge, ipcRenderer } from "electron";
import { buildHearthBridge } from "./preload-api.js";

contextBridge.exposeInMainWorld("hearth", buildHearthBridge(ipcRenderer));
