// Bundled to CommonJS by vite.preload.config.ts: a sandboxed preload can require only `electron`, not local files.
import { contextBridge, ipcRenderer } from "electron";
import { buildHearthBridge } from "./preload-api.js";

contextBridge.exposeInMainWorld("hearth", buildHearthBridge(ipcRenderer));
