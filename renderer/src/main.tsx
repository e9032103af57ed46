import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { z } from "zod";
import { startApp } from "./state/actions.js";
import { App } from "./ui/App.js";
import "./ui/app.css";

// The CSP forbids eval; without this zod probes for it at start-up and the browser logs a violation.
z.config({ jitless: true });

startApp();

const root = document.getElementById("root");
if (!root) throw new Error("Hearth: #root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
