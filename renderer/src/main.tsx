// First, before any module builds a schema: see zod-jitless.ts (the CSP forbids eval).
import "../../electron/contract/zod-jitless.js";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { startApp } from "./state/actions.js";
import { App } from "./ui/App.js";
import { applyTheme, cachedTheme } from "./ui/theme.js";
import "./ui/app.css";

// The first paint in this window's last theme, set once (and not followed: App's hook does that, with the setting).
applyTheme(cachedTheme())();
startApp();

const root = document.getElementById("root");
if (!root) throw new Error("Hearth: #root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
