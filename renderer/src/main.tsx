// First, before any module builds a schema: see zod-jitless.ts (the CSP forbids eval).
import "../../electron/contract/zod-jitless.js";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { startApp } from "./state/actions.js";
import { App } from "./ui/App.js";
import "./ui/app.css";

startApp();

const root = document.getElementById("root");
if (!root) throw new Error("Hearth: #root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
